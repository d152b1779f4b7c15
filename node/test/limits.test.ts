// The RPC's limits as flags set them: a call stopped at its time limit, the
// gas cap, the batch size and the eth_getLogs block range, each answered
// with a clear error while the node keeps serving.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type DevnetHandle, startDevnet } from '@openledger/test-utils';
import { rpcRequest } from './support/devnet-client.js';

// JUMPDEST PUSH0 JUMP: loops until gas runs out (11 gas per turn, millions of turns).
const LOOP = '0x5b5f56';
// GAS PUSH0 MSTORE PUSH1 32 PUSH0 RETURN: returns the gas left.
const RETURN_GAS = '0x5a5f5260205ff3';
const loopAt = '0x00000000000000000000000000000000000100f0';
const gasAt = '0x00000000000000000000000000000000000100f1';

describe('RPC limits set by flags', { timeout: 60_000 }, () => {
  let devnet: DevnetHandle;
  const call = (method: string, params: unknown[] = []) => rpcRequest(devnet.rpcUrl, method, params);
  const overrides = { [loopAt]: { code: LOOP }, [gasAt]: { code: RETURN_GAS } };

  before(async () => {
    devnet = await startDevnet({
      args: [
        '--rpc.evmtimeout',
        '250ms',
        '--rpc.gascap',
        '30000000',
        '--rpc.batch-request-limit',
        '5',
        '--rpc.max-blocks-per-filter',
        '4',
      ],
    });
  });

  after(async () => {
    await devnet?.stop();
  });

  it('stops a call that runs past --rpc.evmtimeout and serves the next one', async () => {
    const started = performance.now();
    const res = await call('eth_call', [{ to: loopAt, gas: '0x1c9c380' }, 'latest', overrides]);
    const took = performance.now() - started;
    assert.equal(res.error?.code, -32000);
    assert.equal(res.error?.message, 'execution aborted (timeout = 0.25s)');
    assert.ok(took < 5_000, `stopped after ${Math.round(took)} ms`);
    const next = await call('eth_call', [{ to: gasAt }, 'latest', overrides]);
    assert.match(String(next.result), /^0x[0-9a-f]{64}$/, 'the executor works after a timeout');
  });

  it('stops a plain call (no gas named: a view frame) past the time limit too', async () => {
    const res = await call('eth_call', [{ to: loopAt }, 'latest', overrides]);
    assert.equal(res.error?.code, -32000);
    assert.equal(res.error?.message, 'execution aborted (timeout = 0.25s)');
    const next = await call('eth_call', [{ to: gasAt }, 'latest', overrides]);
    assert.match(String(next.result), /^0x[0-9a-f]{64}$/, 'the executor works after a timeout');
  });

  it('stops a gas estimate past the time limit too', async () => {
    const res = await call('eth_estimateGas', [{ to: loopAt }, 'latest', overrides]);
    assert.equal(res.error?.code, -32000);
    assert.match(String(res.error?.message), /timeout/);
  });

  it('caps the gas of a call at --rpc.gascap', async () => {
    const res = await call('eth_call', [{ to: gasAt, gas: '0x5f5e100' }, 'latest', overrides]);
    const left = BigInt(String(res.result));
    assert.ok(left < 30_000_000n && left > 29_900_000n, `gas left ${left}`);
  });

  it('refuses a batch over --rpc.batch-request-limit', async () => {
    const batch = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'eth_chainId', params: [] }));
    const post = async (body: unknown) =>
      (await fetch(devnet.rpcUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then((r) => r.json())) as unknown;
    const ok = (await post(batch(5))) as unknown[];
    assert.equal(ok.length, 5);
    const refused = (await post(batch(6))) as { error?: { code: number; message: string } };
    assert.equal(refused.error?.code, -32005);
    assert.match(String(refused.error?.message), /at most 5/);
  });

  it('refuses an eth_getLogs range over --rpc.max-blocks-per-filter', async () => {
    await call('anvil_mine', ['0x6']);
    const ok = await call('eth_getLogs', [{ fromBlock: '0x1', toBlock: '0x4' }]);
    assert.deepEqual(ok.result, []);
    const refused = await call('eth_getLogs', [{ fromBlock: '0x1', toBlock: '0x5' }]);
    assert.equal(refused.error?.code, -32005);
    assert.match(String(refused.error?.message), /max block range 4/);
  });
});
