// eth_call and eth_estimateGas with geth's state and block overrides, and
// proof that an override never outlives its call.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type DevnetHandle, startDevnet } from '@openledger/test-utils';
import { rpcRequest } from './support/devnet-client.js';

// Runtime code: return one 32-byte word, here a constant (42), NUMBER, TIMESTAMP, or BALANCE(CALLER).
const RETURN_42 = '0x602a60005260206000f3';
const RETURN_NUMBER = '0x4360005260206000f3';
const RETURN_TIME = '0x4260005260206000f3';
const RETURN_CALLER_BALANCE = '0x333160005260206000f3';
const word = (n: bigint) => `0x${n.toString(16).padStart(64, '0')}`;

describe('call overrides', { timeout: 60_000 }, () => {
  let devnet: DevnetHandle;
  const target = '0x00000000000000000000000000000000c0ffee00';
  const poor = '0x00000000000000000000000000000000000a11ce';
  const call = (method: string, params: unknown[] = []) => rpcRequest(devnet.rpcUrl, method, params);

  before(async () => {
    devnet = await startDevnet({ blockTime: 0 });
  });

  after(async () => {
    await devnet?.stop();
  });

  it('runs code put at an address for the call only', async () => {
    assert.equal(
      (await call('eth_call', [{ to: target, data: '0x' }, 'latest', { [target]: { code: RETURN_42 } }]))
        .result,
      word(42n),
    );
    assert.equal(
      (await call('eth_call', [{ to: target, data: '0x' }, 'latest'])).result,
      '0x',
      'gone after the call',
    );
    assert.equal((await call('eth_getCode', [target, 'latest'])).result, '0x');
  });

  it('gives an account a balance and storage for the call', async () => {
    const rich = await call('eth_call', [
      { from: poor, to: target },
      'latest',
      { [target]: { code: RETURN_CALLER_BALANCE }, [poor]: { balance: '0x1234' } },
    ]);
    assert.equal(rich.result, word(0x1234n));
    // A transfer the poor account cannot pay for estimates once it can.
    assert.equal(
      (await call('eth_estimateGas', [{ from: poor, to: target, value: '0x100' }])).error?.code,
      -32000,
    );
    assert.equal(
      (
        await call('eth_estimateGas', [
          { from: poor, to: target, value: '0x100' },
          'latest',
          { [poor]: { balance: '0x100000' } },
        ])
      ).result,
      '0x5208',
    );
    // SLOAD(0) returns what stateDiff wrote there.
    const sload = '0x60005460005260206000f3';
    const stored = await call('eth_call', [
      { to: target },
      'latest',
      { [target]: { code: sload, stateDiff: { [word(0n)]: word(77n) } } },
    ]);
    assert.equal(stored.result, word(77n));
  });

  it('shows a call the block it asks for', async () => {
    const overrides = { [target]: { code: RETURN_NUMBER } };
    assert.equal(
      (await call('eth_call', [{ to: target }, 'latest', overrides, { number: '0x1234' }])).result,
      word(0x1234n),
    );
    const time = await call('eth_call', [
      { to: target },
      'latest',
      { [target]: { code: RETURN_TIME } },
      { time: '0x7fffffff' },
    ]);
    assert.equal(time.result, word(0x7fffffffn));
  });

  it('refuses malformed overrides with -32602', async () => {
    const bad: unknown[][] = [
      [{ to: target }, 'latest', { nothex: {} }],
      [{ to: target }, 'latest', { [target]: { code: '0xzz' } }],
      [{ to: target }, 'latest', { [target]: { state: {}, stateDiff: {} } }],
      [{ to: target }, 'latest', { [target]: { movePrecompileToAddress: target } }],
      [{ to: target }, 'latest', {}, { nonsense: 1 }],
    ];
    for (const params of bad)
      assert.equal((await call('eth_call', params)).error?.code, -32602, JSON.stringify(params));
  });
});
