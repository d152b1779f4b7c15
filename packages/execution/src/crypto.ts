// Native secp256k1 recovery and keccak-256 (prebuilt N-API binaries shipped in
// the npm packages) for EthereumJS's `customCrypto`: signature recovery is the
// largest single cost of admitting and executing a transaction in pure JS.

import { createRequire } from 'node:module';
import type { CustomCrypto } from '@ethereumjs/common';
import { calculateSigRecovery } from '@ethereumjs/util';
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

interface KeccakState {
  initialize(rate: number, capacity: number): void;
  absorb(data: Buffer): void;
  absorbLastFewBits(bits: number): void;
  squeeze(length: number): Buffer;
}

// The \`keccak\` package's native sponge, without its stream wrapper (which
// costs more than the hash for short inputs). One state, reused: each call
// runs initialize..squeeze without yielding, so calls cannot interleave.
const require = createRequire(import.meta.url);
const keccakDir = require.resolve('keccak/package.json').slice(0, -'package.json'.length);
const loadAddon = require('node-gyp-build') as (dir: string) => new () => KeccakState;
const sponge = new (loadAddon(keccakDir))();

export function nativeKeccak256(data: Uint8Array): Uint8Array {
  sponge.initialize(1088, 512);
  sponge.absorb(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  sponge.absorbLastFewBits(0x01);
  return sponge.squeeze(32);
}

function leftPad(bytes: Uint8Array): Uint8Array {
  if (bytes.length > 32) throw new RangeError('signature component longer than 32 bytes');
  const out = new Uint8Array(32);
  out.set(bytes, 32 - bytes.length);
  return out;
}

/** The node's crypto for EthereumJS: native recovery and keccak, and KZG for the 0x0a precompile. */
export function nativeCrypto(): CustomCrypto {
  return { ecrecover: nativeEcrecover, keccak256: nativeKeccak256, kzg: createPointEvaluationKzg() };
}
