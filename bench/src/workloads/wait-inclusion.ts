// Waiting until pre-signed transactions are included, judged by the senders' nonces.
import type { Address, Hex } from 'viem';
import type { RpcClient } from '../rpc.js';
import type { SignedTx } from '../signing.js';
import { type Deadline, sleep } from '../timing.js';

const POLL_INTERVAL_MS = 20;
const NONCE_CHECK_EVERY_MS = 500;

/**
 * Per sender, the nonce the account reaches once its accepted txs are included: txs after the
 * first rejected one can never be included, so they are not waited for.
 */
export function includableNonces(
  txs: readonly SignedTx[],
  accepted: readonly boolean[],
): Map<Address, number> {
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

/**
 * Polls eth_blockNumber; on each new block (or every 500 ms) checks the senders' latest nonces.
 * With nudgeAfterMs, when the senders' nonces stop advancing that long, an evm_mine is sent: anvil's
 * automine can keep mining empty blocks while the transactions sit in its pool.
 */
export async function waitForNonces(
  client: RpcClient,
  targets: Map<Address, number>,
  deadline: Deadline,
  nudgeAfterMs: number | null,
  note: (message: string) => void,
): Promise<{ done: boolean; nudges: number }> {
  const remaining = new Map(targets);
  const reached = new Map<Address, number>();
  let lastBlock = -1;
  let lastCheck = 0;
  let lastProgress = performance.now();
  let nudges = 0;
  while (remaining.size > 0) {
    if (deadline.expired) return { done: false, nudges };
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
          if (!count.ok) {
            note(`poll: ${count.error.message}`);
            return;
          }
          const nonce = Number(count.result);
          if (nonce > (reached.get(sender) ?? -1)) {
            if (reached.has(sender)) lastProgress = performance.now();
            reached.set(sender, nonce);
          }
          if (nonce >= target) remaining.delete(sender);
        }),
      );
      if (remaining.size === 0) break;
    }
    if (nudgeAfterMs !== null && performance.now() - lastProgress >= nudgeAfterMs) {
      nudges++;
      lastProgress = performance.now();
      const mined = await client.attempt('evm_mine', [], Math.max(1, Math.min(10_000, deadline.remainingMs)));
      if (!mined.ok) note(`nudge: ${mined.error.message}`);
    }
    await sleep(POLL_INTERVAL_MS);
  }
  return { done: true, nudges };
}
