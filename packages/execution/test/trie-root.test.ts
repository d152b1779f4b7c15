import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MerklePatriciaTrie } from '@ethereumjs/mpt';
import { RLP } from '@ethereumjs/rlp';
import { bytesToHex } from '@ethereumjs/util';
import { orderedTrieRoot } from '../src/trie-root.js';

async function referenceRoot(values: Uint8Array[]): Promise<string> {
  const trie = new MerklePatriciaTrie();
  for (const [i, v] of values.entries()) await trie.put(RLP.encode(i), v);
  return bytesToHex(trie.root());
}

function pseudoRandomValues(count: number, seed: number): Uint8Array[] {
  let x = seed;
  const next = () => {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    return x;
  };
  // Lengths from 1 to 200 bytes: short values embed in their parent node, long ones are hashed.
  return Array.from({ length: count }, () =>
    Uint8Array.from({ length: 1 + (next() % 200) }, () => next() & 0xff),
  );
}

describe('orderedTrieRoot', () => {
  it('equals the MPT root of rlp(i) -> value for every size that changes the shape', async () => {
    for (const count of [0, 1, 2, 3, 15, 16, 17, 127, 128, 129, 255, 256, 257, 1000]) {
      const values = pseudoRandomValues(count, count + 1);
      assert.equal(bytesToHex(orderedTrieRoot(values)), await referenceRoot(values), `${count} values`);
    }
  });

  it('handles values short enough to embed nodes in their parents', async () => {
    for (const count of [1, 2, 20, 200]) {
      const values = Array.from({ length: count }, (_, i) => Uint8Array.of(i & 0xff));
      assert.equal(
        bytesToHex(orderedTrieRoot(values)),
        await referenceRoot(values),
        `${count} one-byte values`,
      );
    }
  });
});
