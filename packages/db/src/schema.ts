// The database layout: one prefix byte per bucket, then the bucket's key.
//
//   T <node hash>            trie node (state and storage tries)
//   B <block hash>           block RLP
//   N <number u64 BE>        canonical block hash at that number
//   R <block hash>           the block's receipts (execution's encoding)
//   X <tx hash>              tx location: block number u64 BE ++ index u32 BE
//   M <name>                 metadata: head, chain identity

export const Bucket = {
  TrieNode: 0x54,
  Block: 0x42,
  CanonicalHash: 0x4e,
  Receipts: 0x52,
  TxLocation: 0x58,
  Meta: 0x4d,
} as const;
export type Bucket = (typeof Bucket)[keyof typeof Bucket];

export function bucketKey(bucket: Bucket, key: Uint8Array): Uint8Array {
  const out = new Uint8Array(1 + key.length);
  out[0] = bucket;
  out.set(key, 1);
  return out;
}

export function u64(n: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, n);
  return out;
}

export function readU64(bytes: Uint8Array, offset = 0): bigint {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(offset);
}
