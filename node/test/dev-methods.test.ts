// The devnet's evm_ helpers, as hardhat- and anvil-style test suites call them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type DevnetHandle, startDevnet } from '@openledger/test-utils';

describe('evm_ devnet helpers', { timeout: 60_000 }, () => {
  let devnet: DevnetHandle;
  const call = async (method: string, params: unknown[] = []) => {
    const res = await fetch(devnet.rpcUrl, {
      method: 'POST',
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    });
    return (await res.json()) as { result?: unknown; error?: { code: number; message: string } };
  };
  const head = async () => {
    const block = (await call('eth_getBlockByNumber', ['latest', false])).result as {
      number: string;
      timestamp: string;
    };
    return { number: BigInt(block.number), timestamp: BigInt(block.timestamp) };
  };

  before(async () => {
    // Blocks a minute apart: only the helpers make blocks during the test.
    devnet = await startDevnet({ blockTime: 60 });
  });

  after(async () => {
    await devnet?.stop();
  });

  it('evm_mine builds a block now, optionally at a given timestamp', async () => {
    const before = await head();
    assert.equal((await call('evm_mine')).result, '0x0');
    assert.equal((await head()).number, before.number + 1n);
    const at = before.timestamp + 500n;
    await call('evm_mine', [`0x${at.toString(16)}`]);
    assert.deepEqual(await head(), { number: before.number + 2n, timestamp: at });
  });

  it('evm_setNextBlockTimestamp fixes the next block, and refuses the past', async () => {
    const { timestamp } = await head();
    assert.equal((await call('evm_setNextBlockTimestamp', [Number(timestamp + 77n)])).result, null);
    await call('evm_mine');
    assert.equal((await head()).timestamp, timestamp + 77n);
    const past = await call('evm_setNextBlockTimestamp', [Number(timestamp)]);
    assert.equal(past.error?.code, -32000);
    assert.match(past.error?.message ?? '', /not after/);
  });

  it('evm_increaseTime moves later blocks forward', async () => {
    const offset = (await call('evm_increaseTime', [7200])).result as string;
    assert.ok(BigInt(offset) >= 7200n);
    await call('evm_mine');
    assert.ok((await head()).timestamp >= BigInt(Math.floor(Date.now() / 1000)) + 7200n - 5n);
  });

  it('checks its parameters', async () => {
    assert.equal((await call('evm_increaseTime', ['soon'])).error?.code, -32602);
    assert.equal((await call('evm_setNextBlockTimestamp', [])).error?.code, -32602);
  });
});
