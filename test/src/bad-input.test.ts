// Malformed, oversized and invalid requests get the right JSON-RPC errors, and the node keeps serving after each.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { type DevnetHandle, startDevnet } from '@openledger/test-utils';
import {
  type Hex,
  parseGwei,
  parseTransaction,
  serializeTransaction,
  type TransactionSerializableEIP1559,
} from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { devAccount } from './support/accounts.js';
import { DEVNET_CHAIN_ID } from './support/chain.js';
import { START_TIMEOUT, STOP_TIMEOUT, stopTestDevnet } from './support/devnet.js';
import { type JsonRpcResponse, postRaw, rpc, rpcResult } from './support/json-rpc.js';
import { waitForReceipt, waitUntil, withTimeout } from './support/wait.js';

const TEST = { timeout: 30_000 };
/** Blocks every 5 s, so a sent transaction stays pending long enough to be replaced. */
const BLOCK_TIME = 5;
const FEES = { maxFeePerGas: parseGwei('10'), maxPriorityFeePerGas: parseGwei('1') };
const signer = (i: number) => privateKeyToAccount(devAccount(i).privateKey);

function transfer(overrides: Partial<TransactionSerializableEIP1559> = {}): TransactionSerializableEIP1559 {
  return {
    chainId: DEVNET_CHAIN_ID,
    type: 'eip1559',
    nonce: 0,
    to: devAccount(9).address,
    value: 1n,
    gas: 21_000n,
    ...FEES,
    ...overrides,
  };
}

function errorOf(res: unknown): { code: number; message: string; data?: unknown } {
  const error = (res as JsonRpcResponse).error;
  assert.ok(error !== undefined, `expected a JSON-RPC error, got ${JSON.stringify(res).slice(0, 300)}`);
  return error;
}

/** A rejected transaction: an error in the -32000..-32099 server range whose message contains `text`. */
function assertTxRejected(res: JsonRpcResponse, text: string): void {
  const error = errorOf(res);
  assert.ok(error.message.includes(text), `message "${error.message}" should contain "${text}"`);
  assert.ok(
    error.code <= -32000 && error.code >= -32099,
    `code ${error.code} in -32000..-32099 for "${error.message}"`,
  );
}

describe('bad input', () => {
  let devnet: DevnetHandle | undefined;
  let url: string;

  before(
    async () => {
      devnet = await startDevnet({ blockTime: BLOCK_TIME });
      url = devnet.rpcUrl;
    },
    { timeout: START_TIMEOUT },
  );

  afterEach(async () => {
    assert.match(
      await rpcResult<string>(url, 'eth_blockNumber'),
      /^0x[0-9a-f]+$/,
      'eth_blockNumber still answers',
    );
  });

  // Errors provoked here may be logged; the tests check the answers.
  after(() => stopTestDevnet(devnet, { allowErrorLogs: true }), { timeout: STOP_TIMEOUT });

  const sendRaw = (raw: Hex) => rpc<Hex>(url, 'eth_sendRawTransaction', [raw]);

  /** Resolves right after a new block, so the next one is a whole block time away. */
  async function nextBlock(): Promise<void> {
    const start = await rpcResult<string>(url, 'eth_blockNumber');
    await waitUntil(async () => (await rpcResult<string>(url, 'eth_blockNumber')) !== start, {
      timeoutMs: (BLOCK_TIME + 5) * 1000,
      intervalMs: 25,
      what: 'the next block',
    });
  }

  it('malformed JSON: -32700 with id null', TEST, async () => {
    const res = await postRaw(url, '{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber"');
    assert.equal(errorOf(res.json).code, -32700);
    assert.equal((res.json as JsonRpcResponse).id, null);
  });

  it('a request that is not an object: -32600', TEST, async () => {
    for (const body of ['42', '"eth_blockNumber"', 'null', 'true']) {
      const res = await postRaw(url, body);
      assert.equal(errorOf(res.json).code, -32600, `body ${body}`);
    }
  });

  it('missing or non-string method: -32600', TEST, async () => {
    const missing = await postRaw(url, '{"jsonrpc":"2.0","id":7,"params":[]}');
    assert.equal(errorOf(missing.json).code, -32600);
    assert.ok([7, null].includes((missing.json as JsonRpcResponse).id as number), 'id echoed (or null)');
    const numeric = await postRaw(url, '{"jsonrpc":"2.0","id":8,"method":5}');
    assert.equal(errorOf(numeric.json).code, -32600);
  });

  it('unknown method: -32601 with the id echoed', TEST, async () => {
    const res = await postRaw(url, '{"jsonrpc":"2.0","id":"abc","method":"eth_noSuchMethod","params":[]}');
    assert.equal(errorOf(res.json).code, -32601);
    assert.equal((res.json as JsonRpcResponse).id, 'abc');
  });

  it('invalid params: -32602', TEST, async () => {
    const cases: [string, unknown[]][] = [
      ['eth_getBalance', ['0x1234', 'latest']],
      ['eth_getBalance', ['not an address', 'latest']],
      ['eth_getBalance', []],
      ['eth_getBlockByNumber', ['0xzz', false]],
      ['eth_getTransactionReceipt', ['0x1234']],
      ['eth_sendRawTransaction', ['not hex']],
    ];
    for (const [method, params] of cases) {
      assert.equal(
        errorOf(await rpc(url, method, params)).code,
        -32602,
        `${method}(${JSON.stringify(params)})`,
      );
    }
  });

  it('batches: per-entry answers, empty batch -32600', TEST, async () => {
    const res = await postRaw(
      url,
      JSON.stringify([
        { jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] },
        { jsonrpc: '2.0', id: 2, method: 'eth_noSuchMethod', params: [] },
        42,
      ]),
    );
    assert.ok(Array.isArray(res.json), res.text);
    const entries = res.json as JsonRpcResponse[];
    assert.equal(entries.length, 3);
    assert.equal(entries.find((e) => e.id === 1)?.result, '0x3ef8');
    assert.equal(entries.find((e) => e.id === 2)?.error?.code, -32601);
    assert.equal(entries.find((e) => e.id !== 1 && e.id !== 2)?.error?.code, -32600);

    const empty = await postRaw(url, '[]');
    const emptyError = Array.isArray(empty.json) ? empty.json[0] : empty.json;
    assert.equal(errorOf(emptyError).code, -32600, `empty batch: ${empty.text}`);
  });

  it('a batch of 1000 is served, 1001 is refused', TEST, async () => {
    const batch = (n: number) =>
      JSON.stringify(
        Array.from({ length: n }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'eth_chainId', params: [] })),
      );
    const ok = await postRaw(url, batch(1000));
    assert.ok(
      Array.isArray(ok.json) && ok.json.length === 1000,
      `1000 entries: HTTP ${ok.status} ${ok.text.slice(0, 200)}`,
    );
    assert.ok((ok.json as JsonRpcResponse[]).every((e) => e.result === '0x3ef8'));

    const tooMany = await postRaw(url, batch(1001));
    const refused =
      tooMany.status >= 400 ||
      (!Array.isArray(tooMany.json) && (tooMany.json as JsonRpcResponse | undefined)?.error !== undefined) ||
      (Array.isArray(tooMany.json) &&
        (tooMany.json as JsonRpcResponse[]).every((e) => e.error !== undefined));
    assert.ok(refused, `1001 entries: HTTP ${tooMany.status} ${tooMany.text.slice(0, 200)}`);
  });

  it('a body over 5 MB: HTTP 413 or a JSON-RPC error', TEST, async () => {
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'eth_chainId',
      params: ['a'.repeat(5_500_000)],
    });
    const res = await postRaw(url, body, 20_000);
    const refused = res.status === 413 || (res.json as JsonRpcResponse | undefined)?.error !== undefined;
    assert.ok(refused, `HTTP ${res.status} ${res.text.slice(0, 200)}`);
  });

  it('WebSocket: malformed JSON gets -32700 and the connection stays usable', TEST, async () => {
    const ws = new WebSocket(devnet!.wsUrl);
    const messages: string[] = [];
    ws.addEventListener('message', (event) => messages.push(String(event.data)));
    try {
      await withTimeout(
        new Promise<void>((resolve, reject) => {
          ws.addEventListener('open', () => resolve());
          ws.addEventListener('error', () => reject(new Error('WebSocket error')));
        }),
        10_000,
        'WebSocket open',
      );
      ws.send('{"jsonrpc":"2.0","id":1,');
      await waitUntil(() => messages.length >= 1, { timeoutMs: 10_000, what: 'the parse error' });
      assert.equal(errorOf(JSON.parse(messages[0] ?? '')).code, -32700);
      ws.send('{"jsonrpc":"2.0","id":2,"method":"eth_chainId","params":[]}');
      await waitUntil(() => messages.length >= 2, { timeoutMs: 10_000, what: 'the eth_chainId answer' });
      assert.equal((JSON.parse(messages[1] ?? '') as JsonRpcResponse).result, '0x3ef8');
    } finally {
      ws.close();
    }
  });

  it('eth_call and eth_estimateGas of a revert: code 3 with the revert data', TEST, async () => {
    // Init code that reverts with the 4 bytes 0xdeadbeef.
    const call = { from: devAccount(0).address, data: '0x63deadbeef6000526004601cfd' };
    for (const method of ['eth_call', 'eth_estimateGas']) {
      const error = errorOf(await rpc(url, method, method === 'eth_call' ? [call, 'latest'] : [call]));
      assert.equal(error.code, 3, `${method} code`);
      assert.equal(error.data, '0xdeadbeef', `${method} data`);
      assert.match(error.message, /execution reverted/);
    }
  });

  it('a raw transaction with an invalid signature: -32000 range error', TEST, async () => {
    const valid = parseTransaction(await signer(7).signTransaction(transfer()));
    const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
    const bad: { r: Hex; s: Hex; yParity: number }[] = [
      { r: '0x0', s: valid.s!, yParity: 0 }, // r = 0
      { r: valid.r!, s: '0x0', yParity: 0 }, // s = 0
      { r: valid.r!, s: `0x${(n - 1n).toString(16)}`, yParity: 0 }, // s above n/2 (EIP-2)
      { r: `0x${(n + 5n).toString(16)}`, s: valid.s!, yParity: 0 }, // r not below the curve order
    ];
    for (const signature of bad) {
      const raw = serializeTransaction(transfer(), signature);
      const error = errorOf(await sendRaw(raw));
      assert.ok(
        error.code <= -32000 && error.code >= -32099,
        `code ${error.code} (${error.message}) for r=${signature.r}`,
      );
    }
  });

  it(
    'replacing a pending transaction: already known, underpriced, then a 10% bump is accepted',
    TEST,
    async () => {
      const account = signer(1);
      await nextBlock();
      const first = await account.signTransaction(transfer({ value: 1n }));
      const firstHash = await rpcResult<Hex>(url, 'eth_sendRawTransaction', [first]);
      assertTxRejected(await sendRaw(first), 'already known');
      assertTxRejected(
        await sendRaw(await account.signTransaction(transfer({ value: 2n }))),
        'replacement transaction underpriced',
      );
      const bumped = await account.signTransaction(
        transfer({
          value: 3n,
          maxFeePerGas: (FEES.maxFeePerGas * 110n) / 100n,
          maxPriorityFeePerGas: (FEES.maxPriorityFeePerGas * 110n) / 100n,
        }),
      );
      const bumpedHash = await rpcResult<Hex>(url, 'eth_sendRawTransaction', [bumped]);
      const receipt = await waitForReceipt(url, bumpedHash, (BLOCK_TIME + 10) * 1000);
      assert.equal(receipt.status, '0x1');
      assert.equal(
        await rpcResult(url, 'eth_getTransactionReceipt', [firstHash]),
        null,
        'the replaced transaction is not mined',
      );
    },
  );

  it('a transaction with a used nonce: nonce too low', TEST, async () => {
    const account = signer(0);
    const hash = await rpcResult<Hex>(url, 'eth_sendRawTransaction', [
      await account.signTransaction(transfer()),
    ]);
    await waitForReceipt(url, hash, (BLOCK_TIME + 10) * 1000);
    assertTxRejected(await sendRaw(await account.signTransaction(transfer({ value: 5n }))), 'nonce too low');
  });

  it('pool rejections carry geth messages', TEST, async () => {
    const poor = privateKeyToAccount(generatePrivateKey());
    assertTxRejected(
      await sendRaw(await poor.signTransaction(transfer())),
      'insufficient funds for gas * price + value',
    );
    assertTxRejected(
      await sendRaw(await signer(2).signTransaction(transfer({ gas: 20_000n }))),
      'intrinsic gas too low',
    );
    assertTxRejected(
      await sendRaw(
        await signer(3).signTransaction(transfer({ maxFeePerGas: 1n, maxPriorityFeePerGas: 1n })),
      ),
      'max fee per gas less than block base fee',
    );
    assertTxRejected(
      await sendRaw(await signer(4).signTransaction(transfer({ gas: 30_000_001n }))),
      'exceeds block gas limit',
    );
    assertTxRejected(
      await sendRaw(await signer(5).signTransaction(transfer({ chainId: 1 }))),
      'invalid chain id',
    );
    const blob = await signer(6).signTransaction({
      chainId: DEVNET_CHAIN_ID,
      type: 'eip4844',
      nonce: 0,
      to: devAccount(9).address,
      gas: 21_000n,
      ...FEES,
      maxFeePerBlobGas: parseGwei('1'),
      blobVersionedHashes: [`0x01${'00'.repeat(31)}`],
    });
    assertTxRejected(await sendRaw(blob), 'transaction type not supported');
  });
});
