// Waiting until a JSON-RPC endpoint answers, failing early when its process dies.
import { TestUtilsError } from './errors.js';
import type { ManagedProcess } from './managed-process.js';

export interface WaitForRpcOptions {
  /** Gives up after this long (default 20 s). */
  timeoutMs?: number;
  /** Pause between attempts (default 50 ms). */
  intervalMs?: number;
}

/** POSTs `eth_chainId` once; resolves with the chain id, or `undefined` when there is no good answer yet. */
export async function tryChainId(rpcUrl: string, timeoutMs = 1_000): Promise<bigint | undefined> {
  try {
    const res = await fetch(rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) return undefined;
    const body = (await res.json()) as { result?: unknown };
    return typeof body.result === 'string' ? BigInt(body.result) : undefined;
  } catch {
    return undefined;
  }
}

/** Polls `eth_chainId` on `rpcUrl` until it answers; throws with the process output on timeout or exit. */
export async function waitForRpc(
  rpcUrl: string,
  proc: ManagedProcess,
  command: string,
  opts: WaitForRpcOptions = {},
): Promise<bigint> {
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const intervalMs = opts.intervalMs ?? 50;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const exit = proc.exit();
    if (exit !== null) {
      throw new TestUtilsError(
        { code: 'PROCESS_EXITED', command, exitCode: exit.code, signal: exit.signal, output: proc.output() },
        `${command}\nexited (code ${exit.code}, signal ${exit.signal}) before ${rpcUrl} answered eth_chainId. Output:\n${proc.output()}`,
      );
    }
    const chainId = await tryChainId(rpcUrl, Math.max(1, Math.min(1_000, deadline - Date.now())));
    if (chainId !== undefined) return chainId;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new TestUtilsError(
    { code: 'PROCESS_NOT_READY', command, output: proc.output() },
    `${command}\ndid not answer eth_chainId on ${rpcUrl} within ${timeoutMs} ms. Output:\n${proc.output()}`,
  );
}
