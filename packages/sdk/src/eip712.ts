// The attribution operator's signature: EIP-712 typed data over an
// inference's attributions, checked on chain by the Inferences precompile.
import type { Address, Hex, LocalAccount } from 'viem';
import { hashTypedData } from 'viem';
import { PRECOMPILES } from './addresses.js';

export const ATTRIBUTION_DOMAIN_NAME = 'OpenLedger Attribution';
export const ATTRIBUTION_DOMAIN_VERSION = '1';

export const attributionTypes = {
  Attribution: [
    { name: 'modelId', type: 'uint256' },
    { name: 'caller', type: 'address' },
    { name: 'inputHash', type: 'bytes32' },
    { name: 'outputHash', type: 'bytes32' },
    { name: 'contributionIds', type: 'uint256[]' },
    { name: 'weights', type: 'uint32[]' },
    { name: 'nonce', type: 'uint256' },
    { name: 'deadline', type: 'uint64' },
  ],
} as const;

/** What the operator attests: this caller's inference on this model was shaped by these contributions. */
export interface AttributionMessage {
  modelId: bigint;
  caller: Address;
  inputHash: Hex;
  outputHash: Hex;
  contributionIds: readonly bigint[];
  weights: readonly number[];
  nonce: bigint;
  deadline: bigint;
}

export function attributionDomain(chainId: number | bigint) {
  return {
    name: ATTRIBUTION_DOMAIN_NAME,
    version: ATTRIBUTION_DOMAIN_VERSION,
    chainId: BigInt(chainId),
    verifyingContract: PRECOMPILES.inferences,
  } as const;
}

/** The digest the operator signs (what the precompile recovers the signer from). */
export function attributionDigest(chainId: number | bigint, message: AttributionMessage): Hex {
  return hashTypedData({
    domain: attributionDomain(chainId),
    types: attributionTypes,
    primaryType: 'Attribution',
    message,
  });
}

/** Signs attributions as a model's operator, with a local account (private key, mnemonic or HD). */
export function signAttribution(
  operator: LocalAccount,
  chainId: number | bigint,
  message: AttributionMessage,
): Promise<Hex> {
  return operator.signTypedData({
    domain: attributionDomain(chainId),
    types: attributionTypes,
    primaryType: 'Attribution',
    message,
  });
}
