// The test ERC-20, compiled once per process.
import {
  type CompiledContract,
  compileSolidity,
  ERC20_CONTRACT_NAME,
  ERC20_FILE,
  ERC20_SOURCE,
} from '@openledger/test-utils';

export function testToken(): CompiledContract {
  const token = compileSolidity({ [ERC20_FILE]: ERC20_SOURCE })[ERC20_CONTRACT_NAME];
  if (token === undefined) throw new Error(`${ERC20_CONTRACT_NAME} missing from solc output`);
  return token;
}
