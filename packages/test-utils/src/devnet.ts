// Starting the OpenLedger devnet (node/dist/src/cli.js) as a real process on a free port.
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { describeCommand, type ManagedProcess, spawnManaged } from './managed-process.js';
import { repoRoot } from './repo-root.js';
import { waitForRpc } from './rpc-ready.js';

export interface DevnetOptions {
  /** Seconds between blocks; 0 (the default) mines one block per transaction as it arrives. */
  blockTime?: number;
  /** Reused as is and kept on stop; without it a fresh temporary directory is made and removed on stop. */
  dataDir?: string;
  /** Extra CLI arguments after the ones the helper sets. */
  args?: string[];
  /** Merged over the inherited environment and `OPENLEDGER_LOG_LEVEL=warn`. */
  env?: Record<string, string>;
}

export interface DevnetHandle {
  rpcUrl: string;
  wsUrl: string;
  port: number;
  dataDir: string;
  child: ChildProcess;
  /** The last 64 KiB the node wrote to stdout and stderr. */
  output(): string;
  /** Sends `signal` (default SIGINT), SIGKILL after 10 s; resolves with the exit code (`null` if killed by a signal). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Path of the CLI the devnet runs from: `OPENLEDGER_E2E_CLI` (to test another build), else node/dist/src/cli.js. */
export function devnetCliPath(): string {
  return process.env.OPENLEDGER_E2E_CLI || join(repoRoot(), 'node', 'dist', 'src', 'cli.js');
}

const PORT_ATTEMPTS = 3;

export async function startDevnet(opts: DevnetOptions = {}): Promise<DevnetHandle> {
  const ownDataDir = opts.dataDir === undefined;
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'openledger-devnet-')));
  const env: NodeJS.ProcessEnv = { ...process.env, OPENLEDGER_LOG_LEVEL: 'warn', ...opts.env };
  // Set by `node --test` for its own children; the node under test is not one of them.
  delete env.NODE_TEST_CONTEXT;

  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const args = [
      devnetCliPath(),
      'devnet',
      '--rpc.port',
      String(port),
      '--data-dir',
      dataDir,
      '--block-time',
      String(opts.blockTime ?? 0),
      ...(opts.args ?? []),
    ];
    const command = describeCommand(process.execPath, args);
    const proc = spawnManaged(process.execPath, args, { env });
    const rpcUrl = `http://127.0.0.1:${port}`;
    try {
      await waitForRpc(rpcUrl, proc, command);
    } catch (err) {
      await proc.stop('SIGKILL');
      // Another process may take the port between freePort() and the node's listen().
      if (attempt < PORT_ATTEMPTS && proc.output().includes('EADDRINUSE')) continue;
      if (ownDataDir) await rm(dataDir, { recursive: true, force: true });
      throw err;
    }
    return devnetHandle(proc, port, dataDir, ownDataDir);
  }
}

function devnetHandle(
  proc: ManagedProcess,
  port: number,
  dataDir: string,
  ownDataDir: boolean,
): DevnetHandle {
  return {
    rpcUrl: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    port,
    dataDir,
    child: proc.child,
    output: () => proc.output(),
    async stop(signal: NodeJS.Signals = 'SIGINT'): Promise<number | null> {
      const code = await proc.stop(signal);
      if (ownDataDir) await rm(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}
