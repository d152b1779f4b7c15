// The root of an ordered trie (keys rlp(0), rlp(1), ...), as a block's
// transactions and receipts roots are defined, computed in one pass over
// the sorted keys. EthereumJS's MPT inserts one key at a time through its
// database layer, which for a block of a thousand transactions costs
// hundreds of milliseconds; the root alone needs none of that.
import { type NestedUint8Array, RLP } from '@ethereumjs/rlp';
import { keccak256 } from './crypto.js';

type Node = Uint8Array | NestedUint8Array;

interface Entry {
  nibbles: Uint8Array;
  value: Uint8Array;
}

function toNibbles(key: Uint8Array): Uint8Array {
  const out = new Uint8Array(key.length * 2);
  for (let i = 0; i < key.length; i++) {
    out[2 * i] = key[i]! >> 4;
    out[2 * i + 1] = key[i]! & 15;
  }
  return out;
}

/** Hex-prefix encoding of a nibble path (yellow paper, appendix C). */
function hexPrefix(nibbles: Uint8Array, leaf: boolean): Uint8Array {
  const odd = nibbles.length % 2;
  const flag = (leaf ? 2 : 0) + odd;
  const out = new Uint8Array(1 + (nibbles.length - odd) / 2);
  out[0] = odd ? (flag << 4) | nibbles[0]! : flag << 4;
  for (let i = odd, j = 1; i < nibbles.length; i += 2, j++) out[j] = (nibbles[i]! << 4) | nibbles[i + 1]!;
  return out;
}

/** How a parent refers to a child: the node itself when its encoding is under 32 bytes, else its hash. */
function reference(node: Node): Node {
  const encoded = RLP.encode(node);
  return encoded.length < 32 ? node : keccak256(encoded);
}

/** The node for `entries` (sorted, distinct, sharing their first `depth` nibbles). */
function build(entries: Entry[], from: number, to: number, depth: number): Node {
  const first = entries[from]!;
  if (to - from === 1) return [hexPrefix(first.nibbles.subarray(depth), true), first.value];
  const last = entries[to - 1]!;
  let shared = 0;
  while (
    depth + shared < first.nibbles.length &&
    depth + shared < last.nibbles.length &&
    first.nibbles[depth + shared] === last.nibbles[depth + shared]
  ) {
    shared++;
  }
  if (shared > 0) {
    return [
      hexPrefix(first.nibbles.subarray(depth, depth + shared), false),
      reference(build(entries, from, to, depth + shared)),
    ];
  }
  const branch: Node[] = [];
  let i = from;
  let value: Uint8Array = new Uint8Array();
  // A key that ends here holds the branch's value (sorted first, being shortest).
  if (entries[i]!.nibbles.length === depth) value = entries[i++]!.value;
  for (let nibble = 0; nibble < 16; nibble++) {
    const start = i;
    while (i < to && entries[i]!.nibbles[depth] === nibble) i++;
    branch.push(start === i ? new Uint8Array() : reference(build(entries, start, i, depth + 1)));
  }
  branch.push(value);
  return branch;
}

function compare(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** keccak256 of the empty trie: rlp(""). */
const EMPTY_ROOT = keccak256(RLP.encode(new Uint8Array()));

/** Root of the trie mapping rlp(i) to values[i]. */
export function orderedTrieRoot(values: readonly Uint8Array[]): Uint8Array {
  if (values.length === 0) return EMPTY_ROOT;
  const entries = values
    .map((value, i) => ({ nibbles: toNibbles(RLP.encode(i)), value }))
    .sort((a, b) => compare(a.nibbles, b.nibbles));
  return keccak256(RLP.encode(build(entries, 0, entries.length, 0)));
}
