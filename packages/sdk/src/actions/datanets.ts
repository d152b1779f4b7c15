// Datanets: create curated datasets, contribute to them, review contributions; read them back.
import type { ContractFunctionReturnType, Hash, Hex } from 'viem';
import { readContract, writeContract } from 'viem/actions';
import { datanetsAbi } from '../abi.js';
import { DATANET_POLICY, DATANET_STATUS, PRECOMPILES } from '../addresses.js';
import {
  block,
  type EnumInput,
  enumValue,
  type OpenLedgerPublicClient,
  type OpenLedgerWalletClient,
  type PageParameters,
  pageArgs,
  type ReadOptions,
  type TransactionOptions,
  transaction,
} from './client.js';

/** A datanet as `getDatanet` returns it; `policy` and `status` are values of DATANET_POLICY and DATANET_STATUS. */
export type Datanet = ContractFunctionReturnType<typeof datanetsAbi, 'view', 'getDatanet'>;
/** A contribution as `getContribution` returns it; `status` is a value of CONTRIBUTION_STATUS. */
export type Contribution = ContractFunctionReturnType<typeof datanetsAbi, 'view', 'getContribution'>;

const datanets = { address: PRECOMPILES.datanets, abi: datanetsAbi } as const;

export interface CreateDatanetParameters extends TransactionOptions {
  /** Hash of the datanet's metadata document (its description, schema, licence), which `uri` points to. */
  metadataHash: Hex;
  /** At most 512 bytes of UTF-8. */
  uri: string;
  /** `open`: contributions are accepted at once; `ownerApproved`: they wait for the owner's review. */
  policy: EnumInput<typeof DATANET_POLICY>;
}

/**
 * Creates a datanet owned by the sender. Its id: `waitForRecord(publicClient, { hash, record: 'datanet' })`.
 * Refusals: InvalidPolicy, StringTooLong.
 */
export function createDatanet(
  client: OpenLedgerWalletClient,
  params: CreateDatanetParameters,
): Promise<Hash> {
  return writeContract(client, {
    ...transaction(client, params),
    ...datanets,
    functionName: 'createDatanet',
    args: [params.metadataHash, params.uri, enumValue(DATANET_POLICY, params.policy)],
  });
}

export interface ContributeParameters extends TransactionOptions {
  datanetId: bigint;
  /** Hash of the contributed data, which `uri` points to. */
  contentHash: Hex;
  /** Bytes of data (> 0): a datanet's training rewards are shared per accepted byte. */
  size: bigint;
  /** At most 512 bytes of UTF-8. */
  uri: string;
}

/**
 * Submits a contribution to a datanet: accepted at once under the open
 * policy, pending review under owner-approved. Its id:
 * `waitForRecord(publicClient, { hash, record: 'contribution' })`.
 * Refusals: UnknownDatanet, DatanetClosed, InvalidSize, StringTooLong.
 */
export function contribute(client: OpenLedgerWalletClient, params: ContributeParameters): Promise<Hash> {
  return writeContract(client, {
    ...transaction(client, params),
    ...datanets,
    functionName: 'contribute',
    args: [params.datanetId, params.contentHash, params.size, params.uri],
  });
}

export interface ReviewContributionParameters extends TransactionOptions {
  contributionId: bigint;
  accept: boolean;
}

/**
 * Accepts or rejects a pending contribution; the datanet's owner only.
 * Refusals: UnknownContribution, NotDatanetOwner, NotPending.
 */
export function reviewContribution(
  client: OpenLedgerWalletClient,
  params: ReviewContributionParameters,
): Promise<Hash> {
  return writeContract(client, {
    ...transaction(client, params),
    ...datanets,
    functionName: 'reviewContribution',
    args: [params.contributionId, params.accept],
  });
}

export interface SetDatanetStatusParameters extends TransactionOptions {
  datanetId: bigint;
  /** `closed` refuses new contributions; `active` opens the datanet again. */
  status: EnumInput<typeof DATANET_STATUS>;
}

/** Closes or reopens a datanet; its owner only. Refusals: InvalidStatus, UnknownDatanet, NotDatanetOwner. */
export function setDatanetStatus(
  client: OpenLedgerWalletClient,
  params: SetDatanetStatusParameters,
): Promise<Hash> {
  return writeContract(client, {
    ...transaction(client, params),
    ...datanets,
    functionName: 'setDatanetStatus',
    args: [params.datanetId, enumValue(DATANET_STATUS, params.status)],
  });
}

/** A datanet; refused with UnknownDatanet for an id not given yet. */
export function getDatanet(
  client: OpenLedgerPublicClient,
  params: { datanetId: bigint } & ReadOptions,
): Promise<Datanet> {
  return readContract(client, {
    ...block(params),
    ...datanets,
    functionName: 'getDatanet',
    args: [params.datanetId],
  });
}

/** A contribution; refused with UnknownContribution for an id not given yet. */
export function getContribution(
  client: OpenLedgerPublicClient,
  params: { contributionId: bigint } & ReadOptions,
): Promise<Contribution> {
  return readContract(client, {
    ...block(params),
    ...datanets,
    functionName: 'getContribution',
    args: [params.contributionId],
  });
}

/** Datanets created so far: ids run from 1 to this count. */
export function getDatanetCount(client: OpenLedgerPublicClient, params: ReadOptions = {}): Promise<bigint> {
  return readContract(client, { ...block(params), ...datanets, functionName: 'datanetCount' });
}

/** Contributions submitted so far, over all datanets: ids run from 1 to this count. */
export function getContributionCount(
  client: OpenLedgerPublicClient,
  params: ReadOptions = {},
): Promise<bigint> {
  return readContract(client, { ...block(params), ...datanets, functionName: 'contributionCount' });
}

/** Contribution ids of a datanet in submission order, one page. */
export function listContributions(
  client: OpenLedgerPublicClient,
  params: { datanetId: bigint } & PageParameters,
): Promise<readonly bigint[]> {
  return readContract(client, {
    ...block(params),
    ...datanets,
    functionName: 'contributionsOf',
    args: [params.datanetId, ...pageArgs(params)],
  });
}
