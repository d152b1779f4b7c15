// eth_simulateV1: blocks of calls run one after another on a block's state,
// with the rules of geth's simulator (internal/ethapi/simulate.go). It runs
// on the call executor's VM inside one journal checkpoint that is reverted
// at the end, so nothing a simulation does outlives it.
import { Block, createBlock, createBlockHeader, type HeaderData } from '@ethereumjs/block';
import type { EVM, EVMMockBlockchainInterface } from '@ethereumjs/evm';
import { createTx, type TypedTransaction, type TypedTxData } from '@ethereumjs/tx';
import { type Address, KECCAK256_RLP } from '@ethereumjs/util';
import { Bloom, encodeReceipt, type RunTxResult, runTx, type VM } from '@ethereumjs/vm';
import {
  type CallRequest,
  callOutcome,
  MAX_SIMULATED_BLOCKS,
  MAX_SIMULATED_CALLS,
  type SimulatedBlockSpec,
  type SimulateRequest,
} from '@openledger/core';
import { DeadlineExceeded } from './deadline.js';
import { postMergeFields } from './genesis.js';
import type { Log, TxReceipt } from './receipts.js';
import { rejected, type SimulationError } from './simulate-error.js';
import { TransferTracer } from './simulate-transfers.js';
import { PrecompileSet, SenderCodeCheck, SimulatedBlockHashes } from './simulate-vm.js';
import { applyStateEdits } from './state-edits.js';
import { orderedTrieRoot } from './trie-root.js';

export { SimulationError, type SimulationErrorType } from './simulate-error.js';
export { isDelegation } from './simulate-vm.js';

export interface SimulateLimits {
  /** Gas all the calls of one request may use together (geth's RPC gas cap, spent as a budget). */
  gasCap: bigint;
}

export interface SimulatedCall {
  returnValue: Uint8Array;
  /** The call's logs; with `traceTransfers`, its ether transfers among them, in the order they happened. */
  logs: Log[];
  gasUsed: bigint;
  /** Gas used before refunds: what the call needs to run. */
  maxUsedGas: bigint;
  success: boolean;
  reverted: boolean;
  /** Why the call halted (out of gas, invalid opcode, ...), when it failed without a revert. */
  error: string | undefined;
}

export interface SimulatedBlock {
  block: Block;
  receipts: TxReceipt[];
  calls: SimulatedCall[];
}

/** Seconds between simulated blocks that do not set their time (geth's). */
const TIMESTAMP_INCREMENT = 12n;
/**
 * The state root of every simulated block. A root needs the changes flushed
 * into the trie, and inside the checkpoint that keeps them from outliving the
 * request a flush drops the state cache's undo log and writes storage-trie
 * nodes straight to the node database: the roots are not computed.
 */
export const SIMULATED_STATE_ROOT = new Uint8Array(32);

export interface PlannedBlock {
  number: bigint;
  timestamp: bigint;
  /** undefined: an empty block filling a gap the request left between two block numbers. */
  spec: SimulatedBlockSpec | undefined;
}

/**
 * Numbers and timestamps of the simulated blocks (geth's sanitizeChain):
 * each block one above the last unless it names its number, which must
 * rise; gaps filled with empty blocks; each 12 s after the last unless it
 * names its time, which must rise.
 */
export function planBlocks(
  base: { number: bigint; timestamp: bigint },
  specs: readonly SimulatedBlockSpec[],
): PlannedBlock[] {
  const planned: PlannedBlock[] = [];
  let number = base.number;
  let timestamp = base.timestamp;
  for (const spec of specs) {
    const next = spec.block.number ?? number + 1n;
    if (next <= number)
      throw rejected('block-number-order', `block numbers must be in order: ${next} <= ${number}`);
    if (next - base.number > BigInt(MAX_SIMULATED_BLOCKS))
      throw rejected(
        'limit-exceeded',
        `too many blocks: at most ${MAX_SIMULATED_BLOCKS} after the base block`,
      );
    for (let gap = number + 1n; gap < next; gap++) {
      timestamp += TIMESTAMP_INCREMENT;
      planned.push({ number: gap, timestamp, spec: undefined });
    }
    const time = spec.block.time ?? timestamp + TIMESTAMP_INCREMENT;
    if (time <= timestamp)
      throw rejected('block-timestamp-order', `block timestamps must be in order: ${time} <= ${timestamp}`);
    planned.push({ number: next, timestamp: time, spec });
    number = next;
    timestamp = time;
  }
  return planned;
}

/**
 * Runs `request` on `vm`, whose state must be `base`'s. The VM is lent for
 * the run: its BLOCKHASH view, precompiles and listeners are put back after.
 */
export async function simulateBlocks(
  vm: VM,
  base: Block,
  request: SimulateRequest,
  limits: SimulateLimits,
): Promise<SimulatedBlock[]> {
  const calls = request.blocks.reduce((n, b) => n + b.calls.length, 0);
  if (calls > MAX_SIMULATED_CALLS)
    throw rejected('limit-exceeded', `too many calls: at most ${MAX_SIMULATED_CALLS}`);
  const plan = planBlocks(base.header, request.blocks);
  const journal = vm.evm.journal;
  await journal.checkpoint();
  const simulation = new Simulation(vm, base, request, limits);
  const out: SimulatedBlock[] = [];
  try {
    let parent = base;
    for (const planned of plan) {
      const simulated = await simulation.block(planned, parent);
      out.push(simulated);
      parent = simulated.block;
    }
  } catch (err) {
    // Stopped midway by the deadline: the journal holds open frames, and the executor drops this VM.
    if (!(err instanceof DeadlineExceeded)) await journal.revert();
    throw err;
  } finally {
    simulation.close();
  }
  await journal.revert();
  return out;
}

/** The state of one simulation: gas left, hashes of the blocks made so far, what it borrowed from the VM. */
class Simulation {
  private readonly vm: VM;
  private readonly evm: EVM;
  private readonly validation: boolean;
  private readonly hashes = new Map<bigint, Uint8Array>();
  private readonly canonicalHashes: EVMMockBlockchainInterface;
  private readonly precompiles: PrecompileSet;
  private readonly senderCode: SenderCodeCheck;
  private readonly transfers: TransferTracer | undefined;
  /** Gas the remaining calls may use, over all blocks. */
  private budget: bigint;
  /** Carried from block to block until overridden again (geth's). */
  private gasLimit: bigint;
  private coinbase: Address;

  constructor(vm: VM, base: Block, request: SimulateRequest, limits: SimulateLimits) {
    this.vm = vm;
    this.evm = vm.evm as EVM;
    this.validation = request.validation;
    this.budget = limits.gasCap;
    this.gasLimit = base.header.gasLimit;
    this.coinbase = base.header.coinbase;
    this.canonicalHashes = this.evm.blockchain;
    this.evm.blockchain = new SimulatedBlockHashes(this.canonicalHashes, base.header.number, this.hashes);
    this.precompiles = new PrecompileSet(this.evm.precompiles);
    this.senderCode = new SenderCodeCheck(vm);
    this.transfers = request.traceTransfers ? new TransferTracer(this.evm) : undefined;
  }

  /** Gives the VM back as it was lent. */
  close(): void {
    this.evm.blockchain = this.canonicalHashes;
    this.precompiles.restore();
    this.senderCode.detach();
    this.transfers?.detach();
  }

  async block(planned: PlannedBlock, parent: Block): Promise<SimulatedBlock> {
    const { spec } = planned;
    const o = spec?.block ?? {};
    this.gasLimit = o.gasLimit ?? this.gasLimit;
    this.coinbase = o.coinbase ?? this.coinbase;
    const common = this.vm.common;
    // Without validation the base fee is 0 unless set: a call paying no fee is then no edge case (geth's).
    const baseFee = o.baseFee ?? (this.validation ? parent.header.calcNextBaseFee() : 0n);
    const fields: HeaderData = {
      ...postMergeFields(common),
      parentHash: parent.hash(),
      number: planned.number,
      timestamp: planned.timestamp,
      gasLimit: this.gasLimit,
      coinbase: this.coinbase,
      baseFeePerGas: baseFee,
      mixHash: o.prevRandao ?? new Uint8Array(32),
      extraData: new Uint8Array(),
    };
    const context = createBlock({ header: fields }, { common });
    // A call paying no fee sees a zero base fee (geth's NoBaseFee), so that it can run at all.
    const feeless =
      baseFee === 0n ? context : createBlock({ header: { ...fields, baseFeePerGas: 0n } }, { common });
    this.precompiles.prepare(spec);
    if (spec?.state !== undefined) await applyStateEdits(this.vm.stateManager, spec.state);

    const txs: TypedTransaction[] = [];
    const results: RunTxResult[] = [];
    const receipts: TxReceipt[] = [];
    const calls: SimulatedCall[] = [];
    let gasUsed = 0n;
    for (const call of spec?.calls ?? []) {
      const under = this.validation || paysFees(call) ? context : feeless;
      const { tx, result } = await this.call(call, under, gasUsed);
      gasUsed += result.blockGasSpent;
      const runBaseFee = under.header.baseFeePerGas ?? 0n;
      const failure = result.execResult.exceptionError;
      txs.push(tx);
      results.push(result);
      receipts.push({
        type: tx.type,
        status: failure === undefined ? 1 : 0,
        cumulativeGasUsed: gasUsed,
        gasUsed: result.totalGasSpent,
        effectiveGasPrice: tx.getEffectivePriorityFee(runBaseFee) + runBaseFee,
        logs: result.execResult.logs ?? [],
        from: call.from.bytes,
        contractAddress: result.createdAddress?.bytes,
      });
      const peak = result.execResult.executionGasUsed + tx.getIntrinsicGas();
      calls.push({
        ...callOutcome(result.execResult, result.totalGasSpent),
        logs: this.transfers?.logs(result) ?? result.execResult.logs ?? [],
        maxUsedGas: peak > result.totalGasSpent ? peak : result.totalGasSpent,
      });
    }

    const bloom = new Bloom(undefined, common);
    for (const result of results) bloom.or(result.bloom);
    const header = createBlockHeader(
      {
        ...fields,
        stateRoot: SIMULATED_STATE_ROOT,
        gasUsed,
        logsBloom: bloom.bitvector,
        transactionsTrie: orderedTrieRoot(txs.map((tx) => tx.serialize())),
        receiptTrie: orderedTrieRoot(results.map((r, i) => encodeReceipt(r.receipt, txs[i]!.type))),
        withdrawalsRoot: KECCAK256_RLP,
      },
      { common },
    );
    // The Block constructor keeps the transaction objects (and the sender each was given).
    const block = new Block(header, txs, [], [], { common });
    this.hashes.set(planned.number, block.hash());
    return { block, receipts, calls };
  }

  /** Runs one call as a transaction of the block `context` heads, after `gasUsed` of its gas. */
  private async call(
    call: CallRequest,
    context: Block,
    gasUsed: bigint,
  ): Promise<{ tx: TypedTransaction; result: RunTxResult }> {
    const gasLimit = context.header.gasLimit;
    // A call naming no gas gets what is left of its block, and any call at most what is left of the budget.
    const wanted = call.gas ?? gasLimit - gasUsed;
    if (gasUsed + wanted > gasLimit)
      throw rejected('block-gas-limit', `block gas limit reached: ${gasUsed} + ${wanted} > ${gasLimit}`);
    const gas = wanted < this.budget ? wanted : this.budget;
    const stateNonce = (await this.vm.stateManager.getAccount(call.from))?.nonce ?? 0n;
    if (this.validation && call.nonce !== undefined && call.nonce !== stateNonce) {
      const [reason, words] =
        call.nonce < stateNonce
          ? (['nonce-too-low', 'nonce too low'] as const)
          : (['nonce-too-high', 'nonce too high'] as const);
      throw rejected(reason, `${words}: address ${call.from}, tx: ${call.nonce} state: ${stateNonce}`);
    }
    const tx = simulatedTx(this.vm, call, gas, call.nonce ?? stateNonce);
    this.transfers?.reset();
    const journal = this.vm.evm.journal;
    await journal.checkpoint();
    let result: RunTxResult;
    try {
      result = await runTx(this.vm, {
        tx,
        block: context,
        blockGasUsed: gasUsed,
        skipNonce: !this.validation,
        skipBlockGasLimitValidation: true,
        skipHardForkValidation: true,
      });
    } catch (err) {
      if (err instanceof DeadlineExceeded) throw err;
      await journal.revert();
      this.senderCode.raise();
      throw invalidCall(err, call);
    }
    await journal.commit();
    this.senderCode.raise();
    this.budget -= result.totalGasSpent;
    return { tx, result };
  }
}

function paysFees(call: CallRequest): boolean {
  return (
    (call.gasPrice ?? 0n) > 0n || (call.maxFeePerGas ?? 0n) > 0n || (call.maxPriorityFeePerGas ?? 0n) > 0n
  );
}

/**
 * The call as the transaction a simulated block holds: EIP-1559 unless it
 * names a gas price (legacy, or EIP-2930 with an access list) or
 * authorizations (EIP-7702); the sender taken on trust, and a zero signature
 * so that it has a hash (geth's simulated transactions are unsigned too).
 */
function simulatedTx(vm: VM, call: CallRequest, gasLimit: bigint, nonce: bigint): TypedTransaction {
  const common = vm.common;
  const base = {
    ...(call.to === undefined ? {} : { to: call.to }),
    value: call.value,
    data: call.data,
    gasLimit,
    nonce,
    r: 0n,
    s: 0n,
  };
  let data: TypedTxData;
  if (call.authorizationList !== undefined && call.authorizationList.length > 0) {
    data = {
      ...base,
      type: 4,
      v: 0n,
      maxFeePerGas: call.maxFeePerGas ?? call.maxPriorityFeePerGas ?? 0n,
      maxPriorityFeePerGas: call.maxPriorityFeePerGas ?? 0n,
      accessList: call.accessList ?? [],
      authorizationList: call.authorizationList,
    } as TypedTxData;
  } else if (call.gasPrice !== undefined && call.accessList !== undefined) {
    data = { ...base, type: 1, v: 0n, gasPrice: call.gasPrice, accessList: call.accessList };
  } else if (call.gasPrice !== undefined) {
    // A legacy transaction's v carries the chain id (EIP-155).
    data = { ...base, type: 0, v: common.chainId() * 2n + 35n, gasPrice: call.gasPrice };
  } else {
    data = {
      ...base,
      type: 2,
      v: 0n,
      maxFeePerGas: call.maxFeePerGas ?? call.maxPriorityFeePerGas ?? 0n,
      maxPriorityFeePerGas: call.maxPriorityFeePerGas ?? 0n,
      accessList: call.accessList ?? [],
    };
  }
  let tx: TypedTransaction;
  try {
    tx = createTx(data, { common, freeze: false });
  } catch (err) {
    throw invalidCall(err, call);
  }
  tx.getSenderAddress = () => call.from;
  return tx;
}

/** A call the VM refused, with the spec's reason and geth's words. */
function invalidCall(err: unknown, call: CallRequest): SimulationError {
  const msg = err instanceof Error ? err.message : String(err);
  const from = call.from.toString();
  const match = /upfront cost is: (\d+).*only has: (\d+)|max cost is: (\d+).*only has: (\d+)/s.exec(msg);
  if (match !== null) {
    const [want, have] = match[1] === undefined ? [match[3], match[4]] : [match[1], match[2]];
    return rejected(
      'insufficient-funds',
      `insufficient funds for gas * price + value: address ${from} have ${have} want ${want}`,
    );
  }
  if (msg.includes("less than the block's baseFeePerGas")) {
    const fee = /\((\d+)\) is less than the block's baseFeePerGas \((\d+)\)/.exec(msg);
    return rejected(
      'fee-cap-too-low',
      `max fee per gas less than block base fee: address ${from}, maxFeePerGas: ${fee?.[1]}, baseFee: ${fee?.[2]}`,
    );
  }
  if (msg.includes('INTRINSIC_GAS_TOO_LOW')) {
    const gas = /gas limit (\d+) is lower than the minimum gas limit of (\d+)/.exec(msg);
    return rejected('intrinsic-gas', `intrinsic gas too low: have ${gas?.[1]}, want ${gas?.[2]}`);
  }
  if (msg.includes('initcode size')) return rejected('init-code-too-large', 'max initcode size exceeded');
  if (msg.includes('maxPriorityFeePerGas'))
    return rejected('invalid-call', 'max priority fee per gas higher than max fee per gas');
  // EthereumJS appends the block and transaction it was running; the reason is enough.
  return rejected('invalid-transaction', msg.replace(/ \(block number.*$/s, '').replace(/ -> .*$/s, ''));
}
