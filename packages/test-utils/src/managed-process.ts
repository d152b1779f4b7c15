// A child process with captured output, a way to stop it for sure, and a guard that kills it when the test process exits.
import { type ChildProcess, spawn } from 'node:child_process';
import { OutputTail } from './output-tail.js';

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ManagedProcess {
  child: ChildProcess;
  /** The last 64 KiB of stdout and stderr, interleaved as they arrived. */
  output(): string;
  /** Settles when the process has exited (also when it could not be spawned). */
  exited: Promise<ProcessExit>;
  /** `null` while the process runs. */
  exit(): ProcessExit | null;
  /** Sends `signal`, waits `graceMs` then sends SIGKILL; resolves with the exit code (`null` when killed by a signal). */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<number | null>;
}

export interface SpawnManagedOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

// One exit hook for all children: a crashed or interrupted test run must not leave nodes listening.
const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

export function spawnManaged(
  command: string,
  args: readonly string[],
  opts: SpawnManagedOptions = {},
): ManagedProcess {
  const tail = new OutputTail();
  const child = spawn(command, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(opts.env === undefined ? {} : { env: opts.env }),
    ...(opts.cwd === undefined ? {} : { cwd: opts.cwd }),
  });
  child.stdout?.on('data', (chunk: Buffer) => tail.append(chunk));
  child.stderr?.on('data', (chunk: Buffer) => tail.append(chunk));
  installExitHook();
  live.add(child);

  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  let status: ProcessExit | null = null;
  const exited = new Promise<ProcessExit>((resolve) => {
    child.once('exit', (code, signal) => {
      status = { code, signal };
      live.delete(child);
      resolve(status);
    });
    child.once('error', (err) => {
      // 'error' without 'exit' means the process never started (ENOENT, EACCES).
      tail.append(`\n[spawn error] ${err.message}\n`);
      if (child.pid === undefined) {
        status = { code: null, signal: null };
        live.delete(child);
        resolve(status);
      }
    });
  });

  return {
    child,
    output: () => tail.text(),
    exited,
    exit: () => status,
    async stop(signal: NodeJS.Signals = 'SIGINT', graceMs = 10_000): Promise<number | null> {
      if (status === null) {
        child.kill(signal);
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        try {
          await exited;
        } finally {
          clearTimeout(timer);
        }
      }
      // A grandchild that inherited the pipes would keep them, and this test process, alive: take the
      // output that is still buffered, then let go of them.
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 1_000).unref())]);
      child.stdout?.destroy();
      child.stderr?.destroy();
      return (await exited).code;
    },
  };
}

export function describeCommand(command: string, args: readonly string[]): string {
  return [command, ...args].join(' ');
}
