// The benchmark ERC-20 (the shared test token, compiled with solc-js) and its calldata encoders.
import { type CompiledContract, compileTestToken } from '@openledger/test-utils';
import { type Address, encodeDeployData, encodeFunctionData, type Hex } from 'viem';

export function benchToken(): CompiledContract {
  return compileTestToken();
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
