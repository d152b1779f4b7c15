// viem clients on a test devnet, shared by the viem tests: HTTP (recording the
// methods each request carries), WebSocket, and the steps most tests take.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { type DevnetHandle, startDevnet } from '@openledger/test-utils';
import {
  type Address,
  type Chain,
  createPublicClient,
  createWalletClient,
  erc20Abi,
  type Hash,
  type HttpTransport,
  http,
  type PublicClient,
  type WalletClient,
  type WebSocketTransport,
  webSocket,
} from 'viem';
import { type PrivateKeyAccount, privateKeyToAccount } from 'viem/accounts';
import { devAccount } from './accounts.js';
import { devnetChain } from './chain.js';
import { START_TIMEOUT, STOP_TIMEOUT, stopTestDevnet } from './devnet.js';
import { testToken } from './token.js';

/** Receipts are waited for at most this long. */
export const WAIT = 15_000;
export const SUPPLY = 1_000_000n * 10n ** 18n;

function recordMethods(body: unknown, into: string[]): void {
  if (typeof body !== 'string') return;
  const parsed = JSON.parse(body) as { method: string } | { method: string }[];
  for (const request of Array.isArray(parsed) ? parsed : [parsed]) into.push(request.method);
}

export interface ViemClients {
  account: PrivateKeyAccount;
  publicClient: PublicClient<HttpTransport, Chain>;
  walletClient: WalletClient<HttpTransport, Chain, PrivateKeyAccount>;
  wsClient: PublicClient<WebSocketTransport, Chain>;
}

/** Clients of the first dev account; every HTTP request's methods are appended to `methods`. */
export function createClients(devnet: DevnetHandle, methods: string[]): ViemClients {
  const chain = devnetChain(devnet);
  const account = privateKeyToAccount(devAccount(0).privateKey);
  const transport = http(devnet.rpcUrl, {
    retryCount: 0,
    timeout: 10_000,
    onFetchRequest: (_request, init) => recordMethods(init.body, methods),
  });
  return {
    account,
    publicClient: createPublicClient({ chain, transport, pollingInterval: 100 }),
    walletClient: createWalletClient({ account, chain, transport, pollingInterval: 100 }),
    wsClient: createPublicClient({
      chain,
      transport: webSocket(devnet.wsUrl, { retryCount: 0, reconnect: false }),
    }),
  };
}

/** Waits for `hash` and asserts it succeeded. */
export async function mined(c: ViemClients, hash: Hash) {
  const receipt = await c.publicClient.waitForTransactionReceipt({
    hash,
    timeout: WAIT,
    pollingInterval: 50,
  });
  assert.equal(receipt.status, 'success', `status of ${hash}`);
  return receipt;
}

/** Deploys the test ERC-20 (the whole supply to the first dev account). */
export async function deployTestToken(c: ViemClients) {
  const token = testToken();
  const hash = await c.walletClient.deployContract({
    abi: token.abi,
    bytecode: token.bytecode,
    args: ['Test Token', 'TST', SUPPLY],
  });
  return mined(c, hash);
}

/** Sends `value` tokens of `token` from the first dev account to `to`. */
export async function sendTokens(c: ViemClients, token: Address, to: Address, value: bigint) {
  const hash = await c.walletClient.writeContract({
    address: token,
    abi: erc20Abi,
    functionName: 'transfer',
    args: [to, value],
  });
  return mined(c, hash);
}

/**
 * Registers the suite's hooks: a devnet (automine) and its clients before
 * the tests, handed to `ready`; both stopped after them.
 */
export function withViemDevnet(
  methods: string[],
  ready: (c: ViemClients, devnet: DevnetHandle) => Promise<void> | void,
): void {
  let devnet: DevnetHandle | undefined;
  let c: ViemClients | undefined;
  before(
    async () => {
      devnet = await startDevnet({ blockTime: 0 });
      c = createClients(devnet, methods);
      await ready(c, devnet);
    },
    { timeout: START_TIMEOUT },
  );
  after(
    async () => {
      if (c !== undefined) (await c.wsClient.transport.getRpcClient().catch(() => undefined))?.close();
      await stopTestDevnet(devnet);
    },
    { timeout: STOP_TIMEOUT },
  );
}
