// Runs every selected workload against every target for one mode, run after run, targets interleaved
// so both see the same conditions (read workloads side by side, in slices); a target that dies or
// times out is restarted for the next run.

import type { PrivateKeyAccount } from 'viem/accounts';
import type { BenchOptions } from './args.js';
import { answers } from './processes.js';
import { median } from './stats.js';
import { type ModeName, startTarget, type Target, type TargetName } from './targets.js';
import {
  type Measurement,
  type ReadWorkload,
  type TxWorkload,
  WORKLOADS,
  type Workload,
  type WorkloadName,
} from './workloads/index.js';
import { measureReads, measureSideBySide, type ReadPlan } from './workloads/measure-calls.js';
import type { WorkloadContext } from './workloads/workload.js';

export type RunRecord = { run: number; measurement: Measurement | null; error: string | null };

export type TargetStatus = { started: boolean; chainId: number | null; restarts: number; errors: string[] };

export type WorkloadResult = { workload: WorkloadName; runs: Partial<Record<TargetName, RunRecord[]>> };

export type ModeResult = {
  mode: ModeName;
  targets: Partial<Record<TargetName, TargetStatus>>;
  workloads: WorkloadResult[];
};

export type Progress = (line: string) => void;

export async function runMode(
  mode: ModeName,
  opts: BenchOptions,
  accounts: readonly PrivateKeyAccount[],
  progress: Progress,
): Promise<ModeResult> {
  const withToken = opts.workloads.some((w) => WORKLOADS[w].needsToken);
  const targets = new Map<TargetName, Target>();
  const status: Partial<Record<TargetName, TargetStatus>> = {};
  const result: ModeResult = {
    mode,
    targets: status,
    workloads: opts.workloads.map((workload) => ({ workload, runs: {} })),
  };

  const start = async (name: TargetName): Promise<void> => {
    const s = status[name] ?? { started: false, chainId: null, restarts: 0, errors: [] };
    status[name] = s;
    try {
      const target = await startTarget(name, mode, accounts, withToken);
      targets.set(name, target);
      s.started = true;
      s.chainId = target.chainId;
      progress(`[${mode}] ${name} ready at ${target.process.rpcUrl} (chain ${target.chainId})`);
    } catch (error) {
      targets.delete(name);
      s.errors.push(`start: ${message(error)}`);
      progress(`[${mode}] ${name} failed to start: ${message(error)}`);
    }
  };
  const restart = async (name: TargetName, why: string): Promise<void> => {
    progress(`[${mode}] restarting ${name}: ${why}`);
    const old = targets.get(name);
    if (old !== undefined) {
      old.client.close();
      await old.process.stop();
    }
    const s = status[name];
    if (s !== undefined) s.restarts++;
    await start(name);
  };

  const contextFor = (name: TargetName, target: Target): WorkloadContext => ({
    client: target.client,
    chainId: target.chainId,
    accounts,
    token: target.token,
    sizes: {
      txs: opts.txs,
      calls: opts.calls,
      sendConcurrency: opts.sendConcurrency,
      sendBatch: opts.sendBatch,
      callConcurrency: opts.callConcurrency,
      timeoutMs: opts.timeoutMs,
    },
    nudgeStalledAfterMs: name === 'anvil' && mode === 'automine' ? opts.anvilNudgeMs : null,
  });

  const recordsOf = (workloadResult: WorkloadResult, name: TargetName): RunRecord[] => {
    const records = workloadResult.runs[name] ?? [];
    workloadResult.runs[name] = records;
    return records;
  };
  const labelOf = (run: number, workload: Workload, name: TargetName) =>
    `[${mode}] run ${run}/${opts.runs} ${workload.name} on ${name}`;
  /** Restarts a target that no longer answers. */
  const restartIfSilent = async (name: TargetName) => {
    const target = targets.get(name);
    if (target !== undefined && !(await answers(target.process)))
      await restart(name, `it stopped answering\n${target.process.output()}`);
  };
  /** Records a failed run, and restarts the target when it no longer answers. */
  const fail = async (workloadResult: WorkloadResult, run: number, name: TargetName, error: unknown) => {
    const workload = WORKLOADS[workloadResult.workload];
    recordsOf(workloadResult, name).push({ run, measurement: null, error: message(error) });
    progress(`${labelOf(run, workload, name)}: error: ${message(error)}`);
    status[name]?.errors.push(`${workload.name} run ${run}: ${message(error)}`);
    await restartIfSilent(name);
  };

  /** Transactions change the chain: each target takes the whole workload on its own. */
  const runTxs = async (workload: TxWorkload, workloadResult: WorkloadResult, run: number) => {
    for (const name of opts.targets) {
      const records = recordsOf(workloadResult, name);
      const target = targets.get(name);
      const label = labelOf(run, workload, name);
      if (target === undefined) {
        records.push({ run, measurement: null, error: 'target not running' });
        continue;
      }
      try {
        const timed = await workload.prepare(contextFor(name, target));
        const measurement = await timed();
        records.push({ run, measurement, error: null });
        progress(`${label}: ${describe(measurement)}`);
        if (measurement.timedOut) await restart(name, 'the run timed out');
      } catch (error) {
        await fail(workloadResult, run, name, error);
      }
    }
  };

  /** Reads change nothing: every target is prepared and warmed, then all are measured side by side. */
  const runReads = async (workload: ReadWorkload, workloadResult: WorkloadResult, run: number) => {
    const ready: { name: TargetName; plan: ReadPlan }[] = [];
    for (const name of opts.targets) {
      const target = targets.get(name);
      const label = labelOf(run, workload, name);
      if (target === undefined) {
        recordsOf(workloadResult, name).push({ run, measurement: null, error: 'target not running' });
        continue;
      }
      try {
        const plan = await workload.prepare(contextFor(name, target));
        if (opts.warmupMs > 0) {
          progress(`${label}: warming up, unmeasured`);
          const warm = await warmUp(() => measureReads(plan), opts.warmupMs);
          progress(
            `${label}: warmed up for ${(warm.ms / 1000).toFixed(1)} s` +
              (warm.settled ? '' : `, not settled after the ${WARMUP_BOUND_MS / 1000} s bound`),
          );
        }
        ready.push({ name, plan });
      } catch (error) {
        await fail(workloadResult, run, name, error);
      }
    }
    if (ready.length === 0) return;
    const measurements = await measureSideBySide(ready.map((r) => r.plan));
    for (const [i, { name }] of ready.entries()) {
      const measurement = measurements[i]!;
      recordsOf(workloadResult, name).push({ run, measurement, error: null });
      const together = ready.length > 1 ? ', side by side' : '';
      progress(`${labelOf(run, workload, name)}${together}: ${describe(measurement)}`);
      if (measurement.failed > 0) await restartIfSilent(name);
    }
  };

  try {
    for (const name of opts.targets) await start(name);
    for (let run = 1; run <= opts.runs; run++) {
      for (const workloadResult of result.workloads) {
        const workload = WORKLOADS[workloadResult.workload];
        if (workload.kind === 'calls') await runReads(workload, workloadResult, run);
        else await runTxs(workload, workloadResult, run);
      }
    }
  } finally {
    for (const t of targets.values()) t.client.close();
    await Promise.all([...targets.values()].map((t) => t.process.stop()));
  }
  return result;
}

function describe(m: Measurement): string {
  if (m.kind === 'calls') {
    const alone = m.alone === null ? '' : `; one at a time p50 ${m.alone.p50Ms?.toFixed(2)} ms`;
    return `${m.callsPerSec.toFixed(0)} calls/s, p50 ${m.p50Ms?.toFixed(2)} ms, p99 ${m.p99Ms?.toFixed(2)} ms${alone}, ${m.failed} failed`;
  }
  const failures = m.txs - m.succeeded;
  const extra = [
    failures > 0 ? `${failures} not included/failed` : '',
    m.sendRetries > 0 ? `${m.sendRetries} send retries` : '',
    m.nudges > 0 ? `${m.nudges} evm_mine nudges` : '',
    m.timedOut ? 'TIMED OUT' : '',
  ].filter((s) => s !== '');
  return (
    `${m.succeeded}/${m.txs} txs in ${(m.elapsedMs / 1000).toFixed(2)} s = ${m.txPerSec.toFixed(0)} tx/s, ` +
    `${(m.gasPerSec / 1e6).toFixed(1)} Mgas/s, ${m.blocks} blocks (max ${m.maxTxsPerBlock}/block)` +
    (extra.length > 0 ? `; ${extra.join(', ')}` : '') +
    (Object.keys(m.errors).length > 0 ? `; errors: ${JSON.stringify(m.errors)}` : '')
  );
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** How long a warm-up may go on waiting for the rate to settle. */
const WARMUP_BOUND_MS = 15_000;
/** Settled: the median rate of the last SETTLE_RUNS runs is at most SETTLE_GAIN times that of the runs before them. */
const SETTLE_RUNS = 3;
const SETTLE_GAIN = 1.05;
/** Runs longer than this on average are a long warm-up each: no waiting for them to settle. */
const SHORT_RUN_MS = 1_000;

/**
 * Runs a read workload, unmeasured, for at least `minMs` and then until its
 * rate settles (at most WARMUP_BOUND_MS): the node is JIT-compiled
 * JavaScript and reaches its steady speed after some thousands of requests,
 * which a long-running node has long behind it. After the transfer
 * workloads it takes longer: the block building they caused leaves the
 * read path re-optimizing for some seconds, its rate climbing run after
 * run. Medians of a few runs, so that one fast run amid the climb does not
 * pass for the end of it. Workloads whose runs take over a second each
 * (getLogs, anvil's getProof) stop after `minMs`, as before: each of their
 * runs is a long warm-up already. Before every measured run, not only the first;
 * anvil gets the same warm-up (it settles at once). Reads change no state,
 * so the measured runs start from the same chain.
 */
async function warmUp(
  timed: () => Promise<Measurement>,
  minMs: number,
): Promise<{ ms: number; settled: boolean }> {
  const start = performance.now();
  const rates: number[] = [];
  for (;;) {
    const m = await timed();
    rates.push(m.kind === 'calls' ? m.callsPerSec : 0);
    const elapsed = performance.now() - start;
    const last = median(rates.slice(-SETTLE_RUNS));
    const before = median(rates.slice(-2 * SETTLE_RUNS, -SETTLE_RUNS));
    const settled =
      elapsed / rates.length > SHORT_RUN_MS ||
      (rates.length >= 2 * SETTLE_RUNS && last !== null && before !== null && last <= before * SETTLE_GAIN);
    if ((elapsed >= minMs && settled) || elapsed >= WARMUP_BOUND_MS) return { ms: elapsed, settled };
  }
}
