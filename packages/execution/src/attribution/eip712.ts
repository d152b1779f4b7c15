// The Attribution typed data (EIP-712) the Inferences precompile checks, hashed
// natively: the same digest as the SDK's signAttribution (viem's hashTypedData).
import { concatBytes, utf8ToBytes } from '@ethereumjs/util';
import { ATTRIBUTION_DOMAIN_NAME, ATTRIBUTION_DOMAIN_VERSION } from '@openledger/sdk';
import { keccak256, nativeEcrecover } from '../crypto.js';
import { word } from './slots.js';

const keccak = keccak256;
const DOMAIN_TYPEHASH = keccak(
  utf8ToBytes('EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)'),
);
const ATTRIBUTION_TYPEHASH = keccak(
  utf8ToBytes(
    'Attribution(uint256 modelId,address caller,bytes32 inputHash,bytes32 outputHash,uint256[] contributionIds,uint32[] weights,uint256 nonce,uint64 deadline)',
  ),
);
const NAME_HASH = keccak(utf8ToBytes(ATTRIBUTION_DOMAIN_NAME));
const VERSION_HASH = keccak(utf8ToBytes(ATTRIBUTION_DOMAIN_VERSION));
/** secp256k1's n / 2: a signature's s above it is the malleable twin, refused (EIP-2). */
const HALF_N = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;

export interface AttributionFields {
  modelId: bigint;
  caller: bigint;
  inputHash: bigint;
  outputHash: bigint;
  contributionIds: readonly bigint[];
  weights: readonly bigint[];
  nonce: bigint;
  deadline: bigint;
}

export function domainSeparator(chainId: bigint, verifyingContract: bigint): Uint8Array {
  return keccak(
    concatBytes(DOMAIN_TYPEHASH, NAME_HASH, VERSION_HASH, word(chainId), word(verifyingContract)),
  );
}

function hashWords(values: readonly bigint[]): Uint8Array {
  const buf = new Uint8Array(32 * values.length);
  values.forEach((v, i) => {
    buf.set(word(v), 32 * i);
  });
  return keccak(buf);
}

export function attributionDigest(domain: Uint8Array, f: AttributionFields): Uint8Array {
  const structHash = keccak(
    concatBytes(
      ATTRIBUTION_TYPEHASH,
      word(f.modelId),
      word(f.caller),
      word(f.inputHash),
      word(f.outputHash),
      hashWords(f.contributionIds),
      hashWords(f.weights),
      word(f.nonce),
      word(f.deadline),
    ),
  );
  return keccak(concatBytes(new Uint8Array([0x19, 0x01]), domain, structHash));
}

/** Bytes hashed to get the digest (for gas): the struct, two arrays, the final 66 bytes. */
export function digestHashedBytes(items: number): number {
  return 9 * 32 + 2 * 32 * items + 66;
}

/** The signer of a 65-byte (r, s, v) signature over `digest`; 0 when it is malformed or does not recover. */
export function recoverSigner(digest: Uint8Array, signature: Uint8Array): bigint {
  if (signature.length !== 65) return 0n;
  const r = signature.subarray(0, 32);
  const s = signature.subarray(32, 64);
  let v = BigInt(signature[64]!);
  if (v < 27n) v += 27n;
  if (v !== 27n && v !== 28n) return 0n;
  const sValue = BigInt(`0x${Buffer.from(s).toString('hex')}`);
  if (sValue === 0n || sValue > HALF_N) return 0n;
  try {
    const publicKey = nativeEcrecover(digest, v, r, s);
    return BigInt(`0x${Buffer.from(keccak(publicKey).subarray(12)).toString('hex')}`);
  } catch {
    return 0n;
  }
}
