// The node's keccak-256 (WebAssembly) against @noble/hashes, at the lengths
// where the sponge's padding changes (rate 136 bytes) and beyond.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bytesToHex } from '@ethereumjs/util';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { keccak256 } from '../src/crypto.js';

describe('keccak256', () => {
  it('matches @noble/hashes at every padding boundary', () => {
    for (const length of [0, 1, 31, 32, 64, 135, 136, 137, 271, 272, 273, 1_000, 100_000]) {
      const data = Uint8Array.from({ length }, (_, i) => (i * 31 + length) & 0xff);
      assert.equal(bytesToHex(keccak256(data)), bytesToHex(keccak_256(data)), `length ${length}`);
    }
  });

  it('returns a new array each time, and reads a view at its offset', () => {
    const first = keccak256(new Uint8Array([1]));
    const kept = bytesToHex(first);
    keccak256(new Uint8Array([2]));
    assert.equal(bytesToHex(first), kept);
    const backing = Uint8Array.from({ length: 96 }, (_, i) => i);
    assert.equal(
      bytesToHex(keccak256(backing.subarray(32, 64))),
      bytesToHex(keccak_256(backing.slice(32, 64))),
    );
  });
});
