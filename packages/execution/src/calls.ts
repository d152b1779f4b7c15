// eth_call and eth_estimateGas: a transaction run on a copy of a block's
// state, with the sender taken on trust instead of from a signature.
import { type Block, createBlock } from '@ethereumjs/block';
import type { EVM } from '@ethereumjs/evm';
import type { MerkleStateManager } from '@ethereumjs/statemanager';
import { createTx, type TypedTransaction, type TypedTxData } from '@ethereumjs/tx';
import { equalsBytes } from '@ethereumjs/util';
import { type RunTxResult, runTx, type VM } from '@ethereumjs/vm';
import {
  type BlockOverrides,
  type CallOutcome,
  type CallOverrides,
  type CallRequest,
  callOutcome,
  NodeError,
  type SimulateRequest,
  type StateOverrides,
  type TraceOptions,
} from '@openledger/core';
import type { Chain } from './chain.js';
import { DeadlineExceeded, installDeadline } from './deadline.js';
import { directCall, precompilesAlwaysWarm, skipZeroValueTopWrites } from './direct-call.js';
import { keepReadsAcrossReverts, trimReadCaches } from './read-cache.js';
import { type SimulatedBlock, simulateBlocks } from './simulate.js';
import { applyStateEdits } from './state-edits.js';
import { alwaysTouched, traceRun } from './trace.js';
import { viewCall } from './view-call.js';
import { createVMAt } from './vm.js';

export type CallErrorType =
  /** The transaction cannot run at all: nonce, funds, intrinsic gas, fee below base fee. */
  | { code: 'CALL_INVALID'; reason: string }
  /** estimateGas: the call fails even at the gas cap. */
  | { code: 'GAS_EXCEEDS_ALLOWANCE'; cap: bigint }
  /** estimateGas: the call reverts at any gas. */
  | { code: 'EXECUTION_REVERTED'; data: Uint8Array }
  /** Too many calls waiting for the executor. */
  | { code: 'CALLS_BUSY'; queued: number }
  /** The call ran past the time limit and was stopped (geth's --rpc.evmtimeout). */
  | { code: 'CALL_TIMEOUT'; timeoutMs: number };

export class CallError extends NodeError<CallErrorType> {}

type AccessList = NonNullable<CallRequest['accessList']>;

export interface AccessListOutcome {
  accessList: AccessList;
  gasUsed: bigint;
  /** Why the call failed, when it did; the list is what it touched before. */
  error: string | undefined;
}

/** Runs of eth_createAccessList before it settles for the last list (geth loops until stable). */
const MAX_ACCESS_LIST_ROUNDS = 4;
/** Addresses warm from the start (Prague's precompiles, 0x01 to 0x11), which a list never needs. */
const PRECOMPILES = Array.from({ length: 0x11 }, (_, i) => `0x${(i + 1).toString(16).padStart(40, '0')}`);

function sameAccessList(a: AccessList, b: AccessList): boolean {
  const key = (list: AccessList) =>
    JSON.stringify(list.map((i) => [i.address.toLowerCase(), [...i.storageKeys].sort()]).sort());
  return key(a) === key(b);
}

export interface CallLimits {
  /** Gas for calls that name none, and the most any call may use (geth's RPCGasCap). */
  gasCap: bigint;
  /** Calls waiting their turn, at most; more are refused. */
  maxQueued: number;
  /** Wall-clock time one call (or one whole gas estimate) may run; 0: no limit. */
  timeoutMs: number;
}

export const defaultCallLimits: CallLimits = { gasCap: 50_000_000n, maxQueued: 1_024, timeoutMs: 5_000 };

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

/** The block's header with what a call's block override changes (geth's BlockOverrides). */
function overriddenContext(vm: VM, block: Block, req: CallRequest, o: BlockOverrides): Block {
  const baseFee = o.baseFee ?? (paysFees(req) ? (block.header.baseFeePerGas ?? 0n) : 0n);
  return createBlock(
    {
      header: {
        ...block.header.toJSON(),
        ...(o.number === undefined ? {} : { number: o.number }),
        ...(o.time === undefined ? {} : { timestamp: o.time }),
        ...(o.gasLimit === undefined ? {} : { gasLimit: o.gasLimit }),
        ...(o.coinbase === undefined ? {} : { coinbase: o.coinbase }),
        ...(o.prevRandao === undefined ? {} : { mixHash: o.prevRandao }),
        baseFeePerGas: baseFee,
      },
    },
    { common: vm.common },
  );
}

/** Runs `fn` with `overrides` applied to the state, and undoes them after. */
async function withStateOverrides<T>(
  vm: VM,
  overrides: StateOverrides | undefined,
  fn: () => Promise<T>,
): Promise<T> {
  if (overrides === undefined || overrides.size === 0) return fn();
  await vm.evm.journal.checkpoint();
  try {
    await applyStateEdits(vm.stateManager, overrides);
    const result = await fn();
    await vm.evm.journal.revert();
    return result;
  } catch (err) {
    // A run stopped by the deadline leaves the journal unbalanced; the executor drops the VM.
    if (!(err instanceof DeadlineExceeded)) await vm.evm.journal.revert();
    throw err;
  }
}

function paysFees(req: CallRequest): boolean {
  return (
    req.gasPrice !== undefined || req.maxFeePerGas !== undefined || req.maxPriorityFeePerGas !== undefined
  );
}

/** The block's header with no base fee: what a call that pays no fees runs under (as geth). */
function callContext(vm: VM, block: Block): Block {
  return createBlock({ header: { ...block.header.toJSON(), baseFeePerGas: 0n } }, { common: vm.common });
}

async function attempt(
  vm: VM,
  context: Block,
  req: CallRequest,
  gasLimit: bigint,
  reportAccessList = false,
): Promise<RunTxResult> {
  const account = await vm.stateManager.getAccount(req.from);
  const tx = buildTx(vm, req, gasLimit, account?.nonce ?? 0n);
  await vm.evm.journal.checkpoint();
  let result: RunTxResult;
  try {
    result = await runTx(vm, {
      tx,
      block: context,
      skipNonce: true,
      skipBlockGasLimitValidation: true,
      skipHardForkValidation: true,
      reportAccessList,
    });
  } catch (err) {
    // Stopped midway: the journal holds the frames' open checkpoints; the executor drops this VM.
    if (err instanceof DeadlineExceeded) throw err;
    await vm.evm.journal.revert();
    throw new CallError(
      { code: 'CALL_INVALID', reason: err instanceof Error ? err.message : String(err) },
      callInvalidMessage(err),
    );
  }
  await vm.evm.journal.revert();
  return result;
}

/** A call that names no value, fees, gas, access list or authorizations: what wallets send most. */
function isPlainCall(req: CallRequest): boolean {
  return (
    req.to !== undefined &&
    req.value === 0n &&
    req.gas === undefined &&
    !paysFees(req) &&
    req.accessList === undefined &&
    (req.authorizationList === undefined || req.authorizationList.length === 0)
  );
}

function callInvalidMessage(err: unknown): string {
  // EthereumJS appends the VM, block and tx it ran (" (vm hf=... -> block header ... baseFeePerGas=...
  // -> tx ...)"): the reason is what comes before.
  const msg = (err instanceof Error ? err.message : String(err))
    .replace(/ \((?:vm hf=|block number).*$/s, '')
    .replace(/ -> .*$/s, '');
  if (msg.includes('enough funds')) return 'insufficient funds for gas * price + value';
  if (msg.includes('gas limit is too low') || msg.includes('intrinsic')) return 'intrinsic gas too low';
  if (msg.includes('baseFeePerGas')) return 'max fee per gas less than block base fee';
  return msg;
}

function outcome(result: RunTxResult): CallOutcome {
  return callOutcome(result.execResult, result.totalGasSpent);
}

/**
 * Runs calls and gas estimates on one VM of its own, kept between calls so
 * its EVM and state caches stay warm: building a VM costs more than most
 * calls. Calls run one at a time (they are CPU-bound on one thread anyway);
 * the VM moves to the state root each call names.
 */
export class CallExecutor {
  private readonly chain: Chain;
  private readonly limits: CallLimits;
  private vm: VM | undefined;
  private root: Uint8Array | undefined;
  private tail: Promise<unknown> = Promise.resolve();
  private queued = 0;
  private context: { hash: Uint8Array; block: Block } | undefined;
  private deadline = Number.POSITIVE_INFINITY;
  /** A plain call's message is running (directCall): its top frame's zero-value writes are skipped. */
  private plain = false;

  constructor(chain: Chain, limits: CallLimits) {
    this.chain = chain;
    this.limits = limits;
  }

  call(block: Block, req: CallRequest, overrides: CallOverrides = {}): Promise<CallOutcome> {
    return this.exclusive(async () => {
      const vm = await this.vmAt(block);
      const gas = this.gasFor(req);
      const context = this.contextFor(vm, block, req, overrides.block);
      return withStateOverrides(
        vm,
        overrides.state,
        async () =>
          (isPlainCall(req) ? await this.direct(vm, context, req, gas) : undefined) ??
          outcome(await attempt(vm, context, req, gas)),
      );
    });
  }

  private async direct(
    vm: VM,
    context: Block,
    req: CallRequest,
    gas: bigint,
  ): Promise<CallOutcome | undefined> {
    this.plain = true;
    try {
      return (await viewCall(vm, context, req, gas)) ?? (await directCall(vm, context, req, gas));
    } finally {
      this.plain = false;
    }
  }

  /** Smallest gas limit at which the call succeeds, by binary search. */
  estimateGas(block: Block, req: CallRequest, overrides: CallOverrides = {}): Promise<bigint> {
    return this.exclusive(async () => {
      const vm = await this.vmAt(block);
      const context = this.contextFor(vm, block, req, overrides.block);
      return withStateOverrides(vm, overrides.state, () => searchGas(vm, context, block, req, this.limits));
    });
  }

  /**
   * eth_createAccessList: the addresses and slots the call touches, found by
   * running it with the list it reported until the list stops changing (as
   * geth), and the gas it uses with that list.
   */
  createAccessList(block: Block, req: CallRequest): Promise<AccessListOutcome> {
    return this.exclusive(async () => {
      const vm = await this.vmAt(block);
      const context = this.contextFor(vm, block, req);
      const gas = this.gasFor(req);
      const excluded = new Set([req.from.toString(), req.to?.toString(), ...PRECOMPILES]);
      let list = req.accessList ?? [];
      for (let round = 0; ; round++) {
        const result = await attempt(vm, context, { ...req, accessList: list }, gas, true);
        const found = (result.accessList ?? []).filter(
          (item) => item.storageKeys.length > 0 || !excluded.has(item.address.toLowerCase()),
        ) as AccessList;
        if (sameAccessList(found, list) || round === MAX_ACCESS_LIST_ROUNDS) {
          const out = outcome(result);
          return {
            accessList: found,
            gasUsed: result.totalGasSpent,
            error: out.success
              ? undefined
              : out.reverted
                ? 'execution reverted'
                : (out.error ?? 'execution failed'),
          };
        }
        list = found;
      }
    });
  }

  /** debug_traceCall: the call run with a tracer attached, on the state and block the overrides make. */
  traceCall(
    block: Block,
    req: CallRequest,
    opts: TraceOptions,
    overrides: CallOverrides = {},
  ): Promise<Awaited<ReturnType<typeof traceRun>>> {
    return this.exclusive(async () => {
      const vm = await this.vmAt(block);
      const gas = this.gasFor(req);
      const context = this.contextFor(vm, block, req, overrides.block);
      const always = alwaysTouched(req.from, req.to, context.header.coinbase);
      // The overrides are in place before the tracer starts: a prestate shows the overridden state, as geth's does.
      return withStateOverrides(vm, overrides.state, () =>
        traceRun(vm, () => attempt(vm, context, req, gas), opts, always),
      );
    });
  }

  /** The gas a call runs with: what it names, at most the cap; the cap when it names none. */
  private gasFor(req: CallRequest): bigint {
    return req.gas === undefined || req.gas > this.limits.gasCap ? this.limits.gasCap : req.gas;
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (this.queued >= this.limits.maxQueued) {
      return Promise.reject(
        new CallError({ code: 'CALLS_BUSY', queued: this.queued }, 'too many calls in flight, try again'),
      );
    }
    this.queued++;
    const result = this.tail.then(() => this.withDeadline(fn));
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result.finally(() => {
      this.queued--;
    });
  }

  /** Runs `fn` under the time limit; a run stopped midway leaves the VM's journal open, so the VM goes. */
  private async withDeadline<T>(fn: () => Promise<T>): Promise<T> {
    const { timeoutMs } = this.limits;
    this.deadline = timeoutMs > 0 ? performance.now() + timeoutMs : Number.POSITIVE_INFINITY;
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof DeadlineExceeded)) throw err;
      this.vm = undefined;
      this.root = undefined;
      throw new CallError(
        { code: 'CALL_TIMEOUT', timeoutMs },
        `execution aborted (timeout = ${timeoutMs / 1000}s)`,
      );
    } finally {
      this.deadline = Number.POSITIVE_INFINITY;
    }
  }

  private async vmAt(block: Block): Promise<VM> {
    const root = block.header.stateRoot;
    if (this.vm === undefined) {
      this.vm = await createVMAt(this.chain, block);
      keepReadsAcrossReverts(this.vm.stateManager as MerkleStateManager);
      installDeadline(this.vm.evm as EVM, () => this.deadline);
      skipZeroValueTopWrites(this.vm.evm as EVM, () => this.plain);
      precompilesAlwaysWarm(this.vm.evm as EVM);
      this.root = root;
    } else if (this.root === undefined || !equalsBytes(this.root, root)) {
      await this.vm.stateManager.setStateRoot(root);
      this.root = root;
    } else {
      trimReadCaches(this.vm.stateManager as MerkleStateManager);
    }
    return this.vm;
  }

  /** The header calls run under, kept for the last block asked. */
  private contextFor(vm: VM, block: Block, req: CallRequest, override?: BlockOverrides): Block {
    if (override !== undefined) return overriddenContext(vm, block, req, override);
    if (paysFees(req)) return block;
    if (this.context === undefined || !equalsBytes(this.context.hash, block.hash())) {
      this.context = { hash: block.hash(), block: callContext(vm, block) };
    }
    return this.context.block;
  }

  /** eth_simulateV1: the request's blocks of calls on `block`'s state (simulate.ts); none of it is kept. */
  simulate(block: Block, request: SimulateRequest): Promise<SimulatedBlock[]> {
    return this.exclusive(async () =>
      simulateBlocks(await this.vmAt(block), block, request, { gasCap: this.limits.gasCap }),
    );
  }
}

async function searchGas(
  vm: VM,
  context: Block,
  block: Block,
  req: CallRequest,
  limits: CallLimits,
): Promise<bigint> {
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
