// A dev chain in memory with the attribution precompiles, driven by signed
// transactions through runTx (so gas, refunds of revert and logs are real),
// and views through eth_call-like runs that change nothing.
import { createBlock } from '@ethereumjs/block';
import { createTx } from '@ethereumjs/tx';
import { type Address, createAddressFromString, createZeroAddress, hexToBytes } from '@ethereumjs/util';
import { type RunTxResult, runTx, type VM } from '@ethereumjs/vm';
import type { DevAccount } from '@openledger/core';
import { createDevGenesis, DEV_MNEMONIC, deriveDevAccounts } from '@openledger/core';
import { compileSolidity } from '@openledger/test-utils';
import {
  type Abi,
  bytesToHex,
  type ContractFunctionArgs,
  type ContractFunctionName,
  type ContractFunctionReturnType,
  decodeErrorResult,
  decodeFunctionResult,
  encodeFunctionData,
  type Hex,
} from 'viem';
import type { Chain } from '../src/chain.js';
import { createHeadVM } from '../src/vm.js';
import { CHAIN_ID, openDevChain } from './helpers.js';

export const users: DevAccount[] = deriveDevAccounts(DEV_MNEMONIC, 6);

export interface TxOutcome {
  ok: boolean;
  gasUsed: bigint;
  returnValue: Hex;
  /** The custom error's name and args when it reverted with one from `abi`. */
  error: { name: string; args: readonly unknown[] } | undefined;
  /** EthereumJS's error string when the call failed without revert data (out of gas, ...). */
  failure: string | undefined;
  result: RunTxResult;
}

/**
 * Solidity that relays a call with CALL (0), STATICCALL (1), DELEGATECALL (2) or
 * CALLCODE (3), bubbling reverts up; mode 4 makes the CALL and then reverts with its output.
 */
export const RELAY_SOURCE = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;
contract Relay {
  function relay(address target, uint8 mode, bytes calldata data) external payable returns (bytes memory out) {
    bool ok;
    if (mode == 0 || mode == 4) (ok, out) = target.call{value: msg.value}(data);
    else if (mode == 1) (ok, out) = target.staticcall(data);
    else if (mode == 2) (ok, out) = target.delegatecall(data);
    else {
      bytes memory input = data;
      uint256 value = msg.value;
      assembly {
        ok := callcode(gas(), target, value, add(input, 32), mload(input), 0, 0)
        out := mload(0x40)
        mstore(out, returndatasize())
        returndatacopy(add(out, 32), 0, returndatasize())
        mstore(0x40, add(add(out, 32), returndatasize()))
      }
    }
    if (!ok || mode == 4) assembly { revert(add(out, 32), mload(out)) }
  }
}`;

/** The Relay's one function. */
export const RELAY_ABI = [
  {
    type: 'function',
    name: 'relay',
    stateMutability: 'payable',
    inputs: [
      { name: 'target', type: 'address' },
      { name: 'mode', type: 'uint8' },
      { name: 'data', type: 'bytes' },
    ],
    outputs: [{ name: 'out', type: 'bytes' }],
  },
] as const;

export class Harness {
  readonly chain: Chain;
  readonly vm: VM;
  timestamp: bigint;
  private readonly nonces = new Map<string, bigint>();

  private constructor(chain: Chain, vm: VM) {
    this.chain = chain;
    this.vm = vm;
    this.timestamp = chain.head.header.timestamp + 12n;
  }

  static async create(): Promise<Harness> {
    const genesis = createDevGenesis({ chainId: CHAIN_ID, accounts: users, balance: 10_000n });
    const chain = await openDevChain(undefined, genesis);
    return new Harness(chain, await createHeadVM(chain));
  }

  private block() {
    return createBlock(
      {
        header: {
          number: this.chain.head.header.number + 1n,
          timestamp: this.timestamp,
          gasLimit: 30_000_000n,
          baseFeePerGas: 1_000_000_000n,
          coinbase: createZeroAddress(),
        },
      },
      { common: this.chain.common },
    );
  }

  async send(
    from: DevAccount,
    to: Hex,
    data: Hex,
    value = 0n,
    gasLimit = 15_000_000n,
    abi?: Abi,
  ): Promise<TxOutcome> {
    const result = await this.run(from, {
      to: createAddressFromString(to),
      value,
      data: hexToBytes(data),
      gasLimit,
    });
    return outcome(result, abi);
  }

  /** Signs a transaction of `from` at its next nonce and runs it in the current block. */
  private async run(
    from: DevAccount,
    fields: { to?: Address; value?: bigint; data: Uint8Array; gasLimit: bigint },
  ): Promise<RunTxResult> {
    const nonce = this.nonces.get(from.address) ?? 0n;
    const tx = createTx(
      {
        type: 2,
        nonce,
        ...fields,
        maxFeePerGas: 2_000_000_000n,
        maxPriorityFeePerGas: 0n,
        chainId: CHAIN_ID,
      },
      { common: this.chain.common },
    ).sign(hexToBytes(from.privateKey as Hex));
    const result = await runTx(this.vm, { tx, block: this.block(), skipBlockGasLimitValidation: true });
    this.nonces.set(from.address, nonce + 1n);
    return result;
  }

  async write<const A extends Abi, F extends ContractFunctionName<A, 'nonpayable' | 'payable'>>(
    from: DevAccount,
    address: Hex,
    abi: A,
    functionName: F,
    args: ContractFunctionArgs<A, 'nonpayable' | 'payable', F>,
    value = 0n,
    gasLimit?: bigint,
  ): Promise<TxOutcome> {
    const data = encodeFunctionData({ abi, functionName, args } as never);
    return this.send(from, address, data, value, gasLimit, abi);
  }

  /** Reads a view function (the call's changes are discarded). */
  async read<const A extends Abi, F extends ContractFunctionName<A, 'view' | 'pure'>>(
    address: Hex,
    abi: A,
    functionName: F,
    args: ContractFunctionArgs<A, 'view' | 'pure', F>,
  ): Promise<ContractFunctionReturnType<A, 'view' | 'pure', F>> {
    const data = encodeFunctionData({ abi, functionName, args } as never);
    await this.vm.evm.journal.checkpoint();
    try {
      const result = await this.vm.evm.runCall({
        caller: createZeroAddress(),
        to: createAddressFromString(address),
        data: hexToBytes(data),
        gasLimit: 30_000_000n,
        block: this.block(),
      });
      const ret = bytesToHex(result.execResult.returnValue);
      if (result.execResult.exceptionError !== undefined) {
        const err = decodeErrorResult({ abi, data: ret });
        throw new Error(`${String(functionName)} reverted: ${err.errorName}`);
      }
      return decodeFunctionResult({ abi, functionName, data: ret } as never) as never;
    } finally {
      await this.vm.evm.journal.revert();
    }
  }

  /**
   * Runs a call as a bare message (no transaction: no nonce, no gas bought) on the current state.
   * A failed call's leftovers are kept, so that the state root shows whether the EVM undid all of
   * it; a successful call's changes are discarded.
   */
  async probe(
    from: DevAccount,
    to: Hex,
    data: Hex,
    value = 0n,
    gasLimit = 15_000_000n,
    abi?: Abi,
  ): Promise<Pick<TxOutcome, 'ok' | 'error' | 'failure'>> {
    await this.vm.evm.journal.checkpoint();
    const result = await this.vm.evm.runCall({
      caller: createAddressFromString(from.address),
      to: createAddressFromString(to),
      data: hexToBytes(data),
      value,
      gasLimit,
      block: this.block(),
      skipNonceIncrement: true,
    });
    const err = result.execResult.exceptionError;
    if (err === undefined) await this.vm.evm.journal.revert();
    else await this.vm.evm.journal.commit();
    return {
      ok: err === undefined,
      error: revertError(err?.error, bytesToHex(result.execResult.returnValue), abi),
      failure: err?.error,
    };
  }

  async balance(address: Hex): Promise<bigint> {
    return (await this.vm.stateManager.getAccount(createAddressFromString(address)))?.balance ?? 0n;
  }

  async stateRoot(): Promise<Hex> {
    return bytesToHex(await this.vm.stateManager.getStateRoot());
  }

  /** Deploys compiled Solidity; returns its address. */
  async deploy(from: DevAccount, source: string, name: string): Promise<Hex> {
    const compiled = compileSolidity({ 'C.sol': source })[name];
    if (compiled === undefined) throw new Error(`no contract ${name}`);
    const result = await this.run(from, { data: hexToBytes(compiled.bytecode as Hex), gasLimit: 5_000_000n });
    if (result.createdAddress === undefined) throw new Error('deploy failed');
    return result.createdAddress.toString() as Hex;
  }
}

function outcome(result: RunTxResult, abi: Abi | undefined): TxOutcome {
  const err = result.execResult.exceptionError;
  const returnValue = bytesToHex(result.execResult.returnValue);
  return {
    ok: err === undefined,
    gasUsed: result.totalGasSpent,
    returnValue,
    error: revertError(err?.error, returnValue, abi),
    failure: err?.error,
    result,
  };
}

/** The custom error of `abi` a call reverted with, if any. */
function revertError(
  failure: string | undefined,
  returnValue: Hex,
  abi: Abi | undefined,
): TxOutcome['error'] {
  if (failure !== 'revert' || abi === undefined || returnValue.length < 10) return undefined;
  try {
    const decoded = decodeErrorResult({ abi, data: returnValue });
    return { name: decoded.errorName, args: decoded.args ?? [] };
  } catch {
    return undefined;
  }
}
