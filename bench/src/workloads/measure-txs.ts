// Measures inclusion throughput of pre-signed transactions: send with bounded concurrency, then poll
// until every sender's accepted nonces are included; receipts are read after the clock stops.
import type { Hex } from 'viem';
import type { Receipt } from '../chain.js';
import type { RpcClient } from '../rpc.js';
import type { SignedTx } from '../signing.js';
import { Deadline, mapBounded } from '../timing.js';
import { type SendTxsOptions, sendAll } from './send-txs.js';
import { includableNonces, waitForNonces } from './wait-inclusion.js';

export type SendOptions = SendTxsOptions & {
  timeoutMs: number;
  /** When set, an `evm_mine` is sent once the senders' nonces stop advancing this long (anvil automine). */
  nudgeStalledAfterMs: number | null;
};

export type TxMeasurement = {
  kind: 'txs';
  txs: number;
  /** Accepted by eth_sendRawTransaction (possibly after retries). */
  accepted: number;
  /** With a receipt, successful or not. */
  included: number;
  succeeded: number;
  reverted: number;
  /** Never accepted after every retry. */
  rejected: number;
  /** Sends that failed at least once (first-attempt failures). */
  sendRetries: number;
  gasUsed: string;
  blocks: number;
  maxTxsPerBlock: number;
  elapsedMs: number;
  txPerSec: number;
  gasPerSec: number;
  timedOut: boolean;
  /** evm_mine calls sent to get a stalled automine going again. */
  nudges: number;
  /** Distinct error messages with their counts (sends and waits). */
  errors: Record<string, number>;
};

const MAX_DISTINCT_ERRORS = 20;
const RECEIPTS_TIMEOUT_MS = 60_000;
const RECEIPT_REQUEST_TIMEOUT_MS = 10_000;

export async function measureTxs(
  client: RpcClient,
  txs: readonly SignedTx[],
  opts: SendOptions,
): Promise<TxMeasurement> {
  const deadline = new Deadline(opts.timeoutMs);
  const errors: Record<string, number> = {};
  const note = (message: string): void => {
    let key = message.length > 160 ? `${message.slice(0, 157)}...` : message;
    if (!(key in errors) && Object.keys(errors).length >= MAX_DISTINCT_ERRORS) key = '(other errors)';
    errors[key] = (errors[key] ?? 0) + 1;
  };

  const startBlock = Number(await client.request<Hex>('eth_blockNumber'));
  const start = performance.now();
  const { accepted, firstPassFailures: sendRetries } = await sendAll(client, txs, opts, deadline, note);

  const targets = includableNonces(txs, accepted);
  const wait = await waitForNonces(client, targets, deadline, opts.nudgeStalledAfterMs, note);
  const elapsedMs = performance.now() - start;

  const acceptedTxs = txs.filter((_, i) => accepted[i]);
  // Untimed, but bounded: a target that stopped answering must not hold the bench for long.
  const receiptsDeadline = new Deadline(RECEIPTS_TIMEOUT_MS);
  const receipts = await mapBounded(acceptedTxs, 32, async (tx) => {
    if (receiptsDeadline.expired) {
      note('receipt: not fetched, receipts phase timed out');
      return null;
    }
    const timeout = Math.min(RECEIPT_REQUEST_TIMEOUT_MS, receiptsDeadline.remainingMs);
    const outcome = await client.attempt<Receipt | null>('eth_getTransactionReceipt', [tx.hash], timeout);
    if (outcome.ok) return outcome.result;
    note(`receipt: ${outcome.error.message}`);
    return null;
  });

  let gasUsed = 0n;
  let succeeded = 0;
  let included = 0;
  const perBlock = new Map<number, number>();
  for (const receipt of receipts) {
    if (receipt === null) continue;
    included++;
    const block = Number(receipt.blockNumber);
    perBlock.set(block, (perBlock.get(block) ?? 0) + 1);
    if (Number(receipt.status) === 1) {
      succeeded++;
      gasUsed += BigInt(receipt.gasUsed);
    }
  }
  if (perBlock.size > 0 && Math.min(...perBlock.keys()) <= startBlock)
    note('receipt in a block mined before the run');
  const seconds = elapsedMs / 1000;
  return {
    kind: 'txs',
    txs: txs.length,
    accepted: acceptedTxs.length,
    included,
    succeeded,
    reverted: included - succeeded,
    rejected: txs.length - acceptedTxs.length,
    sendRetries,
    gasUsed: gasUsed.toString(),
    blocks: perBlock.size,
    maxTxsPerBlock: perBlock.size === 0 ? 0 : Math.max(...perBlock.values()),
    elapsedMs,
    txPerSec: succeeded / seconds,
    gasPerSec: Number(gasUsed) / seconds,
    timedOut: !wait.done,
    nudges: wait.nudges,
    errors,
  };
}
