// Where records sit in a precompile account's storage, as Solidity would put
// them: a record's fields from a base slot keccak256(tag, id) on, small
// fields packed into shared slots in order; a string or array keeps its
// length in its field's slot and its items from keccak256(slot) on; a mapping
// entry at keccak256(key, tag).
import { bigIntToBytes, bytesToBigInt, setLengthLeft } from '@ethereumjs/util';
import { keccak256 } from '../crypto.js';

export const WORD_BITS = 256;

export function word(value: bigint): Uint8Array {
  return setLengthLeft(bigIntToBytes(value), 32);
}

function hashWords(...values: bigint[]): bigint {
  const buf = new Uint8Array(32 * values.length);
  values.forEach((v, i) => {
    buf.set(word(v), 32 * i);
  });
  return bytesToBigInt(keccak256(buf));
}

/** The first slot of record `id` of the kind `tag`. */
export function recordBase(tag: bigint, id: bigint): bigint {
  return hashWords(tag, id);
}

/** The first slot of the items of the string or array whose length is at `slot`. */
export function itemsBase(slot: bigint): bigint {
  return hashWords(slot);
}

/** The slot of `key` in the mapping `tag`. */
export function mappingSlot(key: bigint, tag: bigint): bigint {
  return hashWords(key, tag);
}

const MASKS = new Map<number, bigint>();
export function mask(bits: number): bigint {
  let m = MASKS.get(bits);
  if (m === undefined) {
    m = (1n << BigInt(bits)) - 1n;
    MASKS.set(bits, m);
  }
  return m;
}
