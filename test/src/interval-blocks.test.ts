// A devnet with --block-time 1: empty blocks on the interval, pending transactions, several per block, block filters.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type DevnetHandle, startDevnet } from '@openledger/test-utils';
import {
  encodeDeployData,
  encodeFunctionData,
  erc20Abi,
  type Hex,
  keccak256,
  type PrivateKeyAccount,
  parseGwei,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { devAccount } from './support/accounts.js';
import { DEVNET_CHAIN_ID } from './support/chain.js';
import { START_TIMEOUT, STOP_TIMEOUT, stopTestDevnet } from './support/devnet.js';
import { type RpcReceipt, rpc, rpcBatch, rpcResult } from './support/json-rpc.js';
import { testToken } from './support/token.js';
import { sleep, waitForReceipt, waitUntil } from './support/wait.js';

const TEST = { timeout: 30_000 };
const EMPTY_TRIE_ROOT = '0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421';
const FEES = { maxFeePerGas: parseGwei('20'), maxPriorityFeePerGas: parseGwei('1') };
const alice = privateKeyToAccount(devAccount(0).privateKey);
const bob = privateKeyToAccount(devAccount(1).privateKey);
const carol = privateKeyToAccount(devAccount(2).privateKey);

interface RpcBlock {
  number: string;
  hash: string;
  parentHash: string;
  timestamp: string;
  gasUsed: string;
  baseFeePerGas: string;
  transactions: (string | { hash: string; transactionIndex: string; nonce: string; from: string })[];
  transactionsRoot: string;
  receiptsRoot: string;
  logsBloom: string;
}

interface FullReceipt extends RpcReceipt {
  transactionIndex: string;
  cumulativeGasUsed: string;
  effectiveGasPrice: string;
  logs: { logIndex: string; transactionIndex: string; transactionHash: string; blockHash: string }[];
}

describe('interval blocks (--block-time 1)', () => {
  let devnet: DevnetHandle | undefined;
  let url: string;
  const nonces = new Map<string, number>();
  let packed: { blockHash: string; blockNumber: string; receipts: FullReceipt[] } | undefined;

  before(
    async () => {
      devnet = await startDevnet({ blockTime: 1 });
      url = devnet.rpcUrl;
    },
    { timeout: START_TIMEOUT },
  );

  after(() => stopTestDevnet(devnet), { timeout: STOP_TIMEOUT });

  const block = (tag: string, full = false) => rpcResult<RpcBlock>(url, 'eth_getBlockByNumber', [tag, full]);
  const blockNumber = async () => BigInt(await rpcResult<string>(url, 'eth_blockNumber'));

  type TxFields = { to?: Hex; data?: Hex; value?: bigint; gas: bigint };

  /** Signs with the sender's next nonce (this file tracks nonces itself). */
  async function sign(account: PrivateKeyAccount, tx: TxFields): Promise<Hex> {
    const nonce = nonces.get(account.address) ?? 0;
    nonces.set(account.address, nonce + 1);
    return account.signTransaction({ chainId: DEVNET_CHAIN_ID, type: 'eip1559', nonce, ...FEES, ...tx });
  }

  async function send(account: PrivateKeyAccount, tx: TxFields): Promise<Hex> {
    return rpcResult<Hex>(url, 'eth_sendRawTransaction', [await sign(account, tx)]);
  }

  /** Resolves right after a new block, so the next one is about a second away. */
  async function nextBlock(): Promise<void> {
    const start = await blockNumber();
    await waitUntil(async () => (await blockNumber()) > start, {
      timeoutMs: 5_000,
      intervalMs: 10,
      what: 'the next block',
    });
  }

  it('produces empty blocks on the interval', TEST, async () => {
    await waitUntil(async () => (await blockNumber()) >= 3n, { timeoutMs: 8_000, what: 'block 3' });
    let parent = await block('0x0');
    for (let n = 1; n <= 3; n++) {
      const b = await block(`0x${n.toString(16)}`);
      assert.equal(b.parentHash, parent.hash);
      assert.ok(BigInt(b.timestamp) > BigInt(parent.timestamp), `timestamp of block ${n} after its parent`);
      assert.ok(
        BigInt(b.timestamp) - BigInt(parent.timestamp) <= 2n,
        `block ${n} about a second after its parent`,
      );
      assert.deepEqual(b.transactions, []);
      assert.equal(BigInt(b.gasUsed), 0n);
      assert.equal(b.transactionsRoot, EMPTY_TRIE_ROOT);
      assert.equal(b.receiptsRoot, EMPTY_TRIE_ROOT);
      assert.equal(BigInt(b.logsBloom), 0n);
      assert.ok(BigInt(b.baseFeePerGas) < BigInt(parent.baseFeePerGas), 'base fee falls on empty blocks');
      parent = b;
    }
  });

  it('keeps a transaction pending until the next block', TEST, async () => {
    const raw = await sign(alice, { to: carol.address, value: 1n, gas: 21_000n });
    const hash = keccak256(raw);
    await nextBlock();
    // One round trip right after a block: the next block is about a second away.
    const [sent, byHash, receipt, pendingNonce, latestNonce] = await rpcBatch(url, [
      ['eth_sendRawTransaction', [raw]],
      ['eth_getTransactionByHash', [hash]],
      ['eth_getTransactionReceipt', [hash]],
      ['eth_getTransactionCount', [alice.address, 'pending']],
      ['eth_getTransactionCount', [alice.address, 'latest']],
    ]);
    assert.equal(sent?.result, hash, JSON.stringify(sent));
    const pending = byHash?.result as
      | { blockHash: string | null; blockNumber: string | null }
      | null
      | undefined;
    assert.ok(pending !== null && pending !== undefined, 'a pooled transaction is found by hash');
    assert.equal(pending.blockHash, null);
    assert.equal(pending.blockNumber, null);
    assert.equal(receipt?.result, null);
    assert.equal(pendingNonce?.result, '0x1');
    assert.equal(latestNonce?.result, '0x0');
    const mined = await waitForReceipt(url, hash, 5_000);
    assert.equal(mined.status, '0x1');
    assert.equal(await rpcResult(url, 'eth_getTransactionCount', [alice.address, 'latest']), '0x1');
  });

  it('packs several transactions into one block with block-wide indexes', TEST, async () => {
    const { abi, bytecode } = testToken();
    const deployData = encodeDeployData({ abi, bytecode, args: ['Block Token', 'BLK', 10n ** 24n] });
    const deployed = await waitForReceipt(
      url,
      await send(alice, { data: deployData, gas: 2_000_000n }),
      5_000,
    );
    const token = deployed.contractAddress as Hex;
    assert.ok(token);

    const transfer = (value: bigint): Hex =>
      encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [carol.address, value] });
    const raws = [
      await sign(alice, { to: token, data: transfer(1n), gas: 100_000n }),
      await sign(bob, { to: carol.address, value: 1n, gas: 21_000n }),
      await sign(alice, { to: token, data: transfer(2n), gas: 100_000n }),
      await sign(carol, { to: bob.address, value: 1n, gas: 21_000n }),
      await sign(alice, { to: token, data: transfer(3n), gas: 100_000n }),
    ];
    await nextBlock();
    // One batch right after a block, so all five land in the next one.
    const sent = await rpcBatch(
      url,
      raws.map((raw) => ['eth_sendRawTransaction', [raw]]),
    );
    const hashes = raws.map((raw) => keccak256(raw));
    assert.deepEqual(
      sent.map((r) => r.result),
      hashes,
      JSON.stringify(sent.filter((r) => r.error !== undefined)),
    );
    const receipts: FullReceipt[] = [];
    for (const hash of hashes) receipts.push((await waitForReceipt(url, hash, 5_000)) as FullReceipt);
    const blockHash = receipts[0]?.blockHash;
    assert.ok(
      receipts.every((r) => r.blockHash === blockHash),
      `all five in one block: ${receipts.map((r) => BigInt(r.blockNumber)).join(',')}`,
    );
    const b = await rpcResult<RpcBlock>(url, 'eth_getBlockByHash', [blockHash, true]);
    assert.equal(b.transactions.length, 5);
    assert.equal(await rpcResult(url, 'eth_getBlockTransactionCountByHash', [blockHash]), '0x5');

    const byIndex = [...receipts].sort((x, y) =>
      Number(BigInt(x.transactionIndex) - BigInt(y.transactionIndex)),
    );
    assert.deepEqual(
      byIndex.map((r) => Number(BigInt(r.transactionIndex))),
      [0, 1, 2, 3, 4],
    );
    let cumulative = 0n;
    for (const [i, r] of byIndex.entries()) {
      cumulative += BigInt(r.gasUsed);
      assert.equal(BigInt(r.cumulativeGasUsed), cumulative, `cumulativeGasUsed of tx ${i}`);
      const tx = b.transactions[i] as { hash: string; transactionIndex: string };
      assert.equal(tx.hash, r.transactionHash, `block order of tx ${i}`);
      assert.equal(BigInt(tx.transactionIndex), BigInt(i));
      const atIndex = await rpcResult<{ hash: string }>(url, 'eth_getTransactionByBlockHashAndIndex', [
        blockHash,
        `0x${i.toString(16)}`,
      ]);
      assert.equal(atIndex.hash, r.transactionHash);
      const tip = BigInt(FEES.maxPriorityFeePerGas);
      assert.equal(
        BigInt(r.effectiveGasPrice),
        BigInt(b.baseFeePerGas) + tip,
        `effectiveGasPrice of tx ${i}`,
      );
    }
    assert.equal(BigInt(b.gasUsed), cumulative);

    // Alice's token transfers keep their nonce order; log indexes count across the block.
    const aliceTxs = byIndex.filter((r) =>
      hashes.filter((_, i) => i % 2 === 0).includes(r.transactionHash as Hex),
    );
    assert.deepEqual(
      aliceTxs.map((r) => r.transactionHash),
      [hashes[0], hashes[2], hashes[4]],
    );
    const logs = byIndex.flatMap((r) => r.logs);
    assert.deepEqual(
      logs.map((l) => Number(BigInt(l.logIndex))),
      [0, 1, 2],
      'logIndex is the position in the block',
    );
    for (const l of logs) {
      const owner = byIndex.find((r) => r.transactionHash === l.transactionHash);
      assert.equal(l.transactionIndex, owner?.transactionIndex);
    }
    const blockLogs = await rpcResult<{ logIndex: string; transactionHash: string }[]>(url, 'eth_getLogs', [
      { blockHash },
    ]);
    assert.deepEqual(blockLogs, logs.map((l) => ({ ...l })) as unknown as typeof blockLogs);
    packed = { blockHash: blockHash as string, blockNumber: b.number, receipts: byIndex };
  });

  it('eth_getBlockReceipts by number, by hash and by EIP-1898 object', TEST, async () => {
    assert.ok(packed !== undefined, 'the packed block of the previous test');
    const { blockHash, blockNumber, receipts } = packed;
    for (const param of [blockNumber, { blockHash }, { blockNumber }, blockHash]) {
      const got = await rpc<FullReceipt[] | null>(url, 'eth_getBlockReceipts', [param]);
      assert.deepEqual(
        got.result,
        receipts,
        `eth_getBlockReceipts(${JSON.stringify(param)}): ${JSON.stringify(got).slice(0, 200)}`,
      );
    }
  });

  it('eth_newBlockFilter returns each new block hash once', TEST, async () => {
    const id = await rpcResult<string>(url, 'eth_newBlockFilter');
    const start = await blockNumber();
    await waitUntil(async () => (await blockNumber()) >= start + 2n, {
      timeoutMs: 6_000,
      what: 'two more blocks',
    });
    const first = await rpcResult<string[]>(url, 'eth_getFilterChanges', [id]);
    assert.ok(first.length >= 2, `at least two hashes, got ${first.length}`);
    for (const hash of first) {
      const b = await rpcResult<RpcBlock | null>(url, 'eth_getBlockByHash', [hash, false]);
      assert.ok(b !== null && BigInt(b.number) > start, `block ${hash} is new`);
    }
    await sleep(1_500);
    const second = await rpcResult<string[]>(url, 'eth_getFilterChanges', [id]);
    assert.ok(second.length >= 1, 'a block in the last 1.5 s');
    assert.ok(!second.some((h) => first.includes(h)), 'no hash returned twice');
    assert.equal(await rpcResult(url, 'eth_uninstallFilter', [id]), true);
    const gone = await rpc(url, 'eth_getFilterChanges', [id]);
    assert.ok(gone.error !== undefined, 'an uninstalled filter is gone');
  });

  it('eth_newPendingTransactionFilter returns pooled transaction hashes', TEST, async () => {
    const id = await rpcResult<string>(url, 'eth_newPendingTransactionFilter');
    const hash = await send(bob, { to: alice.address, value: 1n, gas: 21_000n });
    await waitForReceipt(url, hash, 5_000);
    const changes = await rpcResult<string[]>(url, 'eth_getFilterChanges', [id]);
    assert.ok(changes.includes(hash), `${hash} in ${JSON.stringify(changes)}`);
    assert.equal(await rpcResult(url, 'eth_uninstallFilter', [id]), true);
  });
});
