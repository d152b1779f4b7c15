// The devnet's evm_ helpers, as hardhat- and anvil-style test suites call them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEV_ACCOUNTS, type DevnetHandle, startDevnet } from '@openledger/test-utils';
import { privateKeyToAccount } from 'viem/accounts';

import { rpcRequest } from './support/devnet-client.js';

describe('evm_ devnet helpers', { timeout: 60_000 }, () => {
  let devnet: DevnetHandle;
  const call = (method: string, params: unknown[] = []) => rpcRequest(devnet.rpcUrl, method, params);
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

  it('evm_snapshot and evm_revert take the chain back, and it goes on from there', async () => {
    const account = privateKeyToAccount(DEV_ACCOUNTS[6]!.privateKey);
    const to = DEV_ACCOUNTS[7]!.address;
    const balance = async () => BigInt((await call('eth_getBalance', [to, 'latest'])).result as string);
    const start = { head: await head(), balance: await balance() };
    const id = (await call('evm_snapshot')).result as string;
    const raw = await account.signTransaction({
      chainId: 16120,
      type: 'eip1559',
      nonce: 0,
      to,
      value: 1_000n,
      gas: 21_000n,
      maxFeePerGas: 100_000_000_000n,
      maxPriorityFeePerGas: 1n,
    });
    const hash = (await call('eth_sendRawTransaction', [raw])).result;
    await call('evm_mine');
    await call('evm_mine');
    assert.equal(await balance(), start.balance + 1_000n);
    assert.equal((await head()).number, start.head.number + 2n);

    assert.equal((await call('evm_revert', [id])).result, true);
    assert.deepEqual(await head(), start.head);
    assert.equal(await balance(), start.balance);
    assert.equal((await call('eth_getTransactionReceipt', [hash])).result, null);
    assert.equal((await call('eth_getTransactionCount', [account.address, 'pending'])).result, '0x0');
    assert.equal((await call('evm_revert', [id])).result, false, 'a snapshot is used up by its revert');

    // The same transaction goes in again on the new branch.
    assert.equal((await call('eth_sendRawTransaction', [raw])).result, hash);
    await call('evm_mine');
    assert.equal(await balance(), start.balance + 1_000n);
    assert.equal((await head()).number, start.head.number + 1n);
  });

  it('checks its parameters', async () => {
    assert.equal((await call('evm_increaseTime', ['soon'])).error?.code, -32602);
    assert.equal((await call('evm_setNextBlockTimestamp', [])).error?.code, -32602);
  });
});
