// The attribution graph's records: one layout per kind, the counters that
// number them, and the lists that page them. Each lives in the storage of
// the precompile that owns it (see addresses.ts); the layouts are the
// documented storage format (docs/attribution.md) and what ol_getAttributionProof proves.
import { Layout } from './layout.js';
import { mappingSlot } from './slots.js';

const ADDRESS = 160;

/** Record tags: the first word hashed into a record's base slot. */
export const TAG = {
  datanet: 1n,
  contribution: 2n,
  model: 3n,
  inference: 4n,
  trainingJob: 5n,
  /** Lists: contributions of a datanet, inferences of a model, inferences crediting a contribution. */
  datanetContributions: 6n,
  modelInferences: 7n,
  contributionInferences: 8n,
  /** Mappings: reward balances (Rewards), used-nonce bitmaps (Inferences). */
  rewardBalance: 9n,
  nonceBitmap: 10n,
} as const;

/** Counters at fixed slots of their precompile's account: the last id given. */
export const COUNTER_SLOT = {
  datanets: 0n,
  contributions: 1n,
  models: 0n,
  inferences: 0n,
  trainingJobs: 0n,
} as const;

export const datanetLayout = new Layout(TAG.datanet, [
  { name: 'owner', type: 'uint', bits: ADDRESS, abi: 'address' },
  { name: 'policy', type: 'uint', bits: 8 },
  { name: 'status', type: 'uint', bits: 8 },
  { name: 'contributionCount', type: 'uint', bits: 64 },
  { name: 'acceptedCount', type: 'uint', bits: 64 },
  { name: 'acceptedSize', type: 'uint', bits: 128 },
  { name: 'metadataHash', type: 'uint', bits: 256, abi: 'bytes32' },
  { name: 'rewardPerByte', type: 'uint', bits: 256 },
  { name: 'uri', type: 'string' },
] as const);

export const contributionLayout = new Layout(TAG.contribution, [
  { name: 'contributor', type: 'uint', bits: ADDRESS, abi: 'address' },
  { name: 'status', type: 'uint', bits: 8 },
  { name: 'datanetId', type: 'uint', bits: 64 },
  { name: 'size', type: 'uint', bits: 64 },
  { name: 'attributionCount', type: 'uint', bits: 64 },
  { name: 'inferenceEarnings', type: 'uint', bits: 128 },
  { name: 'contentHash', type: 'uint', bits: 256, abi: 'bytes32' },
  { name: 'rewardPerByteSettled', type: 'uint', bits: 256 },
  { name: 'uri', type: 'string' },
] as const);

export const modelLayout = new Layout(TAG.model, [
  { name: 'owner', type: 'uint', bits: ADDRESS, abi: 'address' },
  { name: 'kind', type: 'uint', bits: 8 },
  { name: 'status', type: 'uint', bits: 8 },
  { name: 'ownerBps', type: 'uint', bits: 16 },
  { name: 'contributorsBps', type: 'uint', bits: 16 },
  { name: 'protocolBps', type: 'uint', bits: 16 },
  { name: 'operator', type: 'uint', bits: ADDRESS, abi: 'address' },
  { name: 'parentId', type: 'uint', bits: 64 },
  { name: 'price', type: 'uint', bits: 128 },
  { name: 'inferenceCount', type: 'uint', bits: 64 },
  { name: 'trainingJobId', type: 'uint', bits: 64 },
  { name: 'recipeHash', type: 'uint', bits: 256, abi: 'bytes32' },
  { name: 'uri', type: 'string' },
  { name: 'datanetIds', type: 'array', bits: 64 },
  { name: 'datanetWeights', type: 'array', bits: 32 },
] as const);

export const inferenceLayout = new Layout(TAG.inference, [
  { name: 'caller', type: 'uint', bits: ADDRESS, abi: 'address' },
  { name: 'modelId', type: 'uint', bits: 64 },
  { name: 'fee', type: 'uint', bits: 128 },
  { name: 'blockNumber', type: 'uint', bits: 64 },
  { name: 'timestamp', type: 'uint', bits: 64 },
  { name: 'inputHash', type: 'uint', bits: 256, abi: 'bytes32' },
  { name: 'outputHash', type: 'uint', bits: 256, abi: 'bytes32' },
  { name: 'contributionIds', type: 'array', bits: 64 },
  { name: 'weights', type: 'array', bits: 32 },
] as const);

export const trainingJobLayout = new Layout(TAG.trainingJob, [
  { name: 'requester', type: 'uint', bits: ADDRESS, abi: 'address' },
  { name: 'status', type: 'uint', bits: 8 },
  { name: 'kind', type: 'uint', bits: 8 },
  { name: 'trainerBps', type: 'uint', bits: 16 },
  { name: 'contributorsBps', type: 'uint', bits: 16 },
  { name: 'protocolBps', type: 'uint', bits: 16 },
  { name: 'trainer', type: 'uint', bits: ADDRESS, abi: 'address' },
  { name: 'deadline', type: 'uint', bits: 64 },
  { name: 'budget', type: 'uint', bits: 128 },
  { name: 'baseModelId', type: 'uint', bits: 64 },
  { name: 'modelId', type: 'uint', bits: 64 },
  { name: 'recipeHash', type: 'uint', bits: 256, abi: 'bytes32' },
  { name: 'datanetIds', type: 'array', bits: 64 },
  { name: 'datanetWeights', type: 'array', bits: 32 },
] as const);

/** A list of ids (uint64, four to a slot), keyed by its owner's id. */
const listLayout = (tag: bigint) => new Layout(tag, [{ name: 'ids', type: 'array', bits: 64 }] as const);
export const datanetContributionsList = listLayout(TAG.datanetContributions);
export const modelInferencesList = listLayout(TAG.modelInferences);
export const contributionInferencesList = listLayout(TAG.contributionInferences);

export function rewardBalanceSlot(account: bigint): bigint {
  return mappingSlot(account, TAG.rewardBalance);
}

/** A bitmap word of 256 nonces of one operator: nonce n is bit n % 256 of word n / 256. */
export function nonceBitmapSlot(operator: bigint, nonce: bigint): bigint {
  return mappingSlot(mappingSlot(operator, TAG.nonceBitmap), nonce >> 8n);
}
