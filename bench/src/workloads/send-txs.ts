// Sending pre-signed transactions: a first pass with bounded concurrency (single requests or JSON-RPC
// batches), then a few sequential retry rounds in sender/nonce order for whatever was refused.
import type { Hex } from 'viem';
import { type RpcClient, RpcError, type RpcOutcome } from '../rpc.js';
import type { SignedTx } from '../signing.js';
import { type Deadline, mapBounded, sleep } from '../timing.js';

export type SendTxsOptions = {
  /** Requests (single or batches) in flight. */
  concurrency: number;
  /** eth_sendRawTransaction per JSON-RPC batch; 0 sends single requests. */
  batchSize: number;
};

export type SendResult = {
  /** accepted[i]: txs[i] was accepted by eth_sendRawTransaction (possibly after retries). */
  accepted: boolean[];
  firstPassFailures: number;
};

const SEND_RETRY_ROUNDS = 5;
const SEND_RETRY_PAUSE_MS = 250;

export async function sendAll(
  client: RpcClient,
  txs: readonly SignedTx[],
  opts: SendTxsOptions,
  deadline: Deadline,
  note: (message: string) => void,
): Promise<SendResult> {
  const accepted = new Array<boolean>(txs.length).fill(false);
  let pending = txs.map((_, i) => i);
  let firstPassFailures = 0;
  for (let round = 0; round <= SEND_RETRY_ROUNDS && pending.length > 0 && !deadline.expired; round++) {
    if (round > 0) await sleep(SEND_RETRY_PAUSE_MS);
    const retry = round > 0;
    // A retried tx the pool already holds (or has already included) counts as accepted.
    const judge = (outcome: RpcOutcome<Hex>): boolean => {
      if (outcome.ok || (retry && isAlreadyAccepted(outcome.error))) return true;
      note(`send: ${outcome.error.message}`);
      return false;
    };
    const outcomes =
      !retry && opts.batchSize > 0
        ? await sendBatches(client, txs, pending, opts, deadline, judge)
        : await mapBounded(pending, retry ? 1 : opts.concurrency, async (i) =>
            judge(
              await client.attempt<Hex>(
                'eth_sendRawTransaction',
                [(txs[i] as SignedTx).raw],
                deadline.remainingMs + 1,
              ),
            ),
          );
    const failed: number[] = [];
    outcomes.forEach((ok, k) => {
      const i = pending[k] as number;
      if (ok) accepted[i] = true;
      else failed.push(i);
    });
    if (round === 0) firstPassFailures = failed.length;
    // Retry in sender/nonce order so a nonce gap left by the first pass closes first.
    pending = failed.sort((a, b) => compareSenderNonce(txs[a] as SignedTx, txs[b] as SignedTx));
  }

  return { accepted, firstPassFailures };
}

/** Sends the txs at `indexes` in JSON-RPC batches; a batch that fails as a whole fails all its txs. */
async function sendBatches(
  client: RpcClient,
  txs: readonly SignedTx[],
  indexes: readonly number[],
  opts: SendTxsOptions,
  deadline: Deadline,
  judge: (outcome: RpcOutcome<Hex>) => boolean,
): Promise<boolean[]> {
  const chunks: number[][] = [];
  for (let i = 0; i < indexes.length; i += opts.batchSize) chunks.push(indexes.slice(i, i + opts.batchSize));
  const perChunk = await mapBounded(chunks, opts.concurrency, async (chunk) => {
    const calls = chunk.map((i) => ({
      method: 'eth_sendRawTransaction',
      params: [(txs[i] as SignedTx).raw],
    }));
    try {
      return (await client.batch<Hex>(calls, deadline.remainingMs + 1)).map(judge);
    } catch (error) {
      const failure = error instanceof RpcError ? error : new RpcError('transport', 'batch', String(error));
      return chunk.map(() => judge({ ok: false, error: failure }));
    }
  });
  return perChunk.flat();
}

function isAlreadyAccepted(error: RpcError): boolean {
  return /already known|known transaction|already imported|nonce too low|already exists/i.test(error.message);
}

function compareSenderNonce(a: SignedTx, b: SignedTx): number {
  return a.sender === b.sender ? a.nonce - b.nonce : a.sender < b.sender ? -1 : 1;
}
