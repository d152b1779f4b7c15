// txpool_ methods on a node whose blocks are a minute apart, so that
// transactions stay in the pool: counts, content by sender and nonce, inspect.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEV_ACCOUNTS, type DevnetHandle, startDevnet } from '@openledger/test-utils';
import { getAddress } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { assertConforms } from './support/spec.js';

describe('txpool namespace', { timeout: 60_000 }, () => {
  let devnet: DevnetHandle;
  const sender = privateKeyToAccount(DEV_ACCOUNTS[2]!.privateKey);
  const to = DEV_ACCOUNTS[3]!.address;
  const rpc = async (method: string, params: unknown[] = []) => {
    const res = await fetch(devnet.rpcUrl, {
      method: 'POST',
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    });
    const body = (await res.json()) as { result: unknown; error?: { message: string } };
    if (body.error !== undefined) throw new Error(`${method}: ${body.error.message}`);
    return body.result;
  };
  const send = async (nonce: number) =>
    rpc('eth_sendRawTransaction', [
      await sender.signTransaction({
        chainId: 16120,
        type: 'eip1559',
        nonce,
        to,
        value: 7n,
        gas: 21_000n,
        maxFeePerGas: 50_000_000_000n,
        maxPriorityFeePerGas: 2_000_000_000n,
      }),
    ]);

  before(async () => {
    devnet = await startDevnet({ blockTime: 60 });
    // Nonces 0 and 1 can run; 3 waits behind the gap at 2.
    for (const nonce of [0, 1, 3]) await send(nonce);
  });

  after(async () => {
    await devnet?.stop();
  });

  it('txpool_status counts pending and queued', async () => {
    const status = await rpc('txpool_status');
    assertConforms('txpool_status', [], status);
    assert.deepEqual(status, { pending: '0x2', queued: '0x1' });
  });

  it('txpool_content and txpool_contentFrom group by sender and nonce', async () => {
    const content = (await rpc('txpool_content')) as {
      pending: Record<string, Record<string, { nonce: string; blockHash: null }>>;
      queued: Record<string, Record<string, unknown>>;
    };
    assertConforms('txpool_content', [], content);
    const mine = content.pending[getAddress(sender.address)];
    assert.deepEqual(Object.keys(mine ?? {}), ['0', '1']);
    assert.equal(mine?.['1']?.nonce, '0x1');
    assert.equal(mine?.['1']?.blockHash, null);
    assert.deepEqual(Object.keys(content.queued[getAddress(sender.address)] ?? {}), ['3']);
    const from = (await rpc('txpool_contentFrom', [sender.address])) as {
      pending: Record<string, unknown>;
      queued: Record<string, unknown>;
    };
    assertConforms('txpool_contentFrom', [sender.address], from);
    assert.deepEqual(Object.keys(from.pending), ['0', '1']);
    assert.deepEqual(await rpc('txpool_contentFrom', [to]), { pending: {}, queued: {} });
  });

  it('txpool_inspect summarises each transaction as geth does', async () => {
    const inspect = (await rpc('txpool_inspect')) as { pending: Record<string, Record<string, string>> };
    assert.equal(
      inspect.pending[getAddress(sender.address)]?.['0'],
      `${getAddress(to)}: 7 wei + 21000 gas × 50000000000 wei`,
    );
  });

  it('a pending transaction by hash has null block fields', async () => {
    const hash = await send(2);
    const tx = (await rpc('eth_getTransactionByHash', [hash])) as Record<string, unknown>;
    assert.equal(tx.blockHash, null);
    assert.equal(tx.blockTimestamp, null);
    assert.deepEqual(await rpc('txpool_status'), { pending: '0x4', queued: '0x0' }, 'nonce 2 closed the gap');
  });
});
