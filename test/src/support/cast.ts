// Foundry's cast (the platform binary, whose exit code is trustworthy) as a test client.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { castBin } from '@openledger/test-utils';

export interface CastResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs cast with a timeout; resolves with the exit code instead of throwing on failure. */
export function cast(args: string[], timeoutMs = 30_000): Promise<CastResult> {
  return new Promise((resolve) => {
    execFile(
      castBin(),
      args,
      { timeout: timeoutMs, killSignal: 'SIGKILL', env: { ...process.env, NO_COLOR: '1', ETH_RPC_URL: '' } },
      (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : null;
        resolve({ code, stdout: stdout.trim(), stderr: stderr.trim() });
      },
    );
  });
}

/** Runs cast and asserts it exited 0; returns stdout. */
export async function castOk(args: string[]): Promise<string> {
  const result = await cast(args);
  assert.equal(
    result.code,
    0,
    `cast ${args.join(' ')}\nexit ${result.code}\n${result.stderr}\n${result.stdout}`,
  );
  return result.stdout;
}

/** cast prints numbers as `1000 [1e3]`; the first word is the value. */
export function castNumber(output: string): bigint {
  return BigInt(output.split(/\s+/)[0] ?? '');
}
