// A storm of random and mutated JSON-RPC requests over HTTP and WebSocket:
// the node never crashes, every reply is well-formed JSON-RPC with a valid
// error code, and a normal request still works after each storm.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type DevnetHandle, startDevnet } from '@openledger/test-utils';
import fc from 'fast-check';
import WebSocket from 'ws';

const METHODS = [
  'eth_chainId',
  'eth_blockNumber',
  'eth_getBalance',
  'eth_getCode',
  'eth_getStorageAt',
  'eth_getTransactionCount',
  'eth_getBlockByNumber',
  'eth_getBlockByHash',
  'eth_getTransactionByHash',
  'eth_getTransactionReceipt',
  'eth_getBlockReceipts',
  'eth_call',
  'eth_estimateGas',
  'eth_sendRawTransaction',
  'eth_getLogs',
  'eth_newFilter',
  'eth_getFilterChanges',
  'eth_feeHistory',
  'eth_getProof',
  'eth_createAccessList',
  'eth_getStorageValues',
  'eth_sign',
  'eth_sendTransaction',
  'txpool_content',
  'debug_getRawBlock',
  'evm_increaseTime',
  'web3_sha3',
  'eth_subscribe',
  'no_such_method',
  '',
  'constructor',
  '__proto__',
  'eth_',
  '_',
];
// -32603 (internal error) is not here: bad input must never reach an unexpected failure.
const KNOWN_CODES = new Set([-32700, -32600, -32601, -32602, -32000, -32005, 3]);

const hexish = fc.oneof(
  fc.constantFrom(
    '0x',
    '0x0',
    '0x00',
    '0xzz',
    'latest',
    'pending',
    'earliest',
    'safe',
    'finalized',
    '0x' + 'f'.repeat(65),
  ),
  fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), maxLength: 70 }).map((h) => `0x${h}`),
  fc
    .bigInt({ min: -(2n ** 300n), max: 2n ** 300n })
    .map((n) => (n < 0n ? `-0x${(-n).toString(16)}` : `0x${n.toString(16)}`)),
);
const scalar = fc.oneof(
  hexish,
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);
const value = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(
      fc.constantFrom(
        'to',
        'from',
        'data',
        'input',
        'gas',
        'value',
        'blockHash',
        'address',
        'topics',
        'fromBlock',
        'toBlock',
        'gasPrice',
        'maxFeePerGas',
        'accessList',
        'authorizationList',
      ),
      tie('v'),
      { maxKeys: 5 },
    ),
  ),
})).v;
const request = fc.record(
  {
    jsonrpc: fc.oneof(fc.constant('2.0'), fc.constant('1.0'), scalar),
    id: fc.oneof(
      fc.integer(),
      fc.string({ maxLength: 8 }),
      fc.constant(null),
      fc.array(fc.integer(), { maxLength: 2 }),
    ),
    method: fc.oneof(fc.constantFrom(...METHODS), scalar),
    params: fc.oneof(fc.array(value, { maxLength: 4 }), value),
  },
  { requiredKeys: [] },
);
/** Raw bodies: JSON of requests and batches, cut short, nested deep, or not JSON at all. */
const body = fc.oneof(
  request.map((r) => JSON.stringify(r)),
  fc.array(request, { maxLength: 8 }).map((b) => JSON.stringify(b)),
  fc
    .tuple(
      request.map((r) => JSON.stringify(r)),
      fc.nat(),
    )
    .map(([s, n]) => s.slice(0, n % (s.length + 1))),
  fc.nat({ max: 5000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.constantFrom(
    '',
    'null',
    '[]',
    '{}',
    '[[]]',
    '[1,2]',
    '"x"',
    '{"jsonrpc":"2.0","method":"eth_chainId","id":1}',
  ),
);

function checkReply(text: string): void {
  if (text === '') return; // notifications only
  const reply = JSON.parse(text) as unknown;
  for (const item of Array.isArray(reply) ? reply : [reply]) {
    const r = item as { jsonrpc?: unknown; result?: unknown; error?: { code?: unknown; message?: unknown } };
    assert.equal(r.jsonrpc, '2.0', text.slice(0, 300));
    assert.ok('result' in r !== 'error' in r, `exactly one of result and error: ${text.slice(0, 300)}`);
    if (r.error !== undefined) {
      assert.ok(
        KNOWN_CODES.has(r.error.code as number),
        `unexpected code ${String(r.error.code)}: ${text.slice(0, 300)}`,
      );
      assert.equal(typeof r.error.message, 'string');
    }
  }
}

describe('fuzzing the JSON-RPC server', { timeout: 180_000 }, () => {
  let devnet: DevnetHandle;
  const healthy = async () => {
    const res = await fetch(devnet.rpcUrl, {
      method: 'POST',
      body: '{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}',
    });
    assert.deepEqual(await res.json(), { jsonrpc: '2.0', id: 1, result: '0x3ef8' });
  };

  before(async () => {
    devnet = await startDevnet({ blockTime: 1 });
  });

  after(async () => {
    const code = await devnet?.stop();
    assert.equal(code, 0, 'the node exits cleanly after the storms');
    assert.doesNotMatch(devnet.output(), /"level":(50|60)|ERROR|FATAL/, 'nothing logged at error level');
  });

  it('answers every HTTP body with well-formed JSON-RPC', async () => {
    await fc.assert(
      fc.asyncProperty(body, async (text) => {
        const res = await fetch(devnet.rpcUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: text,
        });
        assert.ok(res.status === 200 || res.status === 413, `status ${res.status}`);
        checkReply(await res.text());
      }),
      { numRuns: 1_500, seed: 16120 },
    );
    await healthy();
  });

  it('answers every WebSocket message with well-formed JSON-RPC, in order', async () => {
    const ws = new WebSocket(devnet.wsUrl);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const replies: string[] = [];
    ws.on('message', (data) => replies.push(data.toString()));
    const sent = fc.sample(body, { numRuns: 1_500, seed: 1612 });
    for (const text of sent) ws.send(text);
    // A marker request last: when its answer arrives, every earlier message has been handled.
    ws.send('{"jsonrpc":"2.0","id":"marker","method":"eth_chainId"}');
    for (let i = 0; i < 600 && !replies.some((r) => r.includes('"marker"')); i++)
      await new Promise((r) => setTimeout(r, 50));
    assert.ok(
      replies.some((r) => r.includes('"marker"')),
      'the marker came back',
    );
    for (const reply of replies.filter((r) => !r.includes('eth_subscription'))) checkReply(reply);
    ws.close();
    await healthy();
  });
});
