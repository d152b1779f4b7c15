import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { startAnvil } from '../src/anvil.js';
import { castBin, foundryPackageName } from '../src/foundry-bin.js';
import { tryChainId } from '../src/rpc-ready.js';

const run = promisify(execFile);

describe('foundry binaries', () => {
  it('maps node platform names to the package names', () => {
    assert.equal(foundryPackageName('anvil', 'linux', 'x64'), '@foundry-rs/anvil-linux-amd64');
    assert.equal(foundryPackageName('cast', 'darwin', 'arm64'), '@foundry-rs/cast-darwin-arm64');
  });

  it('castBin runs and fails with a non-zero exit code', async () => {
    const { stdout } = await run(castBin(), ['--version']);
    assert.match(stdout, /cast/i);
    await assert.rejects(run(castBin(), ['to-wei', 'not-a-number']), (err: { code?: unknown }) => {
      assert.notEqual(err.code, 0);
      return true;
    });
  });

  it('startAnvil answers eth_chainId and stops', { timeout: 30_000 }, async () => {
    const anvil = await startAnvil({ args: ['--chain-id', '11155111'] });
    try {
      assert.equal(await tryChainId(anvil.rpcUrl), 11155111n);
    } finally {
      await anvil.stop();
    }
    assert.equal(await tryChainId(anvil.rpcUrl, 500), undefined);
  });
});
