// An independent Merkle-Patricia proof checker for the tests (yellow paper,
// appendix D), written against the spec rather than the MPT library the
// node uses, so a bug there cannot hide in both.
import { type NestedUint8Array, RLP } from '@ethereumjs/rlp';
import { keccak_256 } from '@noble/hashes/sha3.js';

type Node = Uint8Array | NestedUint8Array;

const equal = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

function nibbles(bytes: Uint8Array): number[] {
  return [...bytes].flatMap((b) => [b >> 4, b & 15]);
}

/** Decodes a hex-prefix path: its nibbles and whether it ends in a leaf. */
function hexPrefix(path: Uint8Array): { path: number[]; leaf: boolean } {
  const all = nibbles(path);
  const flag = all[0]!;
  return { path: all.slice(flag & 1 ? 1 : 2), leaf: flag >= 2 };
}

/**
 * Follows `proof` from `root` along keccak(`key`): returns the value stored there,
 * or undefined when the proof shows there is none. Throws when the proof is not
 * a valid path from the root (a node that does not hash to its reference, a
 * missing node).
 */
export function verifyMptProof(
  root: Uint8Array,
  key: Uint8Array,
  proof: Uint8Array[],
): Uint8Array | undefined {
  const path = nibbles(keccak_256(key));
  let pos = 0;
  let expected: Uint8Array = root;
  for (const encoded of proof) {
    if (!equal(keccak_256(encoded), expected)) throw new Error('proof node does not hash to its reference');
    let node = RLP.decode(encoded) as Node;
    for (;;) {
      if (!Array.isArray(node)) throw new Error('proof node is not a list');
      let next: Node;
      if (node.length === 17) {
        if (pos === path.length) {
          const value = node[16] as Uint8Array;
          return value.length === 0 ? undefined : value;
        }
        next = node[path[pos]!]!;
        pos++;
      } else if (node.length === 2) {
        const { path: segment, leaf } = hexPrefix(node[0] as Uint8Array);
        const here = path.slice(pos, pos + segment.length);
        if (here.length !== segment.length || here.some((n, i) => n !== segment[i])) return undefined;
        pos += segment.length;
        if (leaf) return pos === path.length ? (node[1] as Uint8Array) : undefined;
        next = node[1]!;
      } else {
        throw new Error(`proof node has ${node.length} items`);
      }
      if (Array.isArray(next)) {
        node = next; // embedded in its parent (encoding under 32 bytes)
        continue;
      }
      if (next.length === 0) return undefined;
      expected = next;
      break;
    }
  }
  throw new Error('proof ends before reaching a value or proving its absence');
}
