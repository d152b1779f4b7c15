// Raw JSON-RPC over fetch, for tests that must see the exact wire-level answer (status, code, data).

export interface JsonRpcError {
  code: number;
  message: string;
  data?: unknown;
}

export interface JsonRpcResponse<T = unknown> {
  jsonrpc: string;
  id: unknown;
  result?: T;
  error?: JsonRpcError;
}

export interface RawResponse {
  status: number;
  text: string;
  /** The parsed body, `undefined` when it is not JSON. */
  json: unknown;
}

/** POSTs `body` as is with a JSON content type. */
export async function postRaw(
  url: string,
  body: string | Uint8Array,
  timeoutMs = 10_000,
): Promise<RawResponse> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json };
}

let nextId = 1;

/** One JSON-RPC call; returns the whole response object, error included. */
export async function rpc<T = unknown>(
  url: string,
  method: string,
  params: unknown[] = [],
): Promise<JsonRpcResponse<T>> {
  const raw = await postRaw(url, JSON.stringify({ jsonrpc: '2.0', id: nextId++, method, params }));
  if (raw.json === undefined || typeof raw.json !== 'object' || raw.json === null) {
    throw new Error(`${method}: HTTP ${raw.status}, not a JSON-RPC response: ${raw.text.slice(0, 500)}`);
  }
  return raw.json as JsonRpcResponse<T>;
}

/** One JSON-RPC call that must succeed; returns its result. */
export async function rpcResult<T = unknown>(
  url: string,
  method: string,
  params: unknown[] = [],
): Promise<T> {
  const res = await rpc<T>(url, method, params);
  if (res.error !== undefined) {
    throw new Error(
      `${method}(${JSON.stringify(params).slice(0, 300)}) failed: ${JSON.stringify(res.error)}`,
    );
  }
  return res.result as T;
}

/** A receipt as the node sends it (hex quantities). */
export interface RpcReceipt {
  transactionHash: string;
  blockHash: string;
  blockNumber: string;
  status: string;
  gasUsed: string;
  logs: unknown[];
  contractAddress: string | null;
}

/** Several calls in one JSON-RPC batch (one HTTP round trip); answers in call order, errors included. */
export async function rpcBatch(
  url: string,
  calls: [method: string, params: unknown[]][],
): Promise<JsonRpcResponse[]> {
  const first = nextId;
  nextId += calls.length;
  const body = calls.map(([method, params], i) => ({ jsonrpc: '2.0', id: first + i, method, params }));
  const raw = await postRaw(url, JSON.stringify(body));
  if (!Array.isArray(raw.json))
    throw new Error(`batch: HTTP ${raw.status}, not a batch response: ${raw.text.slice(0, 500)}`);
  const byId = new Map((raw.json as JsonRpcResponse[]).map((r) => [r.id, r]));
  return calls.map((_, i) => {
    const res = byId.get(first + i);
    if (res === undefined) throw new Error(`batch: no answer for entry ${i}`);
    return res;
  });
}
