// What a workload is: something prepared against a ready target (pre-signing, untimed), then measured.
import type { Address } from 'viem';
import type { PrivateKeyAccount } from 'viem/accounts';
import { nonces } from '../chain.js';
import type { RpcClient } from '../rpc.js';
import type { Sender } from '../signing.js';
import type { CallMeasurement, ReadPlan } from './measure-calls.js';
import type { SendOptions, TxMeasurement } from './measure-txs.js';

export const WORKLOAD_NAMES = ['native', 'erc20', 'calls', 'balance', 'logs', 'proof'] as const;
export type WorkloadName = (typeof WORKLOAD_NAMES)[number];

export type Measurement = TxMeasurement | CallMeasurement;

export type WorkloadSizes = {
  txs: number;
  calls: number;
  sendConcurrency: number;
  sendBatch: number;
  callConcurrency: number;
  timeoutMs: number;
};

export type WorkloadContext = {
  client: RpcClient;
  chainId: number;
  accounts: readonly PrivateKeyAccount[];
  /** The deployed BenchToken, when a workload needs it. */
  token: Address | null;
  sizes: WorkloadSizes;
  /** See SendOptions.nudgeStalledAfterMs. */
  nudgeStalledAfterMs: number | null;
};

type WorkloadInfo = { name: WorkloadName; title: string; needsToken: boolean };

/** Transactions sent and waited for: each target on its own (they change the chain). */
export type TxWorkload = WorkloadInfo & {
  kind: 'txs';
  /** Does the untimed preparation and returns the timed part. */
  prepare(ctx: WorkloadContext): Promise<() => Promise<TxMeasurement>>;
};

/** Read requests: the targets' plans are measured side by side (measureSideBySide). */
export type ReadWorkload = WorkloadInfo & {
  kind: 'calls';
  /** Does the untimed preparation and returns what to send. */
  prepare(ctx: WorkloadContext): Promise<ReadPlan>;
};

/** What it measures: included transactions, or answered read requests. */
export type Workload = TxWorkload | ReadWorkload;

/** Every dev account as a sender, starting at its pending nonce. */
export async function sendersAt(ctx: WorkloadContext): Promise<Sender[]> {
  const next = await nonces(
    ctx.client,
    ctx.accounts.map((a) => a.address),
    'pending',
  );
  return ctx.accounts.map((account, i) => ({ account, nextNonce: next[i] ?? 0 }));
}

export function requireToken(ctx: WorkloadContext): Address {
  if (ctx.token === null) throw new Error('the workload needs the BenchToken deployed');
  return ctx.token;
}

export function sendOptions(ctx: WorkloadContext): SendOptions {
  return {
    concurrency: ctx.sizes.sendConcurrency,
    batchSize: ctx.sizes.sendBatch,
    timeoutMs: ctx.sizes.timeoutMs,
    nudgeStalledAfterMs: ctx.nudgeStalledAfterMs,
  };
}
