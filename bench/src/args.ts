// Command-line flags of `npm run bench`.
import { parseArgs } from 'node:util';
import { defaultResultsPath } from './processes.js';
import { MODE_NAMES, type ModeName, TARGET_NAMES, type TargetName } from './targets.js';
import { WORKLOAD_NAMES, type WorkloadName } from './workloads/index.js';

export type BenchOptions = {
  runs: number;
  txs: number;
  calls: number;
  workloads: WorkloadName[];
  /** The attribution row: recordInference through the precompile and through plain Solidity. */
  attribution: boolean;
  modes: ModeName[];
  targets: TargetName[];
  sendConcurrency: number;
  sendBatch: number;
  callConcurrency: number;
  timeoutMs: number;
  /** anvil in automine only: evm_mine after this long without a block; null disables. */
  anvilNudgeMs: number | null;
  /** Unmeasured time each read workload runs on each target before its measured runs. */
  warmupMs: number;
  out: string;
};

export const USAGE = `Usage: npm run bench -- [flags]

  --runs N              runs per figure; each figure is the median (default 3)
  --txs N               transactions per transfer workload run (default 2000)
  --calls N             eth_calls per call workload run (default 2000)
  --only LIST           workloads, comma-separated: native,erc20,calls,balance,logs,proof,attribution
                        (default all; attribution runs on the node only, precompile beside Solidity)
  --mode M              block1 | automine | both (default both)
  --targets LIST        node,anvil (default both)
  --batch N             eth_sendRawTransaction per JSON-RPC batch; 0 = single requests (default 100)
  --concurrency N       send requests in flight (default 4 batches, or 64 single requests)
  --call-concurrency N  eth_call requests in flight (default 32)
  --timeout S           bound on one workload run, seconds (default 60)
  --warmup S            before each measured run, read workloads (calls, balance, logs, proof) run
                        unmeasured on each target for at least S seconds and then until their rate
                        settles (the median of its last 3 runs at most 5% above that of the 3
                        before; at most 15 s), so a JIT-compiled node is measured warm, also
                        after the transfer workloads; 0 = none (default 3)
  --anvil-nudge MS      anvil automine only: send evm_mine when no block came for MS ms while
                        txs are outstanding (anvil 1.7 stalls with a full pool); 0 = never (default 1000)
  --out FILE            JSON results (default bench/results/latest.json)
  --help`;

const ONLY_NAMES = [...WORKLOAD_NAMES, 'attribution'] as const;

export class UsageError extends Error {
  override name = 'UsageError';
}

export function parseBenchArgs(argv: readonly string[]): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      runs: { type: 'string', default: '3' },
      txs: { type: 'string', default: '2000' },
      calls: { type: 'string', default: '2000' },
      only: { type: 'string', default: ONLY_NAMES.join(',') },
      mode: { type: 'string', default: 'both' },
      targets: { type: 'string', default: TARGET_NAMES.join(',') },
      batch: { type: 'string', default: '100' },
      concurrency: { type: 'string' },
      'call-concurrency': { type: 'string', default: '32' },
      timeout: { type: 'string', default: '60' },
      'anvil-nudge': { type: 'string', default: '1000' },
      warmup: { type: 'string', default: '3' },
      out: { type: 'string', default: defaultResultsPath() },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return 'help';
  const mode = values.mode;
  if (mode !== 'both' && !(MODE_NAMES as readonly string[]).includes(mode)) {
    throw new UsageError(`--mode must be block1, automine or both, not ${mode}`);
  }
  const sendBatch = values.batch === '0' ? 0 : positiveInt('batch', values.batch);
  return {
    runs: positiveInt('runs', values.runs),
    txs: positiveInt('txs', values.txs),
    calls: positiveInt('calls', values.calls),
    workloads: list('only', values.only, ONLY_NAMES).filter((w): w is WorkloadName => w !== 'attribution'),
    attribution: list('only', values.only, ONLY_NAMES).includes('attribution'),
    modes: mode === 'both' ? [...MODE_NAMES] : [mode as ModeName],
    targets: list('targets', values.targets, TARGET_NAMES),
    sendBatch,
    sendConcurrency: positiveInt('concurrency', values.concurrency ?? (sendBatch > 0 ? '4' : '64')),
    callConcurrency: positiveInt('call-concurrency', values['call-concurrency']),
    timeoutMs: positiveInt('timeout', values.timeout) * 1000,
    anvilNudgeMs: values['anvil-nudge'] === '0' ? null : positiveInt('anvil-nudge', values['anvil-nudge']),
    warmupMs: values.warmup === '0' ? 0 : positiveInt('warmup', values.warmup) * 1000,
    out: values.out,
  };
}

function positiveInt(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0)
    throw new UsageError(`--${flag} must be a positive integer, not ${text}`);
  return n;
}

function list<T extends string>(flag: string, text: string, allowed: readonly T[]): T[] {
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const unknown = items.filter((s) => !(allowed as readonly string[]).includes(s));
  if (unknown.length > 0)
    throw new UsageError(`--${flag}: unknown ${unknown.join(', ')} (known: ${allowed.join(', ')})`);
  if (items.length === 0) throw new UsageError(`--${flag} is empty`);
  // Keep the canonical order, whatever order the flag gave.
  return allowed.filter((a) => items.includes(a));
}
