// viem watching a devnet: contract events over HTTP filters and over a
// WebSocket subscription, and new blocks over WebSocket.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Address, type Block, erc20Abi, type Hash, type Log } from 'viem';
import { devAccount } from './support/accounts.js';
import {
  deployTestToken,
  mined as minedWith,
  sendTokens as sendWith,
  type ViemClients,
  WAIT,
  withViemDevnet,
} from './support/viem-clients.js';
import { sleep, waitUntil } from './support/wait.js';

const TEST = { timeout: 30_000 };
const alice = devAccount(0);
const bob = devAccount(1);
const carol = devAccount(2);
const dave = devAccount(3);
const erin = devAccount(4);

describe('viem watching events and blocks', () => {
  let c: ViemClients;
  const methods: string[] = [];
  let tokenAddress: Address;
  const mined = (hash: Hash) => minedWith(c, hash);
  const sendTokens = (to: Address, value: bigint) => sendWith(c, tokenAddress, to, value);

  /** Starts a watch over WebSocket and waits until its eth_subscribe is answered (or the watch failed). */
  const watchOverWs = async (errors: Error[], what: string, start: () => () => void) => {
    const rpcClient = await c.wsClient.transport.getRpcClient();
    const subscriptions = rpcClient.subscriptions.size;
    const unwatch = start();
    try {
      await waitUntil(() => rpcClient.subscriptions.size > subscriptions || errors.length > 0, {
        timeoutMs: WAIT,
        what,
      });
    } catch (err) {
      unwatch();
      throw err;
    }
    return unwatch;
  };

  withViemDevnet(methods, async (clients) => {
    c = clients;
    tokenAddress = (await deployTestToken(c)).contractAddress!;
  });

  it('watchContractEvent over HTTP polls an eth_newFilter with eth_getFilterChanges', TEST, async () => {
    const start = methods.length;
    const logs: Log[] = [];
    const errors: Error[] = [];
    const unwatch = c.publicClient.watchContractEvent({
      address: tokenAddress,
      abi: erc20Abi,
      eventName: 'Transfer',
      pollingInterval: 100,
      onLogs: (batch) => logs.push(...batch),
      onError: (err) => errors.push(err),
    });
    try {
      const sent = () => methods.slice(start);
      // viem polls the filter only when eth_newFilter succeeded; otherwise it falls back to eth_getLogs.
      await waitUntil(() => sent().includes('eth_getFilterChanges'), {
        timeoutMs: WAIT,
        what: `eth_getFilterChanges (errors: ${errors.map((e) => e.message).join('; ')})`,
      });
      assert.ok(sent().includes('eth_newFilter'));
      const receipt = await sendTokens(carol.address, 7n);
      await waitUntil(() => logs.length > 0, { timeoutMs: WAIT, what: 'the Transfer log from the filter' });
      await sleep(400); // a few more polls: the filter must not return the log twice
      assert.equal(logs.length, 1, 'one log, delivered once');
      const [log] = logs as [Log & { args?: unknown }];
      assert.deepEqual(log.args, { from: alice.address, to: carol.address, value: 7n });
      assert.equal(log.transactionHash, receipt.transactionHash);
      assert.equal(log.blockHash, receipt.blockHash);
      assert.ok(!sent().includes('eth_getLogs'), 'no fallback to eth_getLogs');
      assert.deepEqual(errors, []);
    } finally {
      unwatch();
    }
  });

  it('watchContractEvent over WebSocket subscribes to logs with a topic filter', TEST, async () => {
    const logs: Log[] = [];
    const errors: Error[] = [];
    const unwatch = await watchOverWs(errors, 'the eth_subscribe logs answer', () =>
      c.wsClient.watchContractEvent({
        address: tokenAddress,
        abi: erc20Abi,
        eventName: 'Transfer',
        args: { to: dave.address },
        onLogs: (batch) => logs.push(...batch),
        onError: (err) => errors.push(err),
      }),
    );
    try {
      assert.deepEqual(errors, []);
      await sendTokens(erin.address, 3n); // filtered out by the `to` topic
      const receipt = await sendTokens(dave.address, 9n);
      await waitUntil(() => logs.length > 0, { timeoutMs: WAIT, what: 'the Transfer log notification' });
      await sleep(200);
      assert.equal(logs.length, 1, 'only the log matching the topic filter');
      const [log] = logs as [Log & { args?: unknown }];
      assert.deepEqual(log.args, { from: alice.address, to: dave.address, value: 9n });
      assert.equal(log.transactionHash, receipt.transactionHash);
      assert.equal(log.blockNumber, receipt.blockNumber);
      assert.equal(log.logIndex, 0);
      assert.deepEqual(errors, []);
    } finally {
      unwatch();
    }
  });

  it('watchBlocks over WebSocket receives newHeads', TEST, async () => {
    const blocks: Block[] = [];
    const errors: Error[] = [];
    const unwatch = await watchOverWs(errors, 'the eth_subscribe newHeads answer', () =>
      c.wsClient.watchBlocks({
        onBlock: (block) => blocks.push(block),
        onError: (err) => errors.push(err),
      }),
    );
    try {
      assert.deepEqual(errors, []);
      const first = await mined(await c.walletClient.sendTransaction({ to: bob.address, value: 1n }));
      const second = await mined(await c.walletClient.sendTransaction({ to: bob.address, value: 2n }));
      await waitUntil(() => blocks.some((b) => b.number === second.blockNumber), {
        timeoutMs: WAIT,
        what: `newHeads for block ${second.blockNumber}`,
      });
      const heads = blocks.filter((b) => b.number !== null && b.number >= first.blockNumber);
      assert.deepEqual(
        heads.map((b) => [b.number, b.hash]),
        [
          [first.blockNumber, first.blockHash],
          [second.blockNumber, second.blockHash],
        ],
      );
      assert.equal(heads[1]?.parentHash, first.blockHash);
      assert.deepEqual(errors, []);
    } finally {
      unwatch();
    }
  });
});
