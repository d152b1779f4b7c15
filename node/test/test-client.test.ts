// viem's test client (anvil and hardhat modes) against the devnet: balances,
// nonces, code and storage set directly, mining, time, snapshots.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type DevnetHandle, startDevnet } from '@openledger/test-utils';
import { createPublicClient, createTestClient, http, type PublicClient, parseEther } from 'viem';

import { devnetChain } from './support/devnet-client.js';

describe('viem test client', { timeout: 60_000 }, () => {
  let devnet: DevnetHandle;
  let pub: PublicClient;
  const who = '0x0000000000000000000000000000000000c0ffee';
  const chain = () => devnetChain(devnet.rpcUrl);

  before(async () => {
    devnet = await startDevnet({ blockTime: 60 });
    pub = createPublicClient({ chain: chain(), transport: http(devnet.rpcUrl) });
  });

  after(async () => {
    await devnet?.stop();
  });

  for (const mode of ['anvil', 'hardhat'] as const) {
    it(`${mode} mode: set balance, nonce, code and storage, then read them back`, async () => {
      const test = createTestClient({ mode, chain: chain(), transport: http(devnet.rpcUrl) });
      await test.setBalance({ address: who, value: parseEther('123') });
      assert.equal(await pub.getBalance({ address: who }), parseEther('123'));
      await test.setNonce({ address: who, nonce: 9 });
      assert.equal(await pub.getTransactionCount({ address: who }), 9);
      await test.setCode({ address: who, bytecode: '0x602a60005260206000f3' });
      assert.equal(await pub.getCode({ address: who }), '0x602a60005260206000f3');
      assert.equal((await pub.call({ to: who })).data, `0x${'2a'.padStart(64, '0')}`);
      await test.setStorageAt({ address: who, index: 5, value: `0x${'07'.padStart(64, '0')}` });
      assert.equal(await pub.getStorageAt({ address: who, slot: '0x5' }), `0x${'07'.padStart(64, '0')}`);
      assert.equal(await pub.getBalance({ address: who }), parseEther('123'), 'the other fields stay');
    });
  }

  it('mines blocks, moves time and goes back to a snapshot', async () => {
    const test = createTestClient({ mode: 'anvil', chain: chain(), transport: http(devnet.rpcUrl) });
    const id = await test.snapshot();
    const before = await pub.getBlock();
    await test.mine({ blocks: 3 });
    assert.equal(await pub.getBlockNumber({ cacheTime: 0 }), before.number + 3n);
    await test.increaseTime({ seconds: 3600 });
    await test.mine({ blocks: 1 });
    // Blocks mined within one second take parent + 1, so the clock, not the last block, is the reference.
    assert.ok((await pub.getBlock()).timestamp >= BigInt(Math.floor(Date.now() / 1000)) + 3600n - 5n);
    await test.setBalance({ address: who, value: 1n });
    await test.revert({ id });
    assert.equal(await pub.getBlockNumber({ cacheTime: 0 }), before.number);
    assert.equal(
      await pub.getBalance({ address: who }),
      parseEther('123'),
      'the edit after the snapshot is gone',
    );
  });
});
