// `npm run bench`: the OpenLedger devnet against anvil on the same pre-signed workloads.
import { devAccounts } from './accounts.js';
import { type BenchOptions, parseBenchArgs, USAGE } from './args.js';
import { formatAttribution, runAttributionBench } from './attribution.js';
import { benchToken } from './erc20.js';
import { stopAll } from './processes.js';
import { formatTable, writeJson } from './report.js';
import { type ModeResult, runMode } from './run-mode.js';

async function main(argv: readonly string[]): Promise<number> {
  let opts: BenchOptions | 'help';
  try {
    opts = parseBenchArgs(argv);
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (opts === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }

  let interrupted = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (interrupted) process.exit(130);
      interrupted = true;
      console.error(`\n${signal}: stopping the benchmarked processes...`);
      void stopAll().finally(() => process.exit(130));
    });
  }

  const startedAt = new Date();
  const progress = (line: string): void => console.error(`${new Date().toISOString().slice(11, 19)} ${line}`);
  const accounts = devAccounts();
  if (opts.workloads.some((w) => w !== 'native')) benchToken(); // compile once, before any process starts
  const modes: ModeResult[] = [];
  if (opts.workloads.length > 0) {
    for (const mode of opts.modes) {
      modes.push(await runMode(mode, opts, accounts, progress));
      writeJson(opts, modes, startedAt); // keep partial results if a later mode fails
    }
    process.stdout.write(`${formatTable(opts, modes)}\n`);
  }
  if (opts.attribution) {
    const attribution = await runAttributionBench(opts, accounts, progress);
    writeJson(opts, modes, startedAt, attribution);
    process.stdout.write(`${formatAttribution(attribution, opts)}\n`);
  }
  process.stdout.write(`\nResults written to ${opts.out}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  async (error: unknown) => {
    console.error(error);
    await stopAll();
    process.exit(1);
  },
);
