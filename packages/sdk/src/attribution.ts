// The operator's side of an inference: the request the caller submits, with its attributions signed.
import type { Address, ContractFunctionArgs, Hex, LocalAccount } from 'viem';
import type { inferencesAbi } from './abi.js';
import { signAttribution } from './eip712.js';
import { splitWeights, type WeightedId } from './weights.js';

/** The argument of `recordInference`: what the caller sends, signature included. */
export type InferenceRequest = ContractFunctionArgs<typeof inferencesAbi, 'payable', 'recordInference'>[0];

/** Seconds a signature stays valid when no deadline is given. */
export const DEFAULT_ATTRIBUTION_TTL = 600;

export interface BuildAttributedInferenceParameters {
  /** The model's operator (`getModel(...).operator`), as a local account that can sign. */
  operator: LocalAccount;
  /** The chain the request is for; part of the signed domain. */
  chainId: number | bigint;
  /** Who sends `recordInference`: the signature is valid for this sender only. */
  caller: Address;
  modelId: bigint;
  inputHash: Hex;
  outputHash: Hex;
  /** Contribution ids with weights summing to 1,000,000 (see {@link normalizeWeights}); any order. */
  attributions: readonly WeightedId[];
  /** Each nonce is used once per operator. Default: a random 64-bit number. */
  nonce?: bigint;
  /** Unix seconds after which the precompile refuses the signature. Default: now + 10 minutes, by this machine's clock. */
  deadline?: bigint;
}

/**
 * Builds and signs an inference request as the model's operator (EIP-712,
 * see {@link signAttribution}); the caller submits it with `recordInference`.
 *
 * Contribution ids are sorted ascending, as the precompile requires. Random
 * nonces each take a fresh storage word on chain; sequential nonces share one
 * word per 256 and cost less gas. The default deadline follows this machine's
 * clock, not the chain's: on a devnet whose time was moved forward, pass one.
 */
export async function buildAttributedInference(
  params: BuildAttributedInferenceParameters,
): Promise<InferenceRequest> {
  const { ids, weights } = splitWeights(params.attributions);
  const message = {
    modelId: params.modelId,
    caller: params.caller,
    inputHash: params.inputHash,
    outputHash: params.outputHash,
    contributionIds: ids,
    weights,
    nonce: params.nonce ?? randomNonce(),
    deadline: params.deadline ?? BigInt(Math.floor(Date.now() / 1000) + DEFAULT_ATTRIBUTION_TTL),
  };
  const signature = await signAttribution(params.operator, params.chainId, message);
  const { caller: _, ...request } = message;
  return { ...request, signature };
}

/** A random nonce in [0, 2^64), from the platform's cryptographic random source. */
export function randomNonce(): bigint {
  return crypto.getRandomValues(new BigUint64Array(1))[0]!;
}
