// Training (ModelFactory on chain): escrow a budget to fine-tune a model, accept, complete, cancel or refund.
import type { Address, ContractFunctionReturnType, Hash, Hex } from 'viem';
import { readContract, writeContract } from 'viem/actions';
import { trainingAbi } from '../abi.js';
import { MODEL_KIND, PRECOMPILES } from '../addresses.js';
import { splitWeights, type WeightedId } from '../weights.js';
import {
  block,
  type EnumInput,
  enumValue,
  type OpenLedgerPublicClient,
  type OpenLedgerWalletClient,
  type ReadOptions,
  type TransactionOptions,
  transaction,
} from './client.js';
import type { FeeSplit } from './models.js';

/** A training job as `getTrainingJob` returns it; `status` is a value of JOB_STATUS. */
export type TrainingJob = ContractFunctionReturnType<typeof trainingAbi, 'view', 'getTrainingJob'>;

const training = { address: PRECOMPILES.training, abi: trainingAbi } as const;

export interface RequestTrainingParameters extends TransactionOptions {
  baseModelId: bigint;
  /** What the job produces: `model` or `lora` (an adapter on the base model). */
  kind: EnumInput<typeof MODEL_KIND>;
  recipeHash: Hex;
  /** 1 to 16 datanets to train on, weights summing to 1,000,000; any order (sent ascending). */
  datanets: readonly WeightedId[];
  /** Unix seconds, after the current block's: the job must be completed by then, else it can be refunded. */
  deadline: bigint;
  /** The trainer's and the contributors' basis points; the protocol takes the rest, which must be 100 to 1,000. */
  trainerBps: number;
  contributorsBps: number;
  /** OPEN escrowed, in wei (> 0). */
  budget: bigint;
}

/**
 * Requests a training job, escrowing `budget`. Its id:
 * `waitForRecord(publicClient, { hash, record: 'trainingJob' })`.
 * Refusals: EmptyBudget, BudgetTooLarge, UnknownModel, InvalidKind, InvalidSplit, DeadlineInPast,
 * InvalidDatanetWeights, TooManyItems.
 */
export function requestTraining(
  client: OpenLedgerWalletClient,
  params: RequestTrainingParameters,
): Promise<Hash> {
  const { ids, weights } = splitWeights(params.datanets);
  return writeContract(client, {
    ...transaction(client, params),
    ...training,
    functionName: 'requestTraining',
    args: [
      {
        baseModelId: params.baseModelId,
        kind: enumValue(MODEL_KIND, params.kind),
        recipeHash: params.recipeHash,
        datanetIds: ids,
        datanetWeights: weights,
        deadline: params.deadline,
        trainerBps: params.trainerBps,
        contributorsBps: params.contributorsBps,
      },
    ],
    value: params.budget,
  });
}

/** Takes an open job as its trainer, before its deadline. Refusals: UnknownJob, WrongJobStatus, JobExpired. */
export function acceptTraining(
  client: OpenLedgerWalletClient,
  params: { jobId: bigint } & TransactionOptions,
): Promise<Hash> {
  return writeContract(client, {
    ...transaction(client, params),
    ...training,
    functionName: 'acceptTraining',
    args: [params.jobId],
  });
}

export interface CompleteTrainingParameters extends TransactionOptions, FeeSplit {
  jobId: bigint;
  /** Where the trained model or adapter is; at most 512 bytes of UTF-8. */
  uri: string;
  /** Inference fee of the new model, in wei. */
  price: bigint;
  /** Signs the new model's attributions. */
  operator: Address;
}

/**
 * Completes an accepted job as its trainer, before its deadline: registers
 * the result as a model owned by the requester and pays the budget out
 * (trainer at once, contributors per accepted byte via `settleContributions`,
 * protocol the rest). The new model's id: `waitForRecord(publicClient, { hash, record: 'model' })`.
 * Refusals: UnknownJob, WrongJobStatus, NotTrainer, JobExpired, and registerModel's.
 */
export function completeTraining(
  client: OpenLedgerWalletClient,
  params: CompleteTrainingParameters,
): Promise<Hash> {
  return writeContract(client, {
    ...transaction(client, params),
    ...training,
    functionName: 'completeTraining',
    args: [
      params.jobId,
      {
        uri: params.uri,
        price: params.price,
        ownerBps: params.ownerBps,
        contributorsBps: params.contributorsBps,
        protocolBps: params.protocolBps,
        operator: params.operator,
      },
    ],
  });
}

/** Cancels an open (not yet accepted) job and refunds its budget; the requester only. */
export function cancelTraining(
  client: OpenLedgerWalletClient,
  params: { jobId: bigint } & TransactionOptions,
): Promise<Hash> {
  return writeContract(client, {
    ...transaction(client, params),
    ...training,
    functionName: 'cancelTraining',
    args: [params.jobId],
  });
}

/**
 * Refunds the requester of a job past its deadline, open or accepted; anyone may send it.
 * Refusals: UnknownJob, WrongJobStatus, JobNotExpired.
 */
export function refundExpiredTraining(
  client: OpenLedgerWalletClient,
  params: { jobId: bigint } & TransactionOptions,
): Promise<Hash> {
  return writeContract(client, {
    ...transaction(client, params),
    ...training,
    functionName: 'refundExpired',
    args: [params.jobId],
  });
}

/** A training job; refused with UnknownJob for an id not given yet. */
export function getTrainingJob(
  client: OpenLedgerPublicClient,
  params: { jobId: bigint } & ReadOptions,
): Promise<TrainingJob> {
  return readContract(client, {
    ...block(params),
    ...training,
    functionName: 'getTrainingJob',
    args: [params.jobId],
  });
}

/** Training jobs requested so far: ids run from 1 to this count. */
export function getTrainingJobCount(
  client: OpenLedgerPublicClient,
  params: ReadOptions = {},
): Promise<bigint> {
  return readContract(client, { ...block(params), ...training, functionName: 'trainingJobCount' });
}
