// Native secp256k1 recovery and keccak-256 (prebuilt N-API binaries shipped in
// the npm packages) for EthereumJS's `customCrypto`: signature recovery is the
// largest single cost of admitting and executing a transaction in pure JS.
import type { CustomCrypto } from '@ethereumjs/common';
import { calculateSigRecovery } from '@ethereumjs/util';
import createKeccakHash from 'keccak';
import secp256k1 from 'secp256k1';

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

export function nativeKeccak256(data: Uint8Array): Uint8Array {
  return createKeccakHash('keccak256')
    .update(Buffer.from(data.buffer, data.byteOffset, data.byteLength))
    .digest();
}

function leftPad(bytes: Uint8Array): Uint8Array {
  if (bytes.length > 32) throw new RangeError('signature component longer than 32 bytes');
  const out = new Uint8Array(32);
  out.set(bytes, 32 - bytes.length);
  return out;
}

export function nativeCrypto(): CustomCrypto {
  return { ecrecover: nativeEcrecover };
}
