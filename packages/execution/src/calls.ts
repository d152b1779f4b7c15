// eth_call and eth_estimateGas: a transaction run on a copy of a block's
// state, with the sender taken on trust instead of from a signature.
import { type Block, createBlock } from '@ethereumjs/block';
import { createTx, type TypedTransaction, type TypedTxData } from '@ethereumjs/tx';
import type { Address, PrefixedHexString } from '@ethereumjs/util';
import { type RunTxResult, runTx, type VM } from '@ethereumjs/vm';
import { NodeError } from '@openledger/core';
import type { Chain } from './chain.js';
import { createVMAt } from './vm.js';

export interface CallRequest {
  from: Address;
  to: Address | undefined;
  gas: bigint | undefined;
  gasPrice: bigint | undefined;
  maxFeePerGas: bigint | undefined;
  maxPriorityFeePerGas: bigint | undefined;
  value: bigint;
  data: Uint8Array;
  accessList: { address: PrefixedHexString; storageKeys: PrefixedHexString[] }[] | undefined;
  authorizationList: unknown[] | undefined;
}

export interface CallOutcome {
  /** false when the call reverted or halted (out of gas, invalid opcode, ...). */
  success: boolean;
  reverted: boolean;
  returnValue: Uint8Array;
  gasUsed: bigint;
  /** The halt reason, when not a plain revert. */
  error: string | undefined;
}

export type CallErrorType =
  /** The transaction cannot run at all: nonce, funds, intrinsic gas, fee below base fee. */
  | { code: 'CALL_INVALID'; reason: string }
  /** estimateGas: the call fails even at the gas cap. */
  | { code: 'GAS_EXCEEDS_ALLOWANCE'; cap: bigint }
  /** estimateGas: the call reverts at any gas. */
  | { code: 'EXECUTION_REVERTED'; data: Uint8Array };

export class CallError extends NodeError<CallErrorType> {}

export interface CallLimits {
  /** Gas for calls that name none, and the most any call may use (geth's RPCGasCap). */
  gasCap: bigint;
}

export const defaultCallLimits: CallLimits = { gasCap: 50_000_000n };

function buildTx(vm: VM, req: CallRequest, gasLimit: bigint, nonce: bigint): TypedTransaction {
  const common = vm.common;
  const base = {
    ...(req.to === undefined ? {} : { to: req.to }),
    value: req.value,
    data: req.data,
    gasLimit,
    nonce,
  };
  let data: TypedTxData;
  if (req.authorizationList !== undefined && req.authorizationList.length > 0) {
    data = {
      ...base,
      type: 4,
      maxFeePerGas: req.maxFeePerGas ?? req.gasPrice ?? 0n,
      maxPriorityFeePerGas: req.maxPriorityFeePerGas ?? 0n,
      accessList: req.accessList ?? [],
      authorizationList: req.authorizationList,
    } as TypedTxData;
  } else if (req.maxFeePerGas !== undefined || req.maxPriorityFeePerGas !== undefined) {
    data = {
      ...base,
      type: 2,
      maxFeePerGas: req.maxFeePerGas ?? req.maxPriorityFeePerGas ?? 0n,
      maxPriorityFeePerGas: req.maxPriorityFeePerGas ?? 0n,
      accessList: req.accessList ?? [],
    };
  } else if (req.accessList !== undefined) {
    data = { ...base, type: 1, gasPrice: req.gasPrice ?? 0n, accessList: req.accessList };
  } else {
    data = { ...base, type: 0, gasPrice: req.gasPrice ?? 0n };
  }
  const tx = createTx(data, { common, freeze: false });
  // No signature: the caller says who it is, as every node's eth_call allows.
  tx.getSenderAddress = () => req.from;
  return tx;
}

/** The header calls run under: the block's own, with no base fee unless the call pays fees (as geth). */
function callContext(vm: VM, block: Block, req: CallRequest): Block {
  const paysFees =
    req.gasPrice !== undefined || req.maxFeePerGas !== undefined || req.maxPriorityFeePerGas !== undefined;
  if (paysFees) return block;
  return createBlock({ header: { ...block.header.toJSON(), baseFeePerGas: 0n } }, { common: vm.common });
}

async function attempt(vm: VM, context: Block, req: CallRequest, gasLimit: bigint): Promise<RunTxResult> {
  const account = await vm.stateManager.getAccount(req.from);
  const tx = buildTx(vm, req, gasLimit, account?.nonce ?? 0n);
  await vm.evm.journal.checkpoint();
  try {
    return await runTx(vm, {
      tx,
      block: context,
      skipNonce: true,
      skipBlockGasLimitValidation: true,
      skipHardForkValidation: true,
    });
  } catch (err) {
    throw new CallError(
      { code: 'CALL_INVALID', reason: err instanceof Error ? err.message : String(err) },
      callInvalidMessage(err),
    );
  } finally {
    await vm.evm.journal.revert();
  }
}

function callInvalidMessage(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  if (msg.includes('enough funds')) return 'insufficient funds for gas * price + value';
  if (msg.includes('gas limit is too low') || msg.includes('intrinsic')) return 'intrinsic gas too low';
  if (msg.includes('baseFeePerGas')) return 'max fee per gas less than block base fee';
  return msg.replace(/ \(block number.*$/s, '').replace(/ -> .*$/s, '');
}

function outcome(result: RunTxResult): CallOutcome {
  const err = result.execResult.exceptionError;
  return {
    success: err === undefined,
    reverted: err?.error === 'revert',
    returnValue: result.execResult.returnValue,
    gasUsed: result.totalGasSpent,
    error: err === undefined || err.error === 'revert' ? undefined : err.error,
  };
}

export async function executeCall(
  chain: Chain,
  block: Block,
  req: CallRequest,
  limits: CallLimits,
): Promise<CallOutcome> {
  const vm = await createVMAt(chain, block);
  const gas = req.gas === undefined || req.gas > limits.gasCap ? limits.gasCap : req.gas;
  return outcome(await attempt(vm, callContext(vm, block, req), req, gas));
}

/** Smallest gas limit at which the call succeeds, by binary search (as geth). */
export async function estimateGas(
  chain: Chain,
  block: Block,
  req: CallRequest,
  limits: CallLimits,
): Promise<bigint> {
  const vm = await createVMAt(chain, block);
  const context = callContext(vm, block, req);
  let hi = req.gas ?? block.header.gasLimit;
  if (hi > limits.gasCap) hi = limits.gasCap;
  const first = await attempt(vm, context, req, hi);
  const top = outcome(first);
  if (!top.success) {
    if (top.reverted) throw new CallError({ code: 'EXECUTION_REVERTED', data: top.returnValue });
    throw new CallError({ code: 'GAS_EXCEEDS_ALLOWANCE', cap: hi }, `gas required exceeds allowance (${hi})`);
  }
  // Gas used is a lower bound; refunds and the 63/64 rule can need more.
  let lo = first.totalGasSpent - 1n;
  const optimistic = ((first.totalGasSpent + first.gasRefund) * 64n) / 63n;
  if (optimistic < hi) {
    if (outcome(await attempt(vm, context, req, optimistic)).success) hi = optimistic;
    else lo = optimistic;
  }
  // The exact answer (anvil's), not geth's 1.5% tolerance: wallets and tests compare it.
  while (lo + 1n < hi) {
    const mid = (lo + hi) / 2n;
    if (outcome(await attempt(vm, context, req, mid)).success) hi = mid;
    else lo = mid;
  }
  return hi;
}
