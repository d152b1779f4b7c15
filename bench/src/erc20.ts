// The benchmark ERC-20 (the shared test token, compiled with solc-js) and its calldata encoders.
import {
  type CompiledContract,
  compileSolidity,
  ERC20_CONTRACT_NAME,
  ERC20_FILE,
  ERC20_SOURCE,
} from '@openledger/test-utils';
import { type Address, encodeDeployData, encodeFunctionData, type Hex } from 'viem';

/** Compiles the token once (compileSolidity caches by source). */
export function benchToken(): CompiledContract {
  const contract = compileSolidity({ [ERC20_FILE]: ERC20_SOURCE })[ERC20_CONTRACT_NAME];
  if (contract === undefined) throw new Error(`solc output has no ${ERC20_CONTRACT_NAME}`);
  return contract;
}

/** The constructor mints the whole supply to the deployer. */
export function deployData(supply: bigint): Hex {
  const { abi, bytecode } = benchToken();
  return encodeDeployData({ abi, bytecode, args: ['Bench Token', 'BENCH', supply] });
}

export function transferData(to: Address, amount: bigint): Hex {
  return encodeFunctionData({ abi: benchToken().abi, functionName: 'transfer', args: [to, amount] });
}

export function balanceOfData(owner: Address): Hex {
  return encodeFunctionData({ abi: benchToken().abi, functionName: 'balanceOf', args: [owner] });
}
