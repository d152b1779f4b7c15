// Starting anvil (an L1 stand-in) on a free port, with its state cache in a directory removed on stop.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { anvilBin } from './foundry-bin.js';
import { freePort } from './free-port.js';
import { describeCommand, spawnManaged } from './managed-process.js';
import { waitForRpc } from './rpc-ready.js';

export interface AnvilOptions {
  /** Seconds between blocks; without it anvil mines on every transaction. */
  blockTime?: number;
  /** Extra arguments after the ones the helper sets. */
  args?: string[];
}

export interface AnvilHandle {
  rpcUrl: string;
  port: number;
  /** Stops anvil (SIGTERM, SIGKILL after 10 s) and removes its cache directory. */
  stop(): Promise<void>;
}

export async function startAnvil(opts: AnvilOptions = {}): Promise<AnvilHandle> {
  const port = await freePort();
  // anvil writes old states to ~/.foundry/anvil/tmp past its memory limit and leaves them when killed.
  const cachePath = await mkdtemp(join(tmpdir(), 'openledger-anvil-'));
  const args = [
    '--port',
    String(port),
    '--host',
    '127.0.0.1',
    '--silent',
    '--cache-path',
    cachePath,
    '--max-persisted-states',
    '64',
    ...(opts.blockTime === undefined ? [] : ['--block-time', String(opts.blockTime)]),
    ...(opts.args ?? []),
  ];
  const bin = anvilBin();
  const proc = spawnManaged(bin, args);
  const rpcUrl = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    await proc.stop('SIGTERM');
    await rm(cachePath, { recursive: true, force: true });
  };
  try {
    await waitForRpc(rpcUrl, proc, describeCommand(bin, args));
  } catch (err) {
    await stop();
    throw err;
  }
  return { rpcUrl, port, stop };
}
