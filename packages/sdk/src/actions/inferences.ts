// Inferences: record a use of a model with its operator-signed attributions; read inferences back.
import type { Address, ContractFunctionReturnType, Hash, Hex } from 'viem';
import { readContract, writeContract } from 'viem/actions';
import { inferencesAbi } from '../abi.js';
import { PRECOMPILES } from '../addresses.js';
import type { InferenceRequest } from '../attribution.js';
import {
  block,
  type OpenLedgerPublicClient,
  type OpenLedgerWalletClient,
  type PageParameters,
  pageArgs,
  type ReadOptions,
  type TransactionOptions,
  transaction,
} from './client.js';

/** An inference as `getInference` returns it. */
export type Inference = ContractFunctionReturnType<typeof inferencesAbi, 'view', 'getInference'>;

const inferences = { address: PRECOMPILES.inferences, abi: inferencesAbi } as const;

export interface RecordInferenceParameters extends TransactionOptions {
  /** Signed by the model's operator for this sender, e.g. with {@link buildAttributedInference}. */
  request: InferenceRequest;
  /** OPEN sent, in wei: at least the model's price (`getModel(...).price`); all of it is split. */
  fee: bigint;
}

/**
 * Records an inference and pays its fee: the owner's and protocol's shares by
 * the model's split, the contributors' share by attribution weight, rounding
 * remainders to the treasury, all credited to reward balances (see `claimRewards`).
 * Its id: `waitForRecord(publicClient, { hash, record: 'inference' })`.
 * Refusals: UnknownModel, ModelRetired, InsufficientFee, FeeTooHigh, NoAttributions, TooManyItems,
 * LengthMismatch, SignatureExpired, ContributionsNotAscending, ZeroWeight, UnknownContribution,
 * ContributionNotAccepted, DatanetNotDeclared, WeightsDoNotSum, NonceUsed, InvalidSignature.
 */
export function recordInference(
  client: OpenLedgerWalletClient,
  params: RecordInferenceParameters,
): Promise<Hash> {
  return writeContract(client, {
    ...transaction(client, params),
    ...inferences,
    functionName: 'recordInference',
    args: [params.request],
    value: params.fee,
  });
}

/** An inference; refused with UnknownInference for an id not given yet. */
export function getInference(
  client: OpenLedgerPublicClient,
  params: { inferenceId: bigint } & ReadOptions,
): Promise<Inference> {
  return readContract(client, {
    ...block(params),
    ...inferences,
    functionName: 'getInference',
    args: [params.inferenceId],
  });
}

/** Inferences recorded so far: ids run from 1 to this count. */
export function getInferenceCount(client: OpenLedgerPublicClient, params: ReadOptions = {}): Promise<bigint> {
  return readContract(client, { ...block(params), ...inferences, functionName: 'inferenceCount' });
}

/** Ids of the inferences that credited a contribution, in order, one page. */
export function listAttributions(
  client: OpenLedgerPublicClient,
  params: { contributionId: bigint } & PageParameters,
): Promise<readonly bigint[]> {
  return readContract(client, {
    ...block(params),
    ...inferences,
    functionName: 'attributionsOf',
    args: [params.contributionId, ...pageArgs(params)],
  });
}

/** Whether an operator's nonce has been used by a recorded inference. */
export function isNonceUsed(
  client: OpenLedgerPublicClient,
  params: { operator: Address; nonce: bigint } & ReadOptions,
): Promise<boolean> {
  return readContract(client, {
    ...block(params),
    ...inferences,
    functionName: 'nonceUsed',
    args: [params.operator, params.nonce],
  });
}

/** The EIP-712 domain separator the precompile checks signatures against (that of `attributionDomain(chainId)`). */
export function getAttributionDomainSeparator(
  client: OpenLedgerPublicClient,
  params: ReadOptions = {},
): Promise<Hex> {
  return readContract(client, { ...block(params), ...inferences, functionName: 'domainSeparator' });
}
