// A raw JSON-RPC picture of a chain (blocks, receipts, logs, state), to compare before and after a restart.
import { rpcResult } from './json-rpc.js';

export interface ChainSnapshot {
  blockNumber: string;
  blocks: unknown[];
  receipts: unknown[];
  transactions: unknown[];
  logs: unknown[];
  balances: string[];
  nonces: string[];
  code: string[];
}

export interface SnapshotQuery {
  txHashes: readonly string[];
  addresses: readonly string[];
  contracts: readonly string[];
}

export async function chainSnapshot(rpcUrl: string, query: SnapshotQuery): Promise<ChainSnapshot> {
  const blockNumber = await rpcResult<string>(rpcUrl, 'eth_blockNumber');
  const blocks: unknown[] = [];
  for (let n = 0n; n <= BigInt(blockNumber); n++) {
    blocks.push(await rpcResult(rpcUrl, 'eth_getBlockByNumber', [`0x${n.toString(16)}`, true]));
  }
  const each = <T>(items: readonly string[], method: string, extra: unknown[] = []) =>
    Promise.all(items.map((item) => rpcResult<T>(rpcUrl, method, [item, ...extra])));
  return {
    blockNumber,
    blocks,
    receipts: await each(query.txHashes, 'eth_getTransactionReceipt'),
    transactions: await each(query.txHashes, 'eth_getTransactionByHash'),
    logs: await rpcResult(rpcUrl, 'eth_getLogs', [{ fromBlock: '0x0', toBlock: blockNumber }]),
    balances: await each<string>(query.addresses, 'eth_getBalance', [blockNumber]),
    nonces: await each<string>(query.addresses, 'eth_getTransactionCount', [blockNumber]),
    code: await each<string>(query.contracts, 'eth_getCode', [blockNumber]),
  };
}
