// What the node tests use to talk to a devnet: raw JSON-RPC, and the chain for viem.
import { type Chain, defineChain } from 'viem';

export interface RpcReply<T = unknown> {
  result?: T;
  error?: { code: number; message: string; data?: unknown };
}

/** One JSON-RPC request over HTTP; the reply as it came. */
export async function rpcRequest<T = unknown>(
  url: string,
  method: string,
  params: unknown[] = [],
): Promise<RpcReply<T>> {
  const res = await fetch(url, {
    method: 'POST',
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  return (await res.json()) as RpcReply<T>;
}

/** One JSON-RPC request; its result, or an Error naming the method. */
export async function rpcResult<T = unknown>(
  url: string,
  method: string,
  params: unknown[] = [],
): Promise<T> {
  const reply = await rpcRequest<T>(url, method, params);
  if (reply.error !== undefined) throw new Error(`${method}: ${reply.error.message}`);
  return reply.result as T;
}

export function devnetChain(url: string): Chain {
  return defineChain({
    id: 16120,
    name: 'OpenLedger devnet',
    nativeCurrency: { name: 'OPEN', symbol: 'OPEN', decimals: 18 },
    rpcUrls: { default: { http: [url] } },
  });
}
