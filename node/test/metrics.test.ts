// Prometheus metrics as a scraper sees them: RPC requests by method and
// outcome, block production, pool sizes, head number and database size.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEV_ACCOUNTS, type DevnetHandle, freePort, startDevnet } from '@openledger/test-utils';
import { privateKeyToAccount } from 'viem/accounts';

const rpc = async (url: string, method: string, params: unknown[] = []) => {
  const res = await fetch(url, {
    method: 'POST',
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  return (await res.json()) as { result?: unknown; error?: { code: number } };
};

/** The value of the first sample whose line starts with `prefix`. */
function sample(text: string, prefix: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(prefix));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('metrics', { timeout: 60_000 }, () => {
  let devnet: DevnetHandle;
  let metricsUrl: string;

  before(async () => {
    const port = await freePort();
    devnet = await startDevnet({ blockTime: 0, args: ['--metrics.port', String(port)] });
    metricsUrl = `http://127.0.0.1:${port}/metrics`;
  });

  after(async () => {
    await devnet?.stop();
  });

  it('counts requests by method and outcome, blocks, the pool and the database', async () => {
    await rpc(devnet.rpcUrl, 'eth_chainId');
    await rpc(devnet.rpcUrl, 'eth_chainId');
    assert.equal((await rpc(devnet.rpcUrl, 'made_up_method')).error?.code, -32601);
    assert.equal((await rpc(devnet.rpcUrl, 'eth_getBalance', ['0x12'])).error?.code, -32602);
    const account = privateKeyToAccount(DEV_ACCOUNTS[7]!.privateKey);
    const raw = await account.signTransaction({
      chainId: 16120,
      type: 'eip1559',
      nonce: 0,
      to: DEV_ACCOUNTS[8]!.address,
      value: 1n,
      gas: 21_000n,
      maxFeePerGas: 100_000_000_000n,
      maxPriorityFeePerGas: 1_000_000_000n,
    });
    assert.equal(typeof (await rpc(devnet.rpcUrl, 'eth_sendRawTransaction', [raw])).result, 'string');

    const res = await fetch(metricsUrl);
    assert.equal(res.status, 200);
    const text = await res.text();
    // The test helper's readiness probe asked eth_chainId too.
    assert.ok((sample(text, 'openledger_rpc_requests_total{method="eth_chainId",outcome="ok"}') ?? 0) >= 2);
    assert.equal(sample(text, 'openledger_rpc_requests_total{method="unknown",outcome="-32601"}'), 1);
    assert.equal(sample(text, 'openledger_rpc_requests_total{method="eth_getBalance",outcome="-32602"}'), 1);
    assert.ok(
      (sample(text, 'openledger_rpc_request_duration_seconds_count{method="eth_chainId"}') ?? 0) >= 2,
    );
    assert.ok((sample(text, 'openledger_head_block_number') ?? 0) >= 1, 'the transfer was mined');
    assert.ok((sample(text, 'openledger_block_transactions_sum') ?? 0) >= 1);
    assert.ok((sample(text, 'openledger_block_production_seconds_count') ?? 0) >= 1);
    assert.equal(sample(text, 'openledger_txpool_transactions{state="pending"}'), 0);
    assert.ok((sample(text, 'openledger_db_size_bytes') ?? 0) > 0);
    assert.equal((await fetch(metricsUrl.replace('/metrics', '/other'))).status, 404);
  });
});
