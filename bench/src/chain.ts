// Chain reads the benchmark needs: chain id, nonces, receipts; every wait bounded.
import type { Address, Hex } from 'viem';
import type { RpcClient } from './rpc.js';
import { Deadline, mapBounded, sleep } from './timing.js';

export type Receipt = {
  transactionHash: Hex;
  status: Hex;
  gasUsed: Hex;
  blockNumber: Hex;
  contractAddress?: Address | null;
};

export async function chainId(client: RpcClient): Promise<number> {
  return Number(await client.request<Hex>('eth_chainId'));
}

export async function nonces(client: RpcClient, addresses: readonly Address[], tag: 'latest' | 'pending') {
  return mapBounded(addresses, 16, async (address) =>
    Number(await client.request<Hex>('eth_getTransactionCount', [address, tag])),
  );
}

export async function waitForReceipt(client: RpcClient, hash: Hex, timeoutMs: number): Promise<Receipt> {
  const deadline = new Deadline(timeoutMs);
  while (!deadline.expired) {
    const receipt = await client.request<Receipt | null>('eth_getTransactionReceipt', [hash]);
    if (receipt !== null) return receipt;
    await sleep(50);
  }
  throw new Error(`no receipt for ${hash} within ${timeoutMs} ms`);
}
