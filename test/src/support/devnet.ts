// Stopping the devnet from e2e hooks, with the node's output shown when something goes wrong.
import assert from 'node:assert/strict';
import type { DevnetHandle } from '@openledger/test-utils';

/** Budget for `before` hooks that start a devnet (startDevnet itself gives up after 20 s). */
export const START_TIMEOUT = 30_000;
/** Budget for `after` hooks that stop one (SIGKILL follows after 10 s). */
export const STOP_TIMEOUT = 20_000;

/** Lines of pino JSON output at level error (50) or fatal (60). */
export function errorLogs(output: string): string[] {
  return output.split('\n').filter((line) => /"level":(5\d|6\d)\b/.test(line));
}

export interface StopOptions {
  expectedCode?: number | null;
  /** The node logs errors (pino level >= 50) only for bugs, unless a test provokes them on purpose. */
  allowErrorLogs?: boolean;
}

/**
 * Stops the devnet, asserts a clean exit and that the node logged no errors.
 * Set E2E_NODE_OUTPUT=1 to print what the node wrote.
 */
export async function stopTestDevnet(
  devnet: DevnetHandle | undefined,
  opts: StopOptions = {},
): Promise<void> {
  if (devnet === undefined) return;
  const expectedCode = opts.expectedCode === undefined ? 0 : opts.expectedCode;
  const code = await devnet.stop();
  const output = devnet.output();
  const errors = errorLogs(output);
  if (process.env.E2E_NODE_OUTPUT === '1' || code !== expectedCode) {
    console.error(`--- devnet on port ${devnet.port} exited with ${code}; output:\n${output}\n---`);
  }
  assert.equal(code, expectedCode, 'devnet exit code on SIGINT');
  if (opts.allowErrorLogs !== true) assert.deepEqual(errors, [], 'error logs of the node');
}
