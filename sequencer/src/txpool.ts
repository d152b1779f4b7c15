// The transaction pool: admission checks, per-account nonce ordering
// (executable runs and queued gaps), replacement by fee bump, limits, and
// the order in which the block builder takes transactions.
import type { Common } from '@ethereumjs/common';
import {
  Capability,
  createTxFromRLP,
  type FeeMarket1559Tx,
  type LegacyTx,
  TransactionType,
  type TypedTransaction,
} from '@ethereumjs/tx';
import { type Address, bytesToHex } from '@ethereumjs/util';
import { hasImpersonationMarker, trustImpersonation } from '@openledger/execution';
import { TxPoolError } from './errors.js';

export interface TxPoolOptions {
  /** Largest encoded transaction accepted, in bytes (geth: 128 KiB). */
  maxTxSize: number;
  /** Transactions held in total, executable or not (geth: 5,120 + 1,024). */
  maxTotal: number;
  /** Transactions held per sender. */
  maxPerAccount: number;
  /** Transactions per sender behind a nonce gap (geth's account queue is 64; a burst of
   *  concurrent sends arrives out of nonce order, so a sequencer keeps more). */
  maxQueuedPerAccount: number;
  /** Minimum fee bump of a replacement, in percent (geth: 10). */
  priceBumpPercent: bigint;
}

export const defaultTxPoolOptions: TxPoolOptions = {
  maxTxSize: 128 * 1024,
  maxTotal: 6_144,
  maxPerAccount: 1_024,
  maxQueuedPerAccount: 512,
  priceBumpPercent: 10n,
};

export interface AccountState {
  nonce: bigint;
  balance: bigint;
}

export interface TxPoolDeps {
  common: Common;
  /** Nonce and balance at the head. */
  account(address: Address): Promise<AccountState>;
  /** Base fee of the block being built next. */
  nextBaseFee(): bigint;
  blockGasLimit(): bigint;
}

export interface PoolTx {
  tx: TypedTransaction;
  /** Its network encoding, as received. */
  raw: Uint8Array;
  hash: string;
  /** Lower-case 0x address. */
  sender: string;
  nonce: bigint;
  /** Arrival order, the tie-breaker between equal tips. */
  seq: number;
}

interface Account {
  /** Next nonce the chain expects from this sender. */
  nonce: bigint;
  txs: Map<bigint, PoolTx>;
  /** Length of the executable run (txs at nonce, nonce + 1, ... without a gap); -1: to recount. */
  run: number;
}

const SUPPORTED_TYPES = new Set<number>([
  TransactionType.Legacy,
  TransactionType.AccessListEIP2930,
  TransactionType.FeeMarketEIP1559,
  TransactionType.EOACodeEIP7702,
]);

function feeCap(tx: TypedTransaction): bigint {
  return tx.supports(Capability.EIP1559FeeMarket)
    ? (tx as FeeMarket1559Tx).maxFeePerGas
    : (tx as LegacyTx).gasPrice;
}

function tipCap(tx: TypedTransaction): bigint {
  return tx.supports(Capability.EIP1559FeeMarket)
    ? (tx as FeeMarket1559Tx).maxPriorityFeePerGas
    : (tx as LegacyTx).gasPrice;
}

/** What the sequencer earns per gas from `tx` at `baseFee` (negative: not includable). */
export function effectiveTip(tx: TypedTransaction, baseFee: bigint): bigint {
  const byCap = feeCap(tx) - baseFee;
  const tip = tipCap(tx);
  return tip < byCap ? tip : byCap;
}

export type PoolListener = (tx: PoolTx) => void;

export class TxPool {
  private readonly opts: TxPoolOptions;
  private readonly deps: TxPoolDeps;
  private readonly accounts = new Map<string, Account>();
  private readonly byHash = new Map<string, PoolTx>();
  private readonly listeners = new Set<PoolListener>();
  private seq = 0;

  constructor(opts: TxPoolOptions, deps: TxPoolDeps) {
    this.opts = opts;
    this.deps = deps;
  }

  get size(): number {
    return this.byHash.size;
  }

  onAdded(listener: PoolListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Decodes, validates and admits a raw transaction. `trusted`: it comes from
   * this node's own journal, so a devnet impersonation marker is honoured
   * (from anyone else it is refused: it is not a signature).
   */
  async addRaw(raw: Uint8Array, trusted = false): Promise<PoolTx> {
    if (raw.length > this.opts.maxTxSize) {
      throw new TxPoolError({ code: 'OVERSIZED', size: raw.length, max: this.opts.maxTxSize });
    }
    const first = raw[0];
    if (first !== undefined && first < 0x7f && !SUPPORTED_TYPES.has(first)) {
      throw new TxPoolError({ code: 'UNSUPPORTED_TYPE', type: first });
    }
    let tx: TypedTransaction;
    try {
      tx = createTxFromRLP(raw, { common: this.deps.common });
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      if (/chain ?id/i.test(reason)) throw new TxPoolError({ code: 'INVALID_CHAIN_ID', chainId: undefined });
      throw new TxPoolError({ code: 'DECODE', reason }, reason.replace(/ \(tx type.*$/s, ''));
    }
    if (hasImpersonationMarker(tx)) {
      if (!trusted) {
        throw new TxPoolError(
          { code: 'INVALID_SENDER', reason: 'impersonation marker' },
          'invalid signature',
        );
      }
      tx = trustImpersonation(tx);
    }
    return this.add(tx, raw);
  }

  /** Validates and admits a signed transaction. */
  async add(tx: TypedTransaction, raw?: Uint8Array): Promise<PoolTx> {
    if (!SUPPORTED_TYPES.has(tx.type)) throw new TxPoolError({ code: 'UNSUPPORTED_TYPE', type: tx.type });
    // EthereumJS reads r = 0 or s = 0 as "unsigned", and then refuses to hash it.
    if (!tx.isSigned())
      throw new TxPoolError({ code: 'INVALID_SENDER', reason: 'missing signature' }, 'invalid signature');
    const hash = bytesToHex(tx.hash());
    if (this.byHash.has(hash)) throw new TxPoolError({ code: 'ALREADY_KNOWN', hash });
    this.checkStatic(tx);
    let senderAddress: Address;
    try {
      senderAddress = tx.getSenderAddress();
    } catch (err) {
      throw new TxPoolError({
        code: 'INVALID_SENDER',
        reason: err instanceof Error ? err.message : String(err),
      });
    }
    const sender = senderAddress.toString();
    const state = await this.deps.account(senderAddress);
    // Everything below runs without awaiting, so concurrent adds cannot interleave.
    if (this.byHash.has(hash)) throw new TxPoolError({ code: 'ALREADY_KNOWN', hash });
    let account = this.accounts.get(sender);
    if (account === undefined) {
      account = { nonce: state.nonce, txs: new Map(), run: 0 };
      this.accounts.set(sender, account);
    } else if (state.nonce > account.nonce) {
      this.advance(account, state.nonce);
    }
    try {
      const nonce = tx.nonce;
      if (nonce < account.nonce) {
        throw new TxPoolError(
          { code: 'NONCE_TOO_LOW', nonce, stateNonce: account.nonce },
          `next nonce ${account.nonce}, tx nonce ${nonce}`,
        );
      }
      const cost = tx.gasLimit * feeCap(tx) + tx.value;
      if (state.balance < cost) {
        throw new TxPoolError(
          { code: 'INSUFFICIENT_FUNDS', cost, balance: state.balance },
          `balance ${state.balance}, tx cost ${cost}, overshot ${cost - state.balance}`,
        );
      }
      const existing = account.txs.get(nonce);
      if (existing !== undefined) {
        this.checkReplacement(existing, tx);
      } else {
        this.checkLimits(account, nonce);
      }
      const entry: PoolTx = { tx, raw: raw ?? tx.serialize(), hash, sender, nonce, seq: this.seq++ };
      if (existing !== undefined) this.byHash.delete(existing.hash);
      account.txs.set(nonce, entry);
      if (account.run >= 0 && nonce === account.nonce + BigInt(account.run)) {
        // The run grows by this tx and by any queued ones it reconnects.
        do account.run++;
        while (account.txs.has(account.nonce + BigInt(account.run)));
      }
      this.byHash.set(hash, entry);
      for (const listener of this.listeners) listener(entry);
      return entry;
    } finally {
      if (account.txs.size === 0) this.accounts.delete(sender);
    }
  }

  private checkStatic(tx: TypedTransaction): void {
    const blockGasLimit = this.deps.blockGasLimit();
    if (tx.gasLimit > blockGasLimit)
      throw new TxPoolError({ code: 'GAS_LIMIT', gasLimit: tx.gasLimit, blockGasLimit });
    const required = tx.getIntrinsicGas();
    if (tx.gasLimit < required) {
      throw new TxPoolError(
        { code: 'INTRINSIC_GAS', gasLimit: tx.gasLimit, required },
        `gas ${tx.gasLimit}, minimum needed ${required}`,
      );
    }
    if (tipCap(tx) > feeCap(tx)) throw new TxPoolError({ code: 'TIP_ABOVE_FEE_CAP' });
    const baseFee = this.deps.nextBaseFee();
    if (feeCap(tx) < baseFee) {
      throw new TxPoolError(
        { code: 'FEE_CAP_TOO_LOW', maxFeePerGas: feeCap(tx), baseFee },
        `maxFeePerGas: ${feeCap(tx)}, baseFee: ${baseFee}`,
      );
    }
  }

  private checkReplacement(existing: PoolTx, tx: TypedTransaction): void {
    const bump = 100n + this.opts.priceBumpPercent;
    const oldCap = feeCap(existing.tx);
    const oldTip = tipCap(existing.tx);
    if (feeCap(tx) * 100n < oldCap * bump || tipCap(tx) * 100n < oldTip * bump) {
      throw new TxPoolError({ code: 'REPLACEMENT_UNDERPRICED', hash: existing.hash });
    }
  }

  private checkLimits(account: Account, nonce: bigint): void {
    if (this.byHash.size >= this.opts.maxTotal)
      throw new TxPoolError({ code: 'POOL_FULL', limit: this.opts.maxTotal });
    if (account.txs.size >= this.opts.maxPerAccount) {
      throw new TxPoolError({ code: 'ACCOUNT_FULL', limit: this.opts.maxPerAccount });
    }
    const next = account.nonce + BigInt(this.executableCount(account));
    if (nonce > next) {
      const queued = account.txs.size - this.executableCount(account);
      const maxNonce = next + BigInt(this.opts.maxPerAccount);
      if (nonce > maxNonce) throw new TxPoolError({ code: 'NONCE_TOO_HIGH', nonce, maxNonce });
      if (queued >= this.opts.maxQueuedPerAccount) {
        throw new TxPoolError(
          { code: 'ACCOUNT_FULL', limit: this.opts.maxQueuedPerAccount },
          'too many queued (nonce-gapped) transactions',
        );
      }
    }
  }

  /** Kept per account and recounted only after a change to the run (appends in nonce order stay O(1)). */
  private executableCount(account: Account): number {
    if (account.run < 0) account.run = this.executableCountFrom(account, account.nonce);
    return account.run;
  }

  /** Drops what the chain has made stale: every tx below `nonce`. */
  private advance(account: Account, nonce: bigint): void {
    for (const [n, entry] of account.txs) {
      if (n < nonce) {
        account.txs.delete(n);
        this.byHash.delete(entry.hash);
      }
    }
    account.nonce = nonce;
    account.run = -1;
  }

  /** Whether `entry` can run on the head now: no nonce gap before it. */
  isExecutable(entry: PoolTx): boolean {
    const account = this.accounts.get(entry.sender);
    if (account === undefined || entry.nonce < account.nonce) return false;
    return entry.nonce - account.nonce < BigInt(this.executableCount(account));
  }

  get(hash: string): PoolTx | undefined {
    return this.byHash.get(hash);
  }

  /** The nonce a sender's next transaction should use, counting its executable pool txs. */
  pendingNonce(sender: string, stateNonce: bigint): bigint {
    const account = this.accounts.get(sender);
    if (account === undefined) return stateNonce;
    if (stateNonce > account.nonce) return stateNonce + BigInt(this.executableCountFrom(account, stateNonce));
    return account.nonce + BigInt(this.executableCount(account));
  }

  private executableCountFrom(account: Account, nonce: bigint): number {
    let n = 0;
    while (account.txs.has(nonce + BigInt(n))) n++;
    return n;
  }

  /** Executable (no nonce gap) and queued transactions, per sender, in nonce order. */
  content(): { pending: Map<string, PoolTx[]>; queued: Map<string, PoolTx[]> } {
    const pending = new Map<string, PoolTx[]>();
    const queued = new Map<string, PoolTx[]>();
    for (const [sender, account] of this.accounts) {
      const run = this.executableCount(account);
      const sorted = [...account.txs.values()].sort((a, b) => (a.nonce < b.nonce ? -1 : 1));
      if (run > 0) pending.set(sender, sorted.slice(0, run));
      if (sorted.length > run) queued.set(sender, sorted.slice(run));
    }
    return { pending, queued };
  }

  /** How many transactions can run now, and how many wait behind a nonce gap. */
  counts(): { pending: number; queued: number } {
    let pending = 0;
    for (const account of this.accounts.values()) pending += this.executableCount(account);
    return { pending, queued: this.byHash.size - pending };
  }

  /** Every transaction, each sender's in nonce order. */
  *all(): IterableIterator<PoolTx> {
    for (const account of this.accounts.values()) {
      yield* [...account.txs.values()].sort((a, b) => (a.nonce < b.nonce ? -1 : 1));
    }
  }

  hasExecutable(baseFee: bigint): boolean {
    for (const account of this.accounts.values()) {
      const head = account.txs.get(account.nonce);
      if (head !== undefined && feeCap(head.tx) >= baseFee) return true;
    }
    return false;
  }

  /** Transactions for the next block, best effective tip first, each sender in nonce order. */
  select(baseFee: bigint): BlockSelection {
    return new BlockSelection(this, baseFee);
  }

  /** @internal the account's tx at `nonce`, for the selection. */
  txAt(sender: string, nonce: bigint): PoolTx | undefined {
    return this.accounts.get(sender)?.txs.get(nonce);
  }

  /** @internal heads of every sender's executable run. */
  heads(): PoolTx[] {
    const heads: PoolTx[] = [];
    for (const account of this.accounts.values()) {
      const head = account.txs.get(account.nonce);
      if (head !== undefined) heads.push(head);
    }
    return heads;
  }

  /** A block was added: senders' nonces moved past what it included. */
  onBlock(included: readonly { sender: string; nonce: bigint }[]): void {
    for (const { sender, nonce } of included) {
      const account = this.accounts.get(sender);
      if (account === undefined || account.nonce > nonce) continue;
      this.advance(account, nonce + 1n);
      if (account.txs.size === 0) this.accounts.delete(sender);
    }
  }

  /** Forgets every transaction (the chain went back: nonces the pool knew may be wrong). */
  clear(): void {
    this.accounts.clear();
    this.byHash.clear();
  }

  /** Drops a transaction that can no longer run (the builder found it invalid). */
  drop(hash: string): void {
    const entry = this.byHash.get(hash);
    if (entry === undefined) return;
    this.byHash.delete(hash);
    const account = this.accounts.get(entry.sender);
    if (account === undefined) return;
    account.txs.delete(entry.nonce);
    account.run = -1;
    if (account.txs.size === 0) this.accounts.delete(entry.sender);
  }
}

/** A max-heap walk over senders' executable runs for one block. */
export class BlockSelection {
  private readonly pool: TxPool;
  private readonly baseFee: bigint;
  private readonly heap: { entry: PoolTx; tip: bigint }[] = [];
  private readonly skipped = new Set<string>();

  constructor(pool: TxPool, baseFee: bigint) {
    this.pool = pool;
    this.baseFee = baseFee;
    for (const head of pool.heads()) this.push(head);
  }

  /** The next transaction to try, or undefined when none is left. */
  next(): PoolTx | undefined {
    while (this.heap.length > 0) {
      const top = this.pop();
      if (this.skipped.has(top.sender)) continue;
      // Whether or not the builder includes it, the sender's next nonce comes after it.
      const following = this.pool.txAt(top.sender, top.nonce + 1n);
      if (following !== undefined) this.push(following);
      return top;
    }
    return undefined;
  }

  /** Takes no more transactions from `sender` in this block. */
  skipSender(sender: string): void {
    this.skipped.add(sender);
  }

  private better(a: { entry: PoolTx; tip: bigint }, b: { entry: PoolTx; tip: bigint }): boolean {
    return a.tip > b.tip || (a.tip === b.tip && a.entry.seq < b.entry.seq);
  }

  private push(entry: PoolTx): void {
    const tip = effectiveTip(entry.tx, this.baseFee);
    if (tip < 0n) return;
    const heap = this.heap;
    heap.push({ entry, tip });
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.better(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  private pop(): PoolTx {
    const heap = this.heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let best = i;
        if (l < heap.length && this.better(heap[l]!, heap[best]!)) best = l;
        if (r < heap.length && this.better(heap[r]!, heap[best]!)) best = r;
        if (best === i) break;
        [heap[i], heap[best]] = [heap[best]!, heap[i]!];
        i = best;
      }
    }
    return top.entry;
  }
}
