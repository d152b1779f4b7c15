// anvil_impersonateAccount / hardhat_impersonateAccount: eth_sendTransaction
// from an address whose key nobody holds, through viem's test and wallet
// clients; the sender survives in blocks, traces and the pool's journal.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type DevnetHandle, startDevnet } from '@openledger/test-utils';
import {
  createPublicClient,
  createTestClient,
  createWalletClient,
  http,
  type PublicClient,
  parseEther,
  serializeTransaction,
} from 'viem';
import { devnetChain, rpcRequest } from './support/devnet-client.js';

describe('impersonation', { timeout: 90_000 }, () => {
  let devnet: DevnetHandle;
  let dataDir: string;
  let pub: PublicClient;
  const whale = '0x00000000000000000000000000000000000bea55';
  const other = '0x0000000000000000000000000000000000000b0b';
  const chain = () => devnetChain(devnet.rpcUrl);
  const call = (method: string, params: unknown[] = []) => rpcRequest(devnet.rpcUrl, method, params);
  const start = async () => {
    devnet = await startDevnet({ blockTime: 60, dataDir });
    pub = createPublicClient({ chain: chain(), transport: http(devnet.rpcUrl) });
  };

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'openledger-impersonation-'));
    await start();
  });

  after(async () => {
    await devnet?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('refuses a send from an address not impersonated', async () => {
    const res = await call('eth_sendTransaction', [{ from: whale, to: other, value: '0x1' }]);
    assert.equal(res.error?.code, -32000);
    assert.match(String(res.error?.message), /unknown account/);
  });

  it('sends from an impersonated address, and the sender stays in the block and its trace', async () => {
    const test = createTestClient({ mode: 'anvil', chain: chain(), transport: http(devnet.rpcUrl) });
    await test.setBalance({ address: whale, value: parseEther('50') });
    await test.impersonateAccount({ address: whale });
    const wallet = createWalletClient({ account: whale, chain: chain(), transport: http(devnet.rpcUrl) });
    const hash = await wallet.sendTransaction({ to: other, value: parseEther('2') });
    await test.mine({ blocks: 1 });
    const receipt = await pub.waitForTransactionReceipt({ hash });
    assert.equal(receipt.status, 'success');
    assert.equal(receipt.from, whale);
    assert.equal((await pub.getTransaction({ hash })).from, whale);
    assert.equal(await pub.getBalance({ address: other }), parseEther('2'));
    const trace = (await call('debug_traceTransaction', [hash, { tracer: 'callTracer' }])).result as {
      from: string;
      value: string;
    };
    assert.equal(trace.from, whale, 'a re-run takes the sender from the transaction');
    assert.equal(BigInt(trace.value), parseEther('2'));
  });

  it('refuses the impersonation marker in a raw transaction from the network', async () => {
    const raw = serializeTransaction(
      { chainId: Number(chain().id), to: other, value: 1n, nonce: 1, gas: 21_000n, maxFeePerGas: 10n ** 10n },
      { r: '0x01', s: `0x${whale.slice(2).padStart(64, '0')}`, yParity: 0 },
    );
    const res = await call('eth_sendRawTransaction', [raw]);
    assert.equal(res.error?.code, -32000);
    assert.match(String(res.error?.message), /invalid signature/);
  });

  it('keeps a pending impersonated send across a restart', async () => {
    const hardhat = createTestClient({ mode: 'hardhat', chain: chain(), transport: http(devnet.rpcUrl) });
    await hardhat.impersonateAccount({ address: whale });
    const hash = (await call('eth_sendTransaction', [{ from: whale, to: other, value: '0x3' }]))
      .result as `0x${string}`;
    assert.match(hash, /^0x[0-9a-f]{64}$/);
    assert.equal(await devnet.stop(), 0);
    await start();
    await createTestClient({ mode: 'anvil', chain: chain(), transport: http(devnet.rpcUrl) }).mine({
      blocks: 1,
    });
    const receipt = await pub.waitForTransactionReceipt({ hash });
    assert.equal(receipt.status, 'success');
    assert.equal(receipt.from, whale);
  });

  it('stops impersonating, and refuses a contract as sender (EIP-3607)', async () => {
    const test = createTestClient({ mode: 'anvil', chain: chain(), transport: http(devnet.rpcUrl) });
    await test.impersonateAccount({ address: whale });
    await test.stopImpersonatingAccount({ address: whale });
    const refused = await call('eth_sendTransaction', [{ from: whale, to: other, value: '0x1' }]);
    assert.match(String(refused.error?.message), /unknown account/);
    const contract = '0x0000000000000000000000000000000000c0de00';
    await test.setCode({ address: contract, bytecode: '0x00' });
    await test.setBalance({ address: contract, value: parseEther('1') });
    await test.impersonateAccount({ address: contract });
    const res = await call('eth_sendTransaction', [{ from: contract, to: other, value: '0x1' }]);
    assert.equal(res.error?.code, -32000);
    assert.match(String(res.error?.message), /EIP-3607/);
  });
});
