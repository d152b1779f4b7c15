// The test ERC-20, compiled once per process.
export { compileTestToken as testToken } from '@openledger/test-utils';
