// Models: register models and LoRA adapters with the datanets they learned from; update price, operator, status.
import type { Address, ContractFunctionReturnType, Hash, Hex } from 'viem';
import { readContract, writeContract } from 'viem/actions';
import { modelsAbi } from '../abi.js';
import { MODEL_KIND, MODEL_STATUS, PRECOMPILES } from '../addresses.js';
import { splitWeights, type WeightedId } from '../weights.js';
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

/** A model as `getModel` returns it; `kind` and `status` are values of MODEL_KIND and MODEL_STATUS. */
export type Model = ContractFunctionReturnType<typeof modelsAbi, 'view', 'getModel'>;

const models = { address: PRECOMPILES.models, abi: modelsAbi } as const;

/** How a fee is split, in basis points summing to 10,000: protocol 100 to 1,000, contributors at least 1,000. */
export interface FeeSplit {
  ownerBps: number;
  contributorsBps: number;
  protocolBps: number;
}

export interface RegisterModelParameters extends TransactionOptions, FeeSplit {
  /** `model` (default) or `lora`, an adapter whose `parentId` is its base model. */
  kind?: EnumInput<typeof MODEL_KIND>;
  /** The base model; 0 (the default) for none, required for a LoRA adapter. */
  parentId?: bigint;
  /** Hash of how the model was made (base, data, hyperparameters). */
  recipeHash: Hex;
  /** At most 512 bytes of UTF-8. */
  uri: string;
  /** 1 to 16 datanets the model learned from, weights summing to 1,000,000; any order (sent ascending). */
  datanets: readonly WeightedId[];
  /** Fee of one inference, in wei of OPEN. */
  price: bigint;
  /** Signs each inference's attributions. */
  operator: Address;
}

/**
 * Registers a model owned by the sender. Its id: `waitForRecord(publicClient, { hash, record: 'model' })`.
 * Refusals: InvalidKind, InvalidParent, InvalidSplit, ZeroOperator, PriceTooHigh, StringTooLong,
 * InvalidDatanetWeights (ids not ascending or unknown, weights not summing to 1,000,000), TooManyItems.
 */
export function registerModel(
  client: OpenLedgerWalletClient,
  params: RegisterModelParameters,
): Promise<Hash> {
  const { ids, weights } = splitWeights(params.datanets);
  return writeContract(client, {
    ...transaction(client, params),
    ...models,
    functionName: 'registerModel',
    args: [
      {
        parentId: params.parentId ?? 0n,
        kind: enumValue(MODEL_KIND, params.kind ?? 'model'),
        recipeHash: params.recipeHash,
        uri: params.uri,
        datanetIds: ids,
        datanetWeights: weights,
        price: params.price,
        ownerBps: params.ownerBps,
        contributorsBps: params.contributorsBps,
        protocolBps: params.protocolBps,
        operator: params.operator,
      },
    ],
  });
}

/** Sets a model's inference fee in wei; its owner only. Refusals: UnknownModel, NotModelOwner, PriceTooHigh. */
export function setModelPrice(
  client: OpenLedgerWalletClient,
  params: { modelId: bigint; price: bigint } & TransactionOptions,
): Promise<Hash> {
  return writeContract(client, {
    ...transaction(client, params),
    ...models,
    functionName: 'setPrice',
    args: [params.modelId, params.price],
  });
}

/**
 * Hands attribution signing to another operator; its owner only. Requests the
 * old operator signed stop verifying. Refusals: ZeroOperator, UnknownModel, NotModelOwner.
 */
export function setModelOperator(
  client: OpenLedgerWalletClient,
  params: { modelId: bigint; operator: Address } & TransactionOptions,
): Promise<Hash> {
  return writeContract(client, {
    ...transaction(client, params),
    ...models,
    functionName: 'setOperator',
    args: [params.modelId, params.operator],
  });
}

/** Retires a model (no more inferences) or makes it active again; its owner only. */
export function setModelStatus(
  client: OpenLedgerWalletClient,
  params: { modelId: bigint; status: EnumInput<typeof MODEL_STATUS> } & TransactionOptions,
): Promise<Hash> {
  return writeContract(client, {
    ...transaction(client, params),
    ...models,
    functionName: 'setModelStatus',
    args: [params.modelId, enumValue(MODEL_STATUS, params.status)],
  });
}

/** A model; refused with UnknownModel for an id not given yet. */
export function getModel(
  client: OpenLedgerPublicClient,
  params: { modelId: bigint } & ReadOptions,
): Promise<Model> {
  return readContract(client, {
    ...block(params),
    ...models,
    functionName: 'getModel',
    args: [params.modelId],
  });
}

/** Models registered so far (training included): ids run from 1 to this count. */
export function getModelCount(client: OpenLedgerPublicClient, params: ReadOptions = {}): Promise<bigint> {
  return readContract(client, { ...block(params), ...models, functionName: 'modelCount' });
}

/** Inference ids of a model in order, one page. */
export function listInferences(
  client: OpenLedgerPublicClient,
  params: { modelId: bigint } & PageParameters,
): Promise<readonly bigint[]> {
  return readContract(client, {
    ...block(params),
    ...models,
    functionName: 'inferencesOf',
    args: [params.modelId, ...pageArgs(params)],
  });
}
