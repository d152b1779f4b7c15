// A devnet killed with SIGKILL while transactions stream in keeps every receipt it had already returned.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type DevnetHandle, startDevnet } from '@openledger/test-utils';
import { type Hex, type PrivateKeyAccount, parseGwei } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { devAccount } from './support/accounts.js';
import { DEVNET_CHAIN_ID } from './support/chain.js';
import { errorLogs, START_TIMEOUT, STOP_TIMEOUT } from './support/devnet.js';
import { type RpcReceipt, rpc, rpcResult } from './support/json-rpc.js';
import { sleep, waitForReceipt, waitUntil } from './support/wait.js';

const SENDERS = [0, 1, 2, 3].map((i) => privateKeyToAccount(devAccount(i).privateKey));
/** Kill/restart cycles; each kill lands at another point of a block's write. */
const ROUNDS = 3;
/** Receipts to collect per round before the kill. */
const RECEIPTS_PER_ROUND = 30;
const ROUND_TIMEOUT = 60_000;

interface Recorded {
  hash: Hex;
  sender: number;
  blockHash: string;
  blockNumber: string;
}

function signTransfer(account: PrivateKeyAccount, nonce: number, to: Hex): Promise<Hex> {
  return account.signTransaction({
    chainId: DEVNET_CHAIN_ID,
    type: 'eip1559',
    nonce,
    to,
    value: 1n,
    gas: 21_000n,
    maxFeePerGas: parseGwei('20'),
    maxPriorityFeePerGas: parseGwei('1'),
  });
}

async function pendingNonce(url: string, account: PrivateKeyAccount): Promise<number> {
  return Number(
    BigInt(await rpcResult<string>(url, 'eth_getTransactionCount', [account.address, 'pending'])),
  );
}

describe('crash', () => {
  let dataDir: string;
  let devnet: DevnetHandle | undefined;
  const recipient = privateKeyToAccount(generatePrivateKey()).address;
  /** Every receipt any node returned, over all rounds. */
  const recorded: Recorded[] = [];
  /** Highest nonce + 1 each sender has had accepted by the pool. */
  const accepted = SENDERS.map(() => 0);

  before(
    async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'openledger-e2e-crash-'));
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

  /** Streams transfers from all senders until `count` new receipts are recorded, then SIGKILLs the node. */
  async function streamAndKill(node: DevnetHandle, count: number): Promise<void> {
    const target = recorded.length + count;
    let killed = false;
    // Each sender sends, then polls for its receipt; a receipt the node returned is a promise it must keep.
    const stream = async (index: number, account: PrivateKeyAccount) => {
      for (let nonce = await pendingNonce(node.rpcUrl, account); !killed; nonce++) {
        const raw = await signTransfer(account, nonce, recipient);
        const sent = await rpc<Hex>(node.rpcUrl, 'eth_sendRawTransaction', [raw]).catch(() => undefined);
        if (sent === undefined || killed) return;
        assert.equal(
          sent.error,
          undefined,
          `send nonce ${nonce} of sender ${index}: ${JSON.stringify(sent.error)}`,
        );
        accepted[index] = nonce + 1;
        const hash = sent.result as Hex;
        const deadline = Date.now() + 10_000;
        while (!killed) {
          const receipt = await rpcResult<RpcReceipt | null>(node.rpcUrl, 'eth_getTransactionReceipt', [
            hash,
          ]).catch(() => undefined);
          if (receipt === undefined || killed) return;
          if (receipt !== null) {
            recorded.push({
              hash,
              sender: index,
              blockHash: receipt.blockHash,
              blockNumber: receipt.blockNumber,
            });
            break;
          }
          assert.ok(Date.now() < deadline, `no receipt for ${hash} within 10 s`);
          await sleep(2);
        }
      }
    };
    const streams = Promise.all(SENDERS.map((account, i) => stream(i, account)));
    await Promise.race([
      waitUntil(() => recorded.length >= target, { timeoutMs: ROUND_TIMEOUT / 2, what: `${count} receipts` }),
      streams.then(() => assert.fail('a sender stopped before the kill')),
    ]);
    const code = await node.stop('SIGKILL');
    killed = true;
    assert.equal(code, null, 'killed by a signal');
    assert.deepEqual(errorLogs(node.output()), [], 'error logs before the kill');
    await streams;
  }

  /** Every receipt recorded so far is in the restarted node, in the same canonical block, with state to match. */
  async function verify(url: string): Promise<void> {
    const head = BigInt(await rpcResult<string>(url, 'eth_blockNumber'));
    const missing: string[] = [];
    for (const r of recorded) {
      const receipt = await rpcResult<RpcReceipt | null>(url, 'eth_getTransactionReceipt', [r.hash]);
      if (receipt === null) {
        missing.push(`${r.hash} (block ${BigInt(r.blockNumber)})`);
        continue;
      }
      assert.equal(receipt.blockHash, r.blockHash, `block hash of ${r.hash}`);
      assert.equal(receipt.blockNumber, r.blockNumber, `block number of ${r.hash}`);
      assert.equal(receipt.status, '0x1');
      const block = await rpcResult<{ hash: string } | null>(url, 'eth_getBlockByNumber', [
        r.blockNumber,
        false,
      ]);
      assert.equal(block?.hash, r.blockHash, `canonical block ${BigInt(r.blockNumber)}`);
    }
    assert.deepEqual(missing, [], `receipts returned before the kill but gone after restart (head ${head})`);
    const highest = recorded.reduce(
      (max, r) => (BigInt(r.blockNumber) > max ? BigInt(r.blockNumber) : max),
      0n,
    );
    assert.ok(head >= highest, `head ${head} >= highest recorded block ${highest}`);

    // State agrees with the chain: every included transfer paid the recipient 1 wei and used a nonce.
    let included = 0n;
    for (const [i, account] of SENDERS.entries()) {
      const nonce = BigInt(
        await rpcResult<string>(url, 'eth_getTransactionCount', [account.address, 'latest']),
      );
      const receipts = recorded.filter((r) => r.sender === i).length;
      assert.ok(nonce >= BigInt(receipts), `nonce ${nonce} of sender ${i} covers its ${receipts} receipts`);
      // The pool journals a transaction before answering, so the one send in flight at the
      // kill (answer lost) may still be restored and mined: at most one beyond what was accepted.
      assert.ok(
        nonce <= BigInt(accepted[i] ?? 0) + 1n,
        `nonce ${nonce} of sender ${i} <= ${accepted[i]} accepted + 1 in flight`,
      );
      included += nonce;
    }
    assert.equal(BigInt(await rpcResult<string>(url, 'eth_getBalance', [recipient, 'latest'])), included);
  }

  for (let round = 1; round <= ROUNDS; round++) {
    it(`round ${round}: stream from 4 senders, SIGKILL, restart, every returned receipt is kept`, {
      timeout: ROUND_TIMEOUT,
    }, async () => {
      await streamAndKill(devnet!, RECEIPTS_PER_ROUND);
      devnet = await startDevnet({ blockTime: 0, dataDir });
      await verify(devnet.rpcUrl);
    });
  }

  it('keeps serving after the crashes and exits cleanly', { timeout: 30_000 }, async () => {
    const node = devnet!;
    const head = BigInt(await rpcResult<string>(node.rpcUrl, 'eth_blockNumber'));
    // Transactions the pool held at a kill may be gone; new ones from the current nonce are mined.
    for (const [i, account] of SENDERS.entries()) {
      const nonce = await pendingNonce(node.rpcUrl, account);
      const hash = await rpcResult<Hex>(node.rpcUrl, 'eth_sendRawTransaction', [
        await signTransfer(account, nonce, recipient),
      ]);
      const receipt = await waitForReceipt(node.rpcUrl, hash, 15_000);
      assert.equal(receipt.status, '0x1', `sender ${i} after the restarts`);
      assert.ok(BigInt(receipt.blockNumber) > head);
    }
    const code = await node.stop('SIGINT');
    devnet = undefined;
    assert.equal(code, 0, `clean exit after the crash recoveries; output:\n${node.output()}`);
    assert.deepEqual(errorLogs(node.output()), [], 'error logs after the restarts');
  });
});
