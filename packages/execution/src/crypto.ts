// Native secp256k1 recovery (a prebuilt N-API binary shipped in the npm
// package) and keccak-256 in WebAssembly, for EthereumJS's `customCrypto`:
// signature recovery is the largest single cost of admitting and executing a
// transaction in pure JS, and keccak-256 runs for every trie node and slot.

import type { CustomCrypto } from '@ethereumjs/common';
import { calculateSigRecovery } from '@ethereumjs/util';
import { createKeccak } from 'hash-wasm';
import secp256k1 from 'secp256k1';
import { createPointEvaluationKzg } from './kzg.js';

/** Recovers the 64-byte public key (no 0x04 prefix), as EthereumJS's `ecrecover` does. */
export function nativeEcrecover(
  msgHash: Uint8Array,
  v: bigint,
  r: Uint8Array,
  s: Uint8Array,
  chainId?: bigint,
): Uint8Array {
  const signature = new Uint8Array(64);
  signature.set(r.length === 32 ? r : leftPad(r), 0);
  signature.set(s.length === 32 ? s : leftPad(s), 32);
  const recovery = Number(calculateSigRecovery(v, chainId));
  const publicKey = secp256k1.ecdsaRecover(signature, recovery, msgHash, false);
  return publicKey.subarray(1);
}

// keccak-256 in WebAssembly (hash-wasm): for the short inputs that
// dominate (a mapping slot, an address, a trie node) it takes about half
// the time of the \`keccak\` package's native addon, whose four N-API calls
// and Buffer per hash cost more than the permutation. One hasher, reused:
// each call runs init..digest without yielding, so calls cannot interleave,
// and digest returns a new array.
const hasher = await createKeccak(256);

export function keccak256(data: Uint8Array): Uint8Array {
  hasher.init();
  hasher.update(data);
  return hasher.digest('binary');
}

function leftPad(bytes: Uint8Array): Uint8Array {
  if (bytes.length > 32) throw new RangeError('signature component longer than 32 bytes');
  const out = new Uint8Array(32);
  out.set(bytes, 32 - bytes.length);
  return out;
}

/** The node's crypto for EthereumJS: native recovery, WebAssembly keccak, and KZG for the 0x0a precompile. */
export function nativeCrypto(): CustomCrypto {
  return { ecrecover: nativeEcrecover, keccak256: keccak256, kzg: createPointEvaluationKzg() };
}
