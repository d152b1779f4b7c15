// Bounded waits: every wait in the e2e tests ends with a clear error instead of hanging the suite.
import { type RpcReceipt, rpcResult } from './json-rpc.js';

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Rejects with `what` when `promise` has not settled within `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface WaitUntilOptions {
  timeoutMs: number;
  intervalMs?: number;
  what: string;
}

/** Polls `condition` until it holds. */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  opts: WaitUntilOptions,
): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${opts.timeoutMs} ms waiting for ${opts.what}`);
    await sleep(opts.intervalMs ?? 20);
  }
}

/** Polls `eth_getTransactionReceipt` until the node returns one. */
export async function waitForReceipt(rpcUrl: string, hash: string, timeoutMs = 15_000): Promise<RpcReceipt> {
  let receipt: RpcReceipt | null = null;
  await waitUntil(
    async () => {
      receipt = await rpcResult<RpcReceipt | null>(rpcUrl, 'eth_getTransactionReceipt', [hash]);
      return receipt !== null;
    },
    { timeoutMs, what: `receipt of ${hash}` },
  );
  return receipt as unknown as RpcReceipt;
}
