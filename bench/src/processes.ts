// Starting and stopping the benchmarked processes (OpenLedger devnet, anvil) through @openledger/test-utils,
// keeping track of them so Ctrl-C and errors stop every one.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { devnetCliPath, startAnvil, startDevnet, tryChainId } from '@openledger/test-utils';

export const BENCH_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export type RunningProcess = {
  name: string;
  rpcUrl: string;
  /** The last lines the process wrote, when the helper captures them. */
  output(): string;
  stop(): Promise<void>;
};

const live = new Set<RunningProcess>();

/** Stops every process still running, gracefully (used on Ctrl-C and on errors). */
export async function stopAll(): Promise<void> {
  await Promise.all([...live].map((p) => p.stop()));
}

export async function startNodeProcess(blockTime: number): Promise<RunningProcess> {
  const cli = devnetCliPath();
  if (!existsSync(cli)) throw new Error(`the node is not built: ${cli} is missing (run npm run build)`);
  // BENCH_NODE_OPTIONS reaches the node under test only (say --cpu-prof), not the load generator.
  const nodeOptions = process.env.BENCH_NODE_OPTIONS;
  const devnet = await startDevnet({
    blockTime,
    ...(nodeOptions ? { env: { NODE_OPTIONS: nodeOptions } } : {}),
  });
  return track({
    name: 'node',
    rpcUrl: devnet.rpcUrl,
    output: () => devnet.output(),
    stop: async () => {
      await devnet.stop('SIGINT');
    },
  });
}

export async function startAnvilProcess(blockTime: number): Promise<RunningProcess> {
  const anvil = await startAnvil(blockTime > 0 ? { blockTime } : {});
  return track({ name: 'anvil', rpcUrl: anvil.rpcUrl, output: () => '', stop: () => anvil.stop() });
}

/** Whether the process still answers eth_chainId. */
export async function answers(process: RunningProcess): Promise<boolean> {
  return (await tryChainId(process.rpcUrl, 2_000)) !== undefined;
}

export function defaultResultsPath(): string {
  return join(BENCH_ROOT, 'results', 'latest.json');
}

function track(process: RunningProcess): RunningProcess {
  let stopping: Promise<void> | null = null;
  const tracked: RunningProcess = {
    ...process,
    stop: () => {
      stopping ??= process.stop().finally(() => live.delete(tracked));
      return stopping;
    },
  };
  live.add(tracked);
  return tracked;
}
