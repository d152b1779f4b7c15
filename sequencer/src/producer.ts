// The block production loop: every `blockTime` seconds, or as soon as the
// pool has work when `blockTime` is 0 (automine), take transactions from the
// pool, build a block, commit it, and tell the rest of the node.
import type { Block } from '@ethereumjs/block';
import { type Address, bytesToHex } from '@ethereumjs/util';
import type { VM } from '@ethereumjs/vm';
import { type Logger, NodeError, type StateOverrides } from '@openledger/core';
import { type Chain, PendingBlock, type TxReceipt } from '@openledger/execution';
import type { ProducerMetrics } from './metrics.js';
import type { TxPool } from './txpool.js';

export interface ProducerOptions {
  /** Seconds between blocks; 0 builds a block as soon as transactions arrive. */
  blockTime: number;
  /** Bound on the work of one block, besides its gas limit. */
  maxTxsPerBlock: number;
  /** Where priority fees go. */
  coinbase: Address;
}

export const defaultProducerOptions: Omit<ProducerOptions, 'coinbase'> = {
  blockTime: 2,
  maxTxsPerBlock: 5_000,
};

export interface ProducedBlock {
  block: Block;
  receipts: TxReceipt[];
}

export interface ProducerDeps {
  metrics: ProducerMetrics | null;
  chain: Chain;
  vm: VM;
  pool: TxPool;
  logger: Logger;
  onBlock: (produced: ProducedBlock) => void;
}

const MIN_TX_GAS = 21_000n;

export type ProducerErrorType = { code: 'TIMESTAMP_NOT_AFTER_HEAD'; timestamp: bigint; head: bigint };

export class ProducerError extends NodeError<ProducerErrorType> {}

export class BlockProducer {
  private readonly opts: ProducerOptions;
  private readonly deps: ProducerDeps;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private wanted = false;
  private stopped = true;
  /** Devnet time travel: seconds added to the clock, and a timestamp for the next block. */
  private timeOffset = 0n;
  private nextTimestamp: bigint | undefined;

  constructor(opts: ProducerOptions, deps: ProducerDeps) {
    this.opts = opts;
    this.deps = deps;
  }

  start(): void {
    this.stopped = false;
    if (this.opts.blockTime > 0) this.schedule();
    else this.trigger();
  }

  /** Automine: a transaction arrived. Coalesces with a build already running. */
  trigger(): void {
    if (this.stopped || this.opts.blockTime > 0) return;
    this.wanted = true;
    if (this.running !== undefined) return;
    // Built on the next turn of the event loop, not the next microtask: the other
    // transactions of a batch (or of concurrent requests) finish admission first and
    // share the block. `running` is cleared in a later tick than it is set.
    this.running = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.drain())
      .finally(() => {
        this.running = undefined;
      });
  }

  /** Devnet: the next block gets exactly `timestamp`, which must be later than the head's. */
  setNextTimestamp(timestamp: bigint): void {
    const head = this.deps.chain.head.header.timestamp;
    if (timestamp <= head) {
      throw new ProducerError(
        { code: 'TIMESTAMP_NOT_AFTER_HEAD', timestamp, head },
        `timestamp ${timestamp} is not after the head's ${head}`,
      );
    }
    this.nextTimestamp = timestamp;
  }

  /** Devnet: moves the clock of later blocks forward by `seconds`; returns the total offset. */
  increaseTime(seconds: bigint): bigint {
    this.timeOffset += seconds;
    return this.timeOffset;
  }

  /** Builds one block now, whatever the mode (devnet's evm_mine, tests). */
  async mine(timestamp?: bigint): Promise<ProducedBlock> {
    return this.exclusive(async () => {
      if (timestamp !== undefined) this.setNextTimestamp(timestamp);
      return this.produce();
    });
  }

  /** Devnet: writes `edits` (balances, nonces, code, storage) into the state, in a block built now. */
  async editState(edits: StateOverrides): Promise<ProducedBlock> {
    return this.exclusive(() => this.produce(edits));
  }

  /** Runs `fn` when no block is being built, and keeps others from building until it is done. */
  private async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    while (this.running !== undefined) await this.running;
    let result: T | undefined;
    this.running = (async () => {
      result = await fn();
    })().finally(() => {
      this.running = undefined;
    });
    await this.running;
    return result as T;
  }

  /**
   * Devnet: goes back to block `number` (evm_revert). The pool is emptied: what
   * it held was checked against a state that no longer is.
   */
  async revertTo(number: bigint): Promise<void> {
    await this.exclusive(async () => {
      const target = await this.deps.chain.blockByNumber(number);
      if (target === undefined) throw new Error(`no block ${number}`);
      await this.deps.chain.rewind(target);
      this.deps.pool.clear();
    });
  }

  /** Stops producing; resolves once the block being written (if any) is on disk. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.running !== undefined) await this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    const interval = this.opts.blockTime * 1000;
    const last = Number(this.deps.chain.head.header.timestamp) * 1000;
    const delay = Math.min(interval, Math.max(0, last + interval - Date.now()));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.produce()
        .then(() => undefined)
        .catch((err) => this.deps.logger.error({ err }, 'block production failed'))
        .finally(() => {
          this.running = undefined;
          this.schedule();
        });
    }, delay);
  }

  private async drain(): Promise<void> {
    try {
      while (this.wanted && !this.stopped) {
        this.wanted = false;
        const baseFee = this.deps.chain.head.header.calcNextBaseFee();
        if (!this.deps.pool.hasExecutable(baseFee)) continue;
        await this.produce();
        // A full block leaves work behind: go round again.
        if (this.deps.pool.hasExecutable(this.deps.chain.head.header.calcNextBaseFee())) this.wanted = true;
      }
    } catch (err) {
      this.deps.logger.error({ err }, 'block production failed');
    }
  }

  private async produce(edits?: StateOverrides): Promise<ProducedBlock> {
    const { chain, vm, pool, logger } = this.deps;
    const started = performance.now();
    const parent = chain.head;
    const now = BigInt(Math.floor(Date.now() / 1000)) + this.timeOffset;
    const timestamp =
      this.nextTimestamp ?? (now > parent.header.timestamp ? now : parent.header.timestamp + 1n);
    this.nextTimestamp = undefined;
    const pending = await PendingBlock.start(vm, parent, { timestamp, coinbase: this.opts.coinbase }, edits);
    const baseFee = pending.context.header.baseFeePerGas ?? 0n;
    const selection = pool.select(baseFee);
    const invalid: string[] = [];
    let sealed: Awaited<ReturnType<PendingBlock['seal']>>;
    try {
      while (pending.txCount < this.opts.maxTxsPerBlock && pending.gasLeft >= MIN_TX_GAS) {
        const candidate = selection.next();
        if (candidate === undefined) break;
        const added = await pending.add(candidate.tx);
        if (added.included) continue;
        // Its later nonces cannot run in this block either.
        selection.skipSender(candidate.sender);
        if (added.reason === 'invalid') {
          invalid.push(candidate.hash);
          logger.debug(
            { tx: candidate.hash, reason: added.error.message },
            'dropping transaction that cannot run',
          );
        }
      }
      sealed = await pending.seal();
      await chain.commit(sealed.block, sealed.receipts);
    } catch (err) {
      await pending.abandon();
      await chain.resetState();
      throw err;
    }
    for (const hash of invalid) pool.drop(hash);
    pool.onBlock(
      sealed.block.transactions.map((tx) => ({ sender: tx.getSenderAddress().toString(), nonce: tx.nonce })),
    );
    const { block, receipts } = sealed;
    const seconds = (performance.now() - started) / 1000;
    if (this.deps.metrics !== null) {
      const m = this.deps.metrics;
      m.blockSeconds.observe(seconds);
      m.blockGasUsed.observe(Number(block.header.gasUsed));
      m.blockTransactions.observe(block.transactions.length);
      m.headNumber.set(Number(block.header.number));
    }
    logger.info(
      {
        number: Number(block.header.number),
        hash: bytesToHex(block.hash()),
        txs: block.transactions.length,
        gasUsed: Number(block.header.gasUsed),
        ms: Math.round(seconds * 1000),
      },
      'block produced',
    );
    const produced = { block, receipts };
    this.deps.onBlock(produced);
    return produced;
  }
}
