export * from './abi.js';
export * from './addresses.js';
export * from './eip712.js';
