// Stopping the devnet from e2e hooks, with the node's output shown when something goes wrong.
import assert from 'node:assert/strict';
import type { DevnetHandle } from '@openledger/test-utils';

/** Budget for `before` hooks that start a devnet (startDevnet itself gives up after 20 s). */
export const START_TIMEOUT = 30_000;
/** Budget for `after` hooks that stop one (SIGKILL follows after 10 s). */
export const STOP_TIMEOUT = 20_000;

/** Stops the devnet and asserts a clean exit; set E2E_NODE_OUTPUT=1 to print what the node wrote. */
export async function stopTestDevnet(devnet: DevnetHandle | undefined, expectedCode: number | null = 0): Promise<void> {
  if (devnet === undefined) return;
  const code = await devnet.stop();
  if (process.env.E2E_NODE_OUTPUT === '1' || code !== expectedCode) {
    console.error(`--- devnet on port ${devnet.port} exited with ${code}; output:\n${devnet.output()}\n---`);
  }
  assert.equal(code, expectedCode, `devnet exit code on SIGINT (output above)`);
}
