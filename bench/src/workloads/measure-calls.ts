// Measures throughput and latency of a fixed list of read requests sent
// concurrently (eth_call, eth_getBalance, eth_getLogs, eth_getProof, ...).
import type { Address, Hex } from 'viem';
import type { RpcClient } from '../rpc.js';
import { percentile } from '../stats.js';
import { mapBounded } from '../timing.js';

export type CallSpec = { to: Address; data: Hex };
/** A read request and the check its result must pass to count as answered. */
export type ReadSpec = { method: string; params: readonly unknown[]; valid: (result: unknown) => boolean };
export type CallOptions = { concurrency: number; timeoutMs: number };

export type CallMeasurement = {
  kind: 'calls';
  calls: number;
  ok: number;
  failed: number;
  elapsedMs: number;
  callsPerSec: number;
  p50Ms: number | null;
  p99Ms: number | null;
  errors: Record<string, number>;
};

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
  const latencies: number[] = [];
  const startedAt = performance.now();
  const cutoff = startedAt + opts.timeoutMs;
  let failed = 0;
  await mapBounded(calls, opts.concurrency, async (call) => {
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
  const elapsedMs = performance.now() - startedAt;
  return {
    kind: 'calls',
    calls: calls.length,
    ok: latencies.length,
    failed,
    elapsedMs,
    callsPerSec: latencies.length / (elapsedMs / 1000),
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    errors,
  };
}
