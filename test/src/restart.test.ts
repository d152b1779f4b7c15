// A devnet stopped with SIGINT or SIGTERM and started again on its data dir serves the same chain and extends it.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type DevnetHandle, startDevnet } from '@openledger/test-utils';
import {
  type Address,
  createPublicClient,
  createWalletClient,
  erc20Abi,
  type Hash,
  http,
  type PrivateKeyAccount,
  parseEther,
} from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { devAccount } from './support/accounts.js';
import { devnetChain } from './support/chain.js';
import { errorLogs, START_TIMEOUT, STOP_TIMEOUT } from './support/devnet.js';
import { type ChainSnapshot, chainSnapshot } from './support/snapshot.js';
import { testToken } from './support/token.js';

const WAIT = 15_000;
const TEST = { timeout: 90_000 };
const alice = privateKeyToAccount(devAccount(0).privateKey);
const bob = privateKeyToAccount(devAccount(1).privateKey);
const carol = devAccount(2).address;

function clients(devnet: DevnetHandle) {
  const chain = devnetChain(devnet);
  const transport = http(devnet.rpcUrl, { retryCount: 0 });
  const publicClient = createPublicClient({ chain, transport, pollingInterval: 50 });
  const wallet = (account: PrivateKeyAccount) => createWalletClient({ account, chain, transport });
  const mined = async (hash: Hash) => {
    const receipt = await publicClient.waitForTransactionReceipt({
      hash,
      timeout: WAIT,
      pollingInterval: 50,
    });
    assert.equal(receipt.status, 'success');
    return receipt;
  };
  return { publicClient, wallet, mined };
}

describe('restart', () => {
  let dataDir: string;
  let devnet: DevnetHandle | undefined;
  const query: { txHashes: string[]; addresses: string[]; contracts: string[] } = {
    txHashes: [],
    addresses: [alice.address, bob.address, carol],
    contracts: [],
  };
  let before1: ChainSnapshot;

  before(
    async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'openledger-e2e-restart-'));
      devnet = await startDevnet({ blockTime: 0, dataDir });
    },
    { timeout: START_TIMEOUT },
  );

  after(
    async () => {
      await devnet?.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
    { timeout: STOP_TIMEOUT },
  );

  async function restart(signal: NodeJS.Signals): Promise<DevnetHandle> {
    const old = devnet!;
    const code = await old.stop(signal);
    assert.equal(code, 0, `exit code after ${signal}; output:\n${old.output()}`);
    assert.deepEqual(errorLogs(old.output()), [], `error logs before the ${signal} restart`);
    devnet = undefined;
    devnet = await startDevnet({ blockTime: 0, dataDir });
    return devnet;
  }

  it('keeps blocks, receipts, logs and state across a SIGINT restart', TEST, async () => {
    const c = clients(devnet!);
    const fresh = privateKeyToAccount(generatePrivateKey()).address;
    query.addresses.push(fresh);
    const sent: Hash[] = [];
    sent.push(await c.wallet(alice).sendTransaction({ to: bob.address, value: parseEther('1') }));
    await c.mined(sent.at(-1)!);
    sent.push(await c.wallet(alice).sendTransaction({ to: fresh, value: parseEther('2') }));
    await c.mined(sent.at(-1)!);
    const { abi, bytecode } = testToken();
    sent.push(
      await c.wallet(alice).deployContract({ abi, bytecode, args: ['Restart Token', 'RST', 10n ** 24n] }),
    );
    const token = (await c.mined(sent.at(-1)!)).contractAddress as Address;
    query.contracts.push(token);
    sent.push(
      await c
        .wallet(alice)
        .writeContract({ address: token, abi: erc20Abi, functionName: 'transfer', args: [carol, 42n] }),
    );
    await c.mined(sent.at(-1)!);
    sent.push(await c.wallet(bob).sendTransaction({ to: alice.address, value: parseEther('0.1') }));
    await c.mined(sent.at(-1)!);
    query.txHashes.push(...sent);

    before1 = await chainSnapshot(devnet!.rpcUrl, query);
    assert.equal(BigInt(before1.blockNumber), 5n, 'five transactions, five blocks');
    assert.equal((before1.logs as unknown[]).length, 2, 'mint and transfer logs');

    const restarted = await restart('SIGINT');
    const after1 = await chainSnapshot(restarted.rpcUrl, query);
    assertSameChain(after1, before1);
    const balance = await clients(restarted).publicClient.readContract({
      address: token,
      abi: erc20Abi,
      functionName: 'balanceOf',
      args: [carol],
    });
    assert.equal(balance, 42n);
  });

  it('extends the restored chain from its head', TEST, async () => {
    const c = clients(devnet!);
    const head = before1.blocks.at(-1) as { hash: string; number: string };
    const receipt = await c.mined(await c.wallet(alice).sendTransaction({ to: carol, value: 1n }));
    assert.equal(receipt.blockNumber, BigInt(head.number) + 1n);
    const block = await c.publicClient.getBlock({ blockNumber: receipt.blockNumber });
    assert.equal(block.parentHash, head.hash);
    query.txHashes.push(receipt.transactionHash);
  });

  it('keeps the chain across a SIGTERM restart', TEST, async () => {
    const beforeTerm = await chainSnapshot(devnet!.rpcUrl, query);
    const restarted = await restart('SIGTERM');
    assertSameChain(await chainSnapshot(restarted.rpcUrl, query), beforeTerm);
  });
});

function assertSameChain(actual: ChainSnapshot, expected: ChainSnapshot): void {
  assert.equal(actual.blockNumber, expected.blockNumber, 'block number');
  const hash = (blocks: unknown[]) => (blocks.at(-1) as { hash?: string } | null)?.hash;
  assert.equal(hash(actual.blocks), hash(expected.blocks), 'head hash');
  for (const key of Object.keys(expected) as (keyof ChainSnapshot)[]) {
    assert.deepEqual(actual[key], expected[key], `${key} after restart`);
  }
}
