// Turns run records into medians and ratios, prints the table and writes the JSON results.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname } from 'node:path';
import type { BenchOptions } from './args.js';
import type { AttributionResult } from './attribution.js';
import type { ModeResult, RunRecord } from './run-mode.js';
import { median, ratio } from './stats.js';
import { TARGET_NAMES, type TargetName } from './targets.js';
import { WORKLOADS, type WorkloadName } from './workloads/index.js';
import type { CallMeasurement } from './workloads/measure-calls.js';
import type { TxMeasurement } from './workloads/measure-txs.js';

export type TxSummary = {
  kind: 'txs';
  runs: number;
  txPerSec: number | null;
  gasPerSec: number | null;
  elapsedMs: number | null;
  /** Summed over runs: transactions without a successful receipt. */
  failedTxs: number;
  timeouts: number;
  /** Summed over runs: evm_mine sent to a stalled anvil. */
  nudges: number;
  runErrors: number;
};

export type CallSummary = {
  kind: 'calls';
  runs: number;
  /** Requests in flight in the concurrent pass. */
  concurrency: number | null;
  callsPerSec: number | null;
  p50Ms: number | null;
  p99Ms: number | null;
  /** Latency with one request in flight. */
  p50AloneMs: number | null;
  p99AloneMs: number | null;
  failedCalls: number;
  runErrors: number;
};

export type Summary = TxSummary | CallSummary;

export type WorkloadSummary = {
  workload: WorkloadName;
  medians: Partial<Record<TargetName, Summary>>;
  /** node / anvil for each median figure. */
  ratios: Record<string, number | null>;
};

export function summarize(workload: WorkloadName, records: readonly RunRecord[]): Summary {
  const runErrors = records.filter((r) => r.error !== null).length;
  if (WORKLOADS[workload].kind === 'calls') {
    const ms = records.flatMap((r) =>
      r.measurement?.kind === 'calls' ? [r.measurement] : [],
    ) as CallMeasurement[];
    return {
      kind: 'calls',
      runs: ms.length,
      concurrency: ms[0]?.concurrency ?? null,
      callsPerSec: median(ms.map((m) => m.callsPerSec)),
      p50Ms: median(ms.flatMap((m) => (m.p50Ms === null ? [] : [m.p50Ms]))),
      p99Ms: median(ms.flatMap((m) => (m.p99Ms === null ? [] : [m.p99Ms]))),
      p50AloneMs: median(ms.flatMap((m) => (m.alone?.p50Ms == null ? [] : [m.alone.p50Ms]))),
      p99AloneMs: median(ms.flatMap((m) => (m.alone?.p99Ms == null ? [] : [m.alone.p99Ms]))),
      failedCalls: ms.reduce((sum, m) => sum + m.failed, 0),
      runErrors,
    };
  }
  const ms = records.flatMap((r) =>
    r.measurement?.kind === 'txs' ? [r.measurement] : [],
  ) as TxMeasurement[];
  return {
    kind: 'txs',
    runs: ms.length,
    txPerSec: median(ms.map((m) => m.txPerSec)),
    gasPerSec: median(ms.map((m) => m.gasPerSec)),
    elapsedMs: median(ms.map((m) => m.elapsedMs)),
    failedTxs: ms.reduce((sum, m) => sum + (m.txs - m.succeeded), 0),
    timeouts: ms.filter((m) => m.timedOut).length,
    nudges: ms.reduce((sum, m) => sum + m.nudges, 0),
    runErrors,
  };
}

export function summarizeMode(mode: ModeResult): WorkloadSummary[] {
  return mode.workloads.map(({ workload, runs }) => {
    const medians: Partial<Record<TargetName, Summary>> = {};
    for (const name of TARGET_NAMES) {
      const records = runs[name];
      if (records !== undefined) medians[name] = summarize(workload, records);
    }
    const ratios: Record<string, number | null> = {};
    const node = medians.node;
    const anvil = medians.anvil;
    if (node?.kind === 'txs' && anvil?.kind === 'txs') {
      ratios.txPerSec = ratio(node.txPerSec, anvil.txPerSec);
      ratios.gasPerSec = ratio(node.gasPerSec, anvil.gasPerSec);
    } else if (node?.kind === 'calls' && anvil?.kind === 'calls') {
      ratios.callsPerSec = ratio(node.callsPerSec, anvil.callsPerSec);
      ratios.p50Ms = ratio(node.p50Ms, anvil.p50Ms);
      ratios.p99Ms = ratio(node.p99Ms, anvil.p99Ms);
      ratios.p50AloneMs = ratio(node.p50AloneMs, anvil.p50AloneMs);
      ratios.p99AloneMs = ratio(node.p99AloneMs, anvil.p99AloneMs);
    }
    return { workload, medians, ratios };
  });
}

type Row = [string, string, string, string, string];

export function formatTable(opts: BenchOptions, modes: readonly ModeResult[]): string {
  const out: string[] = [];
  for (const mode of modes) {
    const blockTime = mode.mode === 'block1' ? '--block-time 1' : 'automine';
    out.push('');
    out.push(
      `Mode ${mode.mode} (${blockTime}); median of ${opts.runs} run(s); ${opts.txs} txs / ${opts.calls} calls per run; ` +
        (opts.warmupMs > 0
          ? `read workloads after an unmeasured warm-up of at least ${opts.warmupMs / 1000} s, until their rate settles`
          : 'no warm-up'),
    );
    for (const name of TARGET_NAMES) {
      const s = mode.targets[name];
      if (s !== undefined && !s.started) out.push(`  ${name} did not start: ${s.errors[0] ?? ''}`);
    }
    const rows: Row[] = [['workload', 'metric', 'node', 'anvil', 'node/anvil']];
    for (const w of summarizeMode(mode)) {
      const title = WORKLOADS[w.workload].title;
      const node = w.medians.node;
      const anvil = w.medians.anvil;
      const cell = (s: Summary | undefined, pick: (s: Summary) => string): string =>
        s === undefined ? '-' : pick(s);
      const metric = (
        label: string,
        key: string,
        pick: (s: Summary) => number | null,
        digits: number,
      ): Row => [
        '',
        label,
        cell(node, (s) => fixed(pick(s), digits)),
        cell(anvil, (s) => fixed(pick(s), digits)),
        fixed(w.ratios[key] ?? null, 2),
      ];
      const group: Row[] = [];
      if (WORKLOADS[w.workload].kind === 'calls') {
        group.push(metric('calls/s', 'callsPerSec', (s) => (s.kind === 'calls' ? s.callsPerSec : null), 0));
        const concurrency = [node, anvil].find((s) => s?.kind === 'calls' && s.concurrency !== null);
        const loaded = `${concurrency?.kind === 'calls' ? concurrency.concurrency : opts.callConcurrency} in flight`;
        group.push(metric(`p50 ms, ${loaded}`, 'p50Ms', (s) => (s.kind === 'calls' ? s.p50Ms : null), 2));
        group.push(metric(`p99 ms, ${loaded}`, 'p99Ms', (s) => (s.kind === 'calls' ? s.p99Ms : null), 2));
        group.push(
          metric('p50 ms, one at a time', 'p50AloneMs', (s) => (s.kind === 'calls' ? s.p50AloneMs : null), 2),
        );
        group.push(
          metric('p99 ms, one at a time', 'p99AloneMs', (s) => (s.kind === 'calls' ? s.p99AloneMs : null), 2),
        );
        const failures = (s: Summary): string =>
          s.kind === 'calls' ? `${s.failedCalls} / ${s.runErrors}` : '-';
        group.push(['', 'failed calls / run errors', cell(node, failures), cell(anvil, failures), '']);
      } else {
        group.push(metric('included tx/s', 'txPerSec', (s) => (s.kind === 'txs' ? s.txPerSec : null), 0));
        group.push(
          metric(
            'Mgas/s',
            'gasPerSec',
            (s) => (s.kind === 'txs' && s.gasPerSec !== null ? s.gasPerSec / 1e6 : null),
            2,
          ),
        );
        const failures = (s: Summary): string =>
          s.kind === 'txs' ? `${s.failedTxs} / ${s.timeouts} / ${s.runErrors}` : '-';
        group.push([
          '',
          'failed txs / timeouts / run errors',
          cell(node, failures),
          cell(anvil, failures),
          '',
        ]);
      }
      const first = group[0];
      if (first !== undefined) first[0] = title;
      rows.push(...group);
    }
    out.push(...alignRows(rows).map((line) => `  ${line}`));
  }
  return out.join('\n');
}

export function writeJson(
  opts: BenchOptions,
  modes: readonly ModeResult[],
  startedAt: Date,
  attribution?: AttributionResult,
): void {
  const json = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: {
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? null,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
    },
    options: opts,
    modes: modes.map((m) => ({ ...m, summary: summarizeMode(m) })),
    ...(attribution === undefined ? {} : { attribution }),
  };
  mkdirSync(dirname(opts.out), { recursive: true });
  writeFileSync(opts.out, `${JSON.stringify(json, null, 2)}\n`);
}

function fixed(value: number | null, digits: number): string {
  return value === null ? '-' : value.toFixed(digits);
}

function alignRows(rows: readonly Row[]): string[] {
  const widths = [0, 1, 2, 3, 4].map((c) => Math.max(...rows.map((r) => r[c]?.length ?? 0)));
  return rows.map((r) =>
    r
      .map((text, c) => (c < 2 ? text.padEnd(widths[c] ?? 0) : text.padStart(widths[c] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}
