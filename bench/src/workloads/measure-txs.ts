// Measures inclusion throughput of pre-signed transactions: send with bounded concurrency, then poll
// until every sender's accepted nonces are included; receipts are read after the clock stops.
import type { Address, Hex } from 'viem';
import type { Receipt } from '../chain.js';
import type { RpcClient, RpcError } from '../rpc.js';
import type { SignedTx } from '../signing.js';
import { Deadline, mapBounded, sleep } from '../timing.js';

export type SendOptions = { concurrency: number; timeoutMs: number };

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
  /** Distinct error messages with their counts (sends and waits). */
  errors: Record<string, number>;
};

const SEND_RETRY_ROUNDS = 5;
const SEND_RETRY_PAUSE_MS = 250;
const POLL_INTERVAL_MS = 20;
const NONCE_CHECK_EVERY_MS = 500;
const MAX_DISTINCT_ERRORS = 20;

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
  const accepted = new Array<boolean>(txs.length).fill(false);
  let pending = txs.map((_, i) => i);
  let sendRetries = 0;
  for (let round = 0; round <= SEND_RETRY_ROUNDS && pending.length > 0 && !deadline.expired; round++) {
    if (round > 0) await sleep(SEND_RETRY_PAUSE_MS);
    const retry = round > 0;
    const outcomes = await mapBounded(pending, retry ? 1 : opts.concurrency, async (i) => {
      const tx = txs[i] as SignedTx;
      const outcome = await client.attempt<Hex>('eth_sendRawTransaction', [tx.raw], deadline.remainingMs + 1);
      if (outcome.ok) return true;
      // A retried tx the pool already holds (or has already included) counts as accepted.
      if (retry && isAlreadyAccepted(outcome.error)) return true;
      note(`send: ${outcome.error.message}`);
      return false;
    });
    const failed: number[] = [];
    outcomes.forEach((ok, k) => {
      const i = pending[k] as number;
      if (ok) accepted[i] = true;
      else failed.push(i);
    });
    if (round === 0) sendRetries = failed.length;
    // Retry in sender/nonce order so a nonce gap left by the first pass closes first.
    pending = failed.sort((a, b) => compareSenderNonce(txs[a] as SignedTx, txs[b] as SignedTx));
  }

  const targets = includableNonces(txs, accepted);
  const timedOut = !(await waitForNonces(client, targets, deadline, note));
  const elapsedMs = performance.now() - start;

  const acceptedTxs = txs.filter((_, i) => accepted[i]);
  const receipts = await mapBounded(acceptedTxs, 32, async (tx) => {
    const outcome = await client.attempt<Receipt | null>('eth_getTransactionReceipt', [tx.hash]);
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
    timedOut,
    errors,
  };
}

function isAlreadyAccepted(error: RpcError): boolean {
  return /already known|known transaction|already imported|nonce too low|already exists/i.test(error.message);
}

function compareSenderNonce(a: SignedTx, b: SignedTx): number {
  return a.sender === b.sender ? a.nonce - b.nonce : a.sender < b.sender ? -1 : 1;
}

/**
 * Per sender, the nonce the account reaches once its accepted txs are included: txs after the
 * first rejected one can never be included, so they are not waited for.
 */
function includableNonces(txs: readonly SignedTx[], accepted: readonly boolean[]): Map<Address, number> {
  const bySender = new Map<Address, { nonce: number; ok: boolean }[]>();
  txs.forEach((tx, i) => {
    const list = bySender.get(tx.sender) ?? [];
    list.push({ nonce: tx.nonce, ok: accepted[i] === true });
    bySender.set(tx.sender, list);
  });
  const targets = new Map<Address, number>();
  for (const [sender, list] of bySender) {
    list.sort((a, b) => a.nonce - b.nonce);
    let target: number | null = null;
    for (const entry of list) {
      if (!entry.ok) break;
      target = entry.nonce + 1;
    }
    if (target !== null) targets.set(sender, target);
  }
  return targets;
}

/** Polls eth_blockNumber; on each new block (or every 500 ms) checks the senders' latest nonces. */
async function waitForNonces(
  client: RpcClient,
  targets: Map<Address, number>,
  deadline: Deadline,
  note: (message: string) => void,
): Promise<boolean> {
  const remaining = new Map(targets);
  let lastBlock = -1;
  let lastCheck = 0;
  while (remaining.size > 0) {
    if (deadline.expired) return false;
    const head = await client.attempt<Hex>(
      'eth_blockNumber',
      [],
      Math.max(1, Math.min(5_000, deadline.remainingMs)),
    );
    const block = head.ok ? Number(head.result) : lastBlock;
    if (!head.ok) note(`poll: ${head.error.message}`);
    const now = performance.now();
    if (block !== lastBlock || now - lastCheck >= NONCE_CHECK_EVERY_MS) {
      lastBlock = block;
      lastCheck = now;
      await Promise.all(
        [...remaining].map(async ([sender, target]) => {
          const count = await client.attempt<Hex>('eth_getTransactionCount', [sender, 'latest'], 5_000);
          if (!count.ok) note(`poll: ${count.error.message}`);
          else if (Number(count.result) >= target) remaining.delete(sender);
        }),
      );
      if (remaining.size === 0) break;
    }
    await sleep(POLL_INTERVAL_MS);
  }
  return true;
}
