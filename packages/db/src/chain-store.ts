// Blocks, receipts and indexes, and the one write batch per block that
// moves the head: a crash leaves the old head or the new one, never a mix.
import type { BatchOp, KeyValueStore } from './kv.js';
import { Bucket, bucketKey, readU64, u64 } from './schema.js';

const HEAD_KEY = bucketKey(Bucket.Meta, new TextEncoder().encode('head'));
const IDENTITY_KEY = bucketKey(Bucket.Meta, new TextEncoder().encode('identity'));

export interface TxLocation {
  blockNumber: bigint;
  index: number;
}

/** Everything one block adds, written together with its trie nodes. */
export interface BlockRecord {
  hash: Uint8Array;
  number: bigint;
  /** The block's RLP. */
  rlp: Uint8Array;
  /** The block's receipts, encoded by the execution layer. */
  receipts: Uint8Array;
  txHashes: readonly Uint8Array[];
}

export class ChainStore {
  readonly kv: KeyValueStore;

  constructor(kv: KeyValueStore) {
    this.kv = kv;
  }

  /** Ops that store a block, index it as canonical and make it the head. */
  blockOps(block: BlockRecord): BatchOp[] {
    const ops: BatchOp[] = [
      { type: 'put', key: bucketKey(Bucket.Block, block.hash), value: block.rlp },
      { type: 'put', key: bucketKey(Bucket.Receipts, block.hash), value: block.receipts },
      { type: 'put', key: bucketKey(Bucket.CanonicalHash, u64(block.number)), value: block.hash },
    ];
    block.txHashes.forEach((txHash, index) => {
      const loc = new Uint8Array(12);
      loc.set(u64(block.number), 0);
      new DataView(loc.buffer).setUint32(8, index);
      ops.push({ type: 'put', key: bucketKey(Bucket.TxLocation, txHash), value: loc });
    });
    ops.push(this.headOp(block.hash));
    return ops;
  }

  /** Ops that drop a block from the canonical chain (its number and tx indexes; the block stays stored by hash). */
  unindexOps(number: bigint, txHashes: readonly Uint8Array[]): BatchOp[] {
    return [
      { type: 'del', key: bucketKey(Bucket.CanonicalHash, u64(number)) },
      ...txHashes.map((txHash): BatchOp => ({ type: 'del', key: bucketKey(Bucket.TxLocation, txHash) })),
    ];
  }

  headOp(hash: Uint8Array): BatchOp {
    return { type: 'put', key: HEAD_KEY, value: hash };
  }

  async head(): Promise<Uint8Array | undefined> {
    return this.kv.get(HEAD_KEY);
  }

  async blockRlp(hash: Uint8Array): Promise<Uint8Array | undefined> {
    return this.kv.get(bucketKey(Bucket.Block, hash));
  }

  async receipts(hash: Uint8Array): Promise<Uint8Array | undefined> {
    return this.kv.get(bucketKey(Bucket.Receipts, hash));
  }

  async canonicalHash(number: bigint): Promise<Uint8Array | undefined> {
    return this.kv.get(bucketKey(Bucket.CanonicalHash, u64(number)));
  }

  async txLocation(txHash: Uint8Array): Promise<TxLocation | undefined> {
    const loc = await this.kv.get(bucketKey(Bucket.TxLocation, txHash));
    if (loc === undefined) return undefined;
    return { blockNumber: readU64(loc), index: new DataView(loc.buffer, loc.byteOffset).getUint32(8) };
  }

  /** What chain this data dir belongs to (chain id and genesis hash), if any. */
  async identity(): Promise<Uint8Array | undefined> {
    return this.kv.get(IDENTITY_KEY);
  }

  identityOp(identity: Uint8Array): BatchOp {
    return { type: 'put', key: IDENTITY_KEY, value: identity };
  }
}
