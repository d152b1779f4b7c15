// The MPT's database over the node's store. Trie nodes written while a block
// is built stay in memory until the block commits, and then go to disk in the
// block's own write batch, so state and head never disagree after a crash.
import type { BatchDBOp, DB, EncodingOpts } from '@ethereumjs/util';
import { GenerationalCache } from '@openledger/core';
import type { BatchOp, KeyValueStore } from './kv.js';
import { Bucket, bucketKey } from './schema.js';

export interface TrieDatabaseOptions {
  /** Trie nodes kept in memory after a read or a commit (each generation; two are kept). */
  cacheNodes: number;
}

export const defaultTrieDatabaseOptions: TrieDatabaseOptions = { cacheNodes: 100_000 };

export class TrieDatabase implements DB<string, Uint8Array> {
  private readonly store: KeyValueStore;
  private readonly cache: GenerationalCache<string, Uint8Array>;
  /** Node writes not yet on disk; `undefined` marks a delete. */
  private pending = new Map<string, Uint8Array | undefined>();
  /** Drained writes whose batch is being written; still served from memory. */
  private inFlight: Map<string, Uint8Array | undefined>[] = [];

  constructor(store: KeyValueStore, opts: TrieDatabaseOptions = defaultTrieDatabaseOptions) {
    this.store = store;
    this.cache = new GenerationalCache(opts.cacheNodes);
  }

  async get(key: string, _opts?: EncodingOpts): Promise<Uint8Array | undefined> {
    if (this.pending.has(key)) return this.pending.get(key);
    for (let i = this.inFlight.length - 1; i >= 0; i--) {
      const batch = this.inFlight[i]!;
      if (batch.has(key)) return batch.get(key);
    }
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    const value = await this.store.get(nodeKey(key));
    if (value !== undefined) this.cache.set(key, value);
    return value;
  }

  async put(key: string, value: Uint8Array, _opts?: EncodingOpts): Promise<void> {
    this.pending.set(key, value);
  }

  async del(key: string, _opts?: EncodingOpts): Promise<void> {
    this.pending.set(key, undefined);
  }

  async batch(ops: BatchDBOp<string, Uint8Array>[]): Promise<void> {
    for (const op of ops) this.pending.set(op.key, op.type === 'put' ? op.value : undefined);
  }

  shallowCopy(): DB<string, Uint8Array> {
    return this;
  }

  async open(): Promise<void> {}

  get pendingCount(): number {
    return this.pending.size;
  }

  /**
   * Hands the pending writes to the caller's batch. Until `release` is
   * called (after that batch is on disk) reads still see them here.
   */
  drain(): { ops: BatchOp[]; release: () => void } {
    const taken = this.pending;
    this.pending = new Map();
    const ops: BatchOp[] = [];
    for (const [key, value] of taken) {
      ops.push(
        value === undefined ? { type: 'del', key: nodeKey(key) } : { type: 'put', key: nodeKey(key), value },
      );
    }
    this.inFlight.push(taken);
    return {
      ops,
      release: () => {
        this.inFlight = this.inFlight.filter((m) => m !== taken);
        // Just written, and the next block will most likely read them.
        for (const [key, value] of taken) {
          if (value === undefined) this.cache.delete(key);
          else this.cache.set(key, value);
        }
      },
    };
  }

  /** Drops writes that will never be committed (a block build that was abandoned). */
  discard(): void {
    this.pending.clear();
  }
}

function nodeKey(hexKey: string): Uint8Array {
  return bucketKey(Bucket.TrieNode, Buffer.from(hexKey, 'hex'));
}
