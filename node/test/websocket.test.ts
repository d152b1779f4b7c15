// eth_subscribe over a raw WebSocket: every subscription type, unsubscribe,
// and the errors a client gets for bad requests on a live connection.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEV_ACCOUNTS, type DevnetHandle, startDevnet } from '@openledger/test-utils';
import { createWalletClient, http, parseEther } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import WebSocket from 'ws';
import { devnetChain } from './support/devnet-client.js';

interface Message {
  id?: number;
  result?: unknown;
  error?: { code: number; message: string };
  method?: string;
  params?: { subscription: string; result: unknown };
}

/** A JSON-RPC client over one WebSocket that also collects subscription notifications. */
class WsClient {
  private readonly ws: WebSocket;
  private nextId = 1;
  private readonly waiting = new Map<number, (m: Message) => void>();
  readonly notifications: Message['params'][] = [];

  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString()) as Message;
      if (message.method === 'eth_subscription') this.notifications.push(message.params);
      else if (message.id !== undefined) this.waiting.get(message.id)?.(message);
    });
  }

  static async connect(url: string): Promise<WsClient> {
    const ws = new WebSocket(url);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    return new WsClient(ws);
  }

  request(method: string, params: unknown[] = []): Promise<Message> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${method}: no answer`)), 10_000);
      this.waiting.set(id, (m) => {
        clearTimeout(timer);
        resolve(m);
      });
      this.ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    });
  }

  raw(text: string): Promise<Message> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no answer')), 10_000);
      this.ws.once('message', (data) => {
        clearTimeout(timer);
        resolve(JSON.parse(data.toString()) as Message);
      });
      this.ws.send(text);
    });
  }

  async until(predicate: () => boolean, what: string): Promise<void> {
    for (let i = 0; i < 200 && !predicate(); i++) await new Promise((r) => setTimeout(r, 25));
    assert.ok(predicate(), `timed out waiting for ${what}`);
  }

  close(): void {
    this.ws.close();
  }

  /** Sends `text` and resolves with the close code the server answers with. */
  closedBy(text: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('not closed')), 10_000);
      this.ws.once('close', (code) => {
        clearTimeout(timer);
        resolve(code);
      });
      this.ws.send(text);
    });
  }
}

describe('WebSocket subscriptions', { timeout: 60_000 }, () => {
  let devnet: DevnetHandle;
  let client: WsClient;

  before(async () => {
    devnet = await startDevnet({ blockTime: 0 });
    client = await WsClient.connect(devnet.wsUrl);
  });

  after(async () => {
    client?.close();
    await devnet?.stop();
  });

  const send = async () => {
    const chain = devnetChain(devnet.rpcUrl);
    const wallet = createWalletClient({
      account: privateKeyToAccount(DEV_ACCOUNTS[3]!.privateKey),
      chain,
      transport: http(devnet.rpcUrl),
    });
    return wallet.sendTransaction({ to: DEV_ACCOUNTS[4]!.address, value: parseEther('1') });
  };

  it('delivers newHeads, pending transaction hashes and full pending transactions', async () => {
    const heads = (await client.request('eth_subscribe', ['newHeads'])).result as string;
    const hashes = (await client.request('eth_subscribe', ['newPendingTransactions'])).result as string;
    const full = (await client.request('eth_subscribe', ['newPendingTransactions', true])).result as string;
    assert.match(heads, /^0x[1-9a-f][0-9a-f]*$/);
    const hash = await send();
    const of = (id: string) =>
      client.notifications.filter((n) => n?.subscription === id).map((n) => n?.result);
    await client.until(
      () => of(heads).length > 0 && of(hashes).length > 0 && of(full).length > 0,
      'notifications',
    );
    assert.equal(of(hashes)[0], hash);
    assert.equal((of(full)[0] as { hash: string }).hash, hash);
    const head = of(heads)[0] as { number: string; hash: string; transactions?: unknown };
    assert.match(head.hash, /^0x[0-9a-f]{64}$/);
    assert.equal(head.transactions, undefined, 'a header, not a block');
    for (const id of [heads, hashes, full])
      assert.equal((await client.request('eth_unsubscribe', [id])).result, true);
    assert.equal((await client.request('eth_unsubscribe', [heads])).result, false, 'already gone');
  });

  it('delivers only the logs that match', async () => {
    const none = (await client.request('eth_subscribe', ['logs', { address: `0x${'00'.repeat(19)}01` }]))
      .result as string;
    const before = client.notifications.length;
    await send();
    // A transfer emits no log at all; a block arrives, nothing for the filter.
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(client.notifications.slice(before).filter((n) => n?.subscription === none).length, 0);
    await client.request('eth_unsubscribe', [none]);
  });

  it('answers bad requests on the connection and keeps it open', async () => {
    assert.equal((await client.request('eth_subscribe', ['nonsense'])).error?.code, -32602);
    assert.equal((await client.raw('{not json')).error?.code, -32700);
    assert.equal((await client.request('no_such_method')).error?.code, -32601);
    const batch = JSON.parse(
      JSON.stringify(
        await client.raw(
          JSON.stringify([
            { jsonrpc: '2.0', id: 1, method: 'eth_chainId' },
            { jsonrpc: '2.0', id: 2, method: 'net_version' },
          ]),
        ),
      ),
    ) as Message[];
    assert.deepEqual(
      batch.map((m) => m.result),
      ['0x3ef8', '16120'],
    );
    assert.equal((await client.request('eth_chainId')).result, '0x3ef8');
  });

  it('closes a connection that sends a message over 5 MB with 1009, and serves new ones', async () => {
    const big = await WsClient.connect(devnet.wsUrl);
    const huge = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'web3_sha3',
      params: [`0x${'ab'.repeat(3 * 1024 * 1024)}`],
    });
    assert.equal(await big.closedBy(huge), 1009);
    const fresh = await WsClient.connect(devnet.wsUrl);
    assert.equal((await fresh.request('eth_chainId')).result, '0x3ef8');
    fresh.close();
  });
});
