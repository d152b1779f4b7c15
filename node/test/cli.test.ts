// The `openledger` command as a user runs it: help, bad flags, a genesis
// file, and a data dir that belongs to another chain.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEV_ACCOUNTS, devnetCliPath, startDevnet } from '@openledger/test-utils';
import { privateKeyToAccount } from 'viem/accounts';

function run(
  args: string[],
  timeoutMs = 20_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, OPENLEDGER_LOG_LEVEL: 'warn' };
    delete env.NODE_TEST_CONTEXT;
    const child = spawn(process.execPath, [devnetCliPath(), ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`openledger ${args.join(' ')} did not exit within ${timeoutMs} ms\n${stdout}\n${stderr}`),
      );
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const rpc = async (url: string, method: string, params: unknown[] = []) => {
  const res = await fetch(url, {
    method: 'POST',
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  return ((await res.json()) as { result: unknown }).result;
};

describe('openledger CLI', { timeout: 60_000 }, () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'openledger-cli-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints help and exits 0', async () => {
    const { code, stdout } = await run(['devnet', '--help']);
    assert.equal(code, 0);
    assert.match(stdout, /--rpc\.port/);
  });

  it('exits non-zero with a clear message on a bad flag or command', async () => {
    const flag = await run(['devnet', '--rpc.port', 'eighty']);
    assert.equal(flag.code, 1);
    assert.match(flag.stderr, /invalid --rpc\.port "eighty"/);
    const command = await run(['fly']);
    assert.equal(command.code, 2);
    assert.match(command.stderr, /unknown command "fly"/);
  });

  it('starts from a geth-style genesis file', async () => {
    const genesis = join(dir, 'genesis.json');
    const funded = '0x1000000000000000000000000000000000000001';
    await writeFile(
      genesis,
      JSON.stringify({ config: { chainId: 4242 }, alloc: { [funded]: { balance: '0x2a' } } }),
    );
    const devnet = await startDevnet({ args: ['--genesis', genesis] });
    try {
      assert.equal(await rpc(devnet.rpcUrl, 'eth_chainId'), '0x1092');
      assert.equal(await rpc(devnet.rpcUrl, 'eth_getBalance', [funded, 'latest']), '0x2a');
    } finally {
      assert.equal(await devnet.stop(), 0);
    }
  });

  it('serves only the namespaces --rpc.api names', async () => {
    const devnet = await startDevnet({ args: ['--rpc.api', 'eth,net'] });
    try {
      const call = async (method: string) => {
        const res = await fetch(devnet.rpcUrl, {
          method: 'POST',
          body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params: [] }),
        });
        return (await res.json()) as { result?: unknown; error?: { code: number } };
      };
      assert.equal((await call('eth_chainId')).result, '0x3ef8');
      assert.equal((await call('net_version')).result, '16120');
      for (const method of ['txpool_status', 'evm_mine', 'web3_clientVersion', 'constructor', '__proto__']) {
        assert.equal((await call(method)).error?.code, -32601, method);
      }
    } finally {
      await devnet.stop();
    }
  });

  it('refuses a data dir made for another chain, and --reset starts it anew', async () => {
    const dataDir = join(dir, 'chain');
    const first = await startDevnet({ dataDir, args: ['--chain-id', '5001'] });
    assert.equal(await first.stop(), 0);
    const refused = await run(['devnet', '--data-dir', dataDir, '--chain-id', '5002', '--rpc.port', '0']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /another chain/);
    assert.match(refused.stderr, /--reset/);
    const reset = await startDevnet({ dataDir, args: ['--chain-id', '5002', '--reset'] });
    try {
      assert.equal(await rpc(reset.rpcUrl, 'eth_chainId'), '0x138a');
    } finally {
      assert.equal(await reset.stop(), 0);
    }
  });
});

describe('pending transactions across a restart', { timeout: 60_000 }, () => {
  it('a transaction acknowledged but not yet mined is mined after a stop and a start', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'openledger-journal-e2e-'));
    try {
      // One block a minute: the transaction stays pending until the node stops.
      const first = await startDevnet({ dataDir, blockTime: 60 });
      const raw = await signedTransfer(first.rpcUrl);
      const hash = (await rpc(first.rpcUrl, 'eth_sendRawTransaction', [raw])) as string;
      assert.equal(await rpc(first.rpcUrl, 'eth_getTransactionReceipt', [hash]), null);
      assert.equal(await first.stop('SIGKILL'), null);
      const second = await startDevnet({ dataDir, blockTime: 0 });
      try {
        let receipt: unknown = null;
        for (let i = 0; i < 100 && receipt === null; i++) {
          receipt = await rpc(second.rpcUrl, 'eth_getTransactionReceipt', [hash]);
          if (receipt === null) await new Promise((r) => setTimeout(r, 50));
        }
        assert.equal((receipt as { status: string } | null)?.status, '0x1');
      } finally {
        await second.stop();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

async function signedTransfer(rpcUrl: string): Promise<`0x${string}`> {
  const account = privateKeyToAccount(DEV_ACCOUNTS[5]!.privateKey);
  const nonce = Number(
    BigInt((await rpc(rpcUrl, 'eth_getTransactionCount', [account.address, 'pending'])) as string),
  );
  return account.signTransaction({
    chainId: 16120,
    type: 'eip1559',
    nonce,
    to: DEV_ACCOUNTS[6]!.address,
    value: 1n,
    gas: 21_000n,
    maxFeePerGas: 100_000_000_000n,
    maxPriorityFeePerGas: 1_000_000_000n,
  });
}
