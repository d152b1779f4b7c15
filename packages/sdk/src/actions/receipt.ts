// Waiting for a write's receipt and reading what the precompiles logged in it: events and the id created.
import {
  type Address,
  type Hash,
  type Log,
  type ParseEventLogsReturnType,
  parseEventLogs,
  type TransactionReceipt,
} from 'viem';
import { waitForTransactionReceipt } from 'viem/actions';
import { datanetsAbi, inferencesAbi, modelsAbi, openLedgerAbi, rewardsAbi, trainingAbi } from '../abi.js';
import { PRECOMPILES } from '../addresses.js';
import { OpenLedgerSdkError } from '../errors.js';
import type { OpenLedgerPublicClient } from './client.js';

/** An event a precompile logged, decoded: `eventName` and typed `args`. */
export type OpenLedgerEvent = ParseEventLogsReturnType<typeof openLedgerAbi>[number];

/** Which precompile logs each event: a log counts only from its own precompile's address. */
const EMITTER = new Map<string, Address>();
for (const [abi, address] of [
  [datanetsAbi, PRECOMPILES.datanets],
  [modelsAbi, PRECOMPILES.models],
  [inferencesAbi, PRECOMPILES.inferences],
  [trainingAbi, PRECOMPILES.training],
  [rewardsAbi, PRECOMPILES.rewards],
] as const) {
  for (const item of abi) if (item.type === 'event') EMITTER.set(item.name, address);
}

/**
 * The precompiles' events among `logs`, in log order. A log with the same
 * signature from any other address (a contract imitating an event) is left out.
 */
export function parseOpenLedgerEvents(logs: readonly Log[]): OpenLedgerEvent[] {
  return parseEventLogs({ abi: openLedgerAbi, logs: [...logs] }).filter(
    (event) => EMITTER.get(event.eventName)?.toLowerCase() === event.address.toLowerCase(),
  );
}

export interface WaitForAttributionReceiptParameters {
  hash: Hash;
  /** Blocks to wait for after inclusion (default 1). */
  confirmations?: number;
  /** Milliseconds before giving up (viem's default otherwise). */
  timeout?: number;
}

export interface AttributionReceipt {
  receipt: TransactionReceipt;
  events: OpenLedgerEvent[];
}

/**
 * Waits for a transaction and returns its receipt with the precompiles'
 * events decoded. Throws {@link OpenLedgerSdkError} `TRANSACTION_REVERTED`
 * when it reverted (possible only when sent with a fixed `gas`: otherwise the
 * estimate refuses it first, with the custom error).
 */
export async function waitForAttributionReceipt(
  client: OpenLedgerPublicClient,
  params: WaitForAttributionReceiptParameters,
): Promise<AttributionReceipt> {
  const { hash } = params;
  const receipt = await waitForTransactionReceipt(client, {
    hash,
    ...(params.confirmations === undefined ? {} : { confirmations: params.confirmations }),
    ...(params.timeout === undefined ? {} : { timeout: params.timeout }),
  });
  if (receipt.status !== 'success') {
    throw new OpenLedgerSdkError(
      { code: 'TRANSACTION_REVERTED', hash, receipt },
      `transaction ${hash} reverted in block ${receipt.blockNumber}`,
    );
  }
  return { receipt, events: parseOpenLedgerEvents(receipt.logs) };
}

/** The records a write creates, by the event that announces each and the argument holding its id. */
export const RECORD_CREATED = {
  datanet: { event: 'DatanetCreated', arg: 'datanetId' },
  contribution: { event: 'ContributionSubmitted', arg: 'contributionId' },
  model: { event: 'ModelRegistered', arg: 'modelId' },
  inference: { event: 'InferenceRecorded', arg: 'inferenceId' },
  trainingJob: { event: 'TrainingRequested', arg: 'jobId' },
} as const;

export type RecordKind = keyof typeof RECORD_CREATED;

export interface WaitForRecordParameters extends WaitForAttributionReceiptParameters {
  /**
   * The record the write created: `datanet` (createDatanet), `contribution`
   * (contribute), `model` (registerModel, completeTraining), `inference`
   * (recordInference), `trainingJob` (requestTraining).
   */
  record: RecordKind;
}

export interface RecordResult extends AttributionReceipt {
  /** The new record's id (the first such record, if a contract created several in one transaction). */
  id: bigint;
}

/**
 * Waits for a write and returns the id of the record it created, with the
 * receipt and events.
 *
 * @example
 * const hash = await createDatanet(wallet, { metadataHash, uri, policy: 'open' });
 * const { id: datanetId } = await waitForRecord(publicClient, { hash, record: 'datanet' });
 */
export async function waitForRecord(
  client: OpenLedgerPublicClient,
  params: WaitForRecordParameters,
): Promise<RecordResult> {
  const { receipt, events } = await waitForAttributionReceipt(client, params);
  const { event, arg } = RECORD_CREATED[params.record];
  const created = events.find((e) => e.eventName === event);
  const id = created === undefined ? undefined : (created.args as Record<string, unknown>)[arg];
  if (typeof id !== 'bigint') {
    throw new OpenLedgerSdkError(
      { code: 'RECORD_NOT_FOUND', hash: params.hash, event },
      `transaction ${params.hash} logged no ${event}`,
    );
  }
  return { id, receipt, events };
}
