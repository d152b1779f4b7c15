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

/** A read workload made ready against one target: what to send, to which client, how. */
export type ReadPlan = { client: RpcClient; reads: readonly ReadSpec[]; opts: CallOptions };

export function callPlan(client: RpcClient, calls: readonly CallSpec[], opts: CallOptions): ReadPlan {
  const reads = calls.map((call) => ({ method: 'eth_call', params: [call, 'latest'], valid: isWord }));
  return { client, reads, opts };
}

/** A pass is cut into at most this many slices, each target taking its turn at every one. */
const MAX_SLICES = 8;
/** Requests a slice holds at least, per request in flight (so that a slice is mostly at full load). */
const LOADED_SLICE_PER_FLIGHT = 8;
/** Requests a slice of the one-at-a-time pass holds at least. */
const ALONE_SLICE = 25;

type Side = {
  plan: ReadPlan;
  errors: Record<string, number>;
  loaded: PassResult;
  alone: PassResult;
  loadedMs: number;
};

/**
 * Measures the same read workload on several targets side by side. Each pass
 * (with `concurrency` in flight, then one at a time) is cut into slices of
 * some tens of milliseconds that the targets take in turn, in ABBA order.
 * These machines are shared: their speed swings by half within a second,
 * and a target measured whole after the other met other spells of it; in
 * slices, both meet the same ones. Throughput is answered requests over the
 * target's own time in its slices.
 */
export async function measureSideBySide(plans: readonly ReadPlan[]): Promise<CallMeasurement[]> {
  const first = plans[0];
  if (first === undefined) return [];
  const sides: Side[] = plans.map((plan) => ({
    plan,
    errors: {},
    loaded: { latencies: [], failed: 0 },
    alone: { latencies: [], failed: 0 },
    loadedMs: 0,
  }));
  const cutoff = performance.now() + Math.max(...plans.map((p) => p.opts.timeoutMs)) * plans.length;
  const loadedSlices = sliceCount(first.reads.length, first.opts.concurrency * LOADED_SLICE_PER_FLIGHT);
  for (let slice = 0; slice < loadedSlices; slice++) {
    for (const side of inTurn(sides, slice)) {
      const { reads, opts } = side.plan;
      const started = performance.now();
      const part = sliceOf(reads, slice, loadedSlices);
      add(side.loaded, await pass(side.plan.client, part, opts.concurrency, cutoff, side.errors));
      side.loadedMs += performance.now() - started;
    }
  }
  // Under load, latency is mostly time spent queued (concurrency / throughput); one at a time, it is
  // the server's own time per request.
  const aloneCount = (plan: ReadPlan) => Math.min(plan.reads.length, plan.opts.alone ?? ALONE_REQUESTS);
  const aloneSlices = sliceCount(aloneCount(first), ALONE_SLICE);
  for (let slice = 0; slice < aloneSlices; slice++) {
    for (const side of inTurn(sides, slice)) {
      const part = sliceOf(side.plan.reads.slice(0, aloneCount(side.plan)), slice, aloneSlices);
      add(side.alone, await pass(side.plan.client, part, 1, cutoff, side.errors));
    }
  }
  return sides.map((side) => measurementOf(side, aloneCount(side.plan)));
}

/** One target's reads, measured alone (the warm-up's measure). */
export async function measureReads(plan: ReadPlan): Promise<CallMeasurement> {
  const [measurement] = await measureSideBySide([plan]);
  if (measurement === undefined) throw new Error('no measurement');
  return measurement;
}

function measurementOf(side: Side, aloneCount: number): CallMeasurement {
  const { loaded, alone } = side;
  return {
    kind: 'calls',
    calls: side.plan.reads.length + aloneCount,
    ok: loaded.latencies.length + alone.latencies.length,
    failed: loaded.failed + alone.failed,
    elapsedMs: side.loadedMs,
    concurrency: side.plan.opts.concurrency,
    callsPerSec: side.loadedMs > 0 ? loaded.latencies.length / (side.loadedMs / 1000) : 0,
    p50Ms: percentile(loaded.latencies, 50),
    p99Ms: percentile(loaded.latencies, 99),
    alone:
      aloneCount === 0
        ? null
        : {
            requests: alone.latencies.length,
            p50Ms: percentile(alone.latencies, 50),
            p99Ms: percentile(alone.latencies, 99),
          },
    errors: side.errors,
  };
}

function sliceCount(requests: number, perSlice: number): number {
  return Math.max(1, Math.min(MAX_SLICES, Math.floor(requests / perSlice)));
}

function sliceOf<T>(items: readonly T[], slice: number, slices: number): readonly T[] {
  const size = Math.ceil(items.length / slices);
  return items.slice(slice * size, (slice + 1) * size);
}

/** ABBA: the order of the targets flips from one slice to the next, so neither always goes first. */
function inTurn<T>(items: readonly T[], slice: number): readonly T[] {
  return slice % 2 === 0 ? items : [...items].reverse();
}

type PassResult = { latencies: number[]; failed: number };

function add(into: PassResult, from: PassResult): void {
  for (const latency of from.latencies) into.latencies.push(latency);
  into.failed += from.failed;
}

/** Sends every read with at most `concurrency` in flight; latencies of the answered ones, and the failed count. */
async function pass(
  client: RpcClient,
  calls: readonly ReadSpec[],
  concurrency: number,
  cutoff: number,
  errors: Record<string, number>,
): Promise<PassResult> {
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
