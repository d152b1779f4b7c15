// Measures throughput and latency of a fixed list of read requests sent
// concurrently (eth_call, eth_getBalance, eth_getLogs, eth_getProof, ...).
import type { Address, Hex } from 'viem';
import type { RpcClient } from '../rpc.js';
import { percentile } from '../stats.js';
import { mapBounded } from '../timing.js';

export type CallSpec = { to: Address; data: Hex };
/** A read request and the check its result must pass to count as answered. */
export type ReadSpec = { method: string; params: readonly unknown[]; valid: (result: unknown) => boolean };
export type CallOptions = {
  concurrency: number;
  timeoutMs: number;
  /** Requests sent one at a time after the concurrent ones, for latency without queueing (default 200). */
  alone?: number;
};

/** Latency of requests sent one at a time: what one client sees from an idle server. */
export type AloneLatency = { requests: number; p50Ms: number | null; p99Ms: number | null };

export type CallMeasurement = {
  kind: 'calls';
  calls: number;
  ok: number;
  failed: number;
  elapsedMs: number;
  /** Requests in flight in the concurrent pass. */
  concurrency: number;
  callsPerSec: number;
  p50Ms: number | null;
  p99Ms: number | null;
  alone: AloneLatency | null;
  errors: Record<string, number>;
};

const ALONE_REQUESTS = 200;

const CALL_TIMEOUT_MS = 10_000;

const isWord = (result: unknown) => typeof result === 'string' && /^0x[0-9a-fA-F]{64}$/.test(result);

export function measureCalls(
  client: RpcClient,
  calls: readonly CallSpec[],
  opts: CallOptions,
): Promise<CallMeasurement> {
  return measureReads(
    client,
    calls.map((call) => ({ method: 'eth_call', params: [call, 'latest'], valid: isWord })),
    opts,
  );
}

export async function measureReads(
  client: RpcClient,
  calls: readonly ReadSpec[],
  opts: CallOptions,
): Promise<CallMeasurement> {
  const errors: Record<string, number> = {};
  const startedAt = performance.now();
  const cutoff = startedAt + opts.timeoutMs;
  const loaded = await pass(client, calls, opts.concurrency, cutoff, errors);
  const elapsedMs = performance.now() - startedAt;
  // Under load, latency is mostly time spent queued (concurrency / throughput); one at a time, it is
  // the server's own time per request.
  const aloneCount = Math.min(calls.length, opts.alone ?? ALONE_REQUESTS);
  const alone =
    aloneCount > 0 ? await pass(client, calls.slice(0, aloneCount), 1, cutoff, errors) : undefined;
  return {
    kind: 'calls',
    calls: calls.length + aloneCount,
    ok: loaded.latencies.length + (alone?.latencies.length ?? 0),
    failed: loaded.failed + (alone?.failed ?? 0),
    elapsedMs,
    concurrency: opts.concurrency,
    callsPerSec: loaded.latencies.length / (elapsedMs / 1000),
    p50Ms: percentile(loaded.latencies, 50),
    p99Ms: percentile(loaded.latencies, 99),
    alone:
      alone === undefined
        ? null
        : {
            requests: alone.latencies.length,
            p50Ms: percentile(alone.latencies, 50),
            p99Ms: percentile(alone.latencies, 99),
          },
    errors,
  };
}

/** Sends every read with at most `concurrency` in flight; latencies of the answered ones, and the failed count. */
async function pass(
  client: RpcClient,
  calls: readonly ReadSpec[],
  concurrency: number,
  cutoff: number,
  errors: Record<string, number>,
): Promise<{ latencies: number[]; failed: number }> {
  const latencies: number[] = [];
  let failed = 0;
  await mapBounded(calls, concurrency, async (call) => {
    if (performance.now() >= cutoff) {
      failed++;
      errors['not sent: workload timeout'] = (errors['not sent: workload timeout'] ?? 0) + 1;
      return;
    }
    const t0 = performance.now();
    const outcome = await client.attempt<unknown>(call.method, [...call.params], CALL_TIMEOUT_MS);
    const latency = performance.now() - t0;
    if (outcome.ok && call.valid(outcome.result)) {
      latencies.push(latency);
      return;
    }
    failed++;
    const message = outcome.ok
      ? `unexpected result ${JSON.stringify(outcome.result).slice(0, 80)}`
      : outcome.error.message;
    errors[message] = (errors[message] ?? 0) + 1;
  });
  return { latencies, failed };
}
