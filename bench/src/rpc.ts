// Minimal JSON-RPC 2.0 client over HTTP: single requests and batches, each bounded by a timeout.
import { Agent, request as httpRequest } from 'node:http';

export const DEFAULT_RPC_TIMEOUT_MS = 30_000;

export type RpcFailureKind = 'rpc' | 'transport' | 'timeout';

/** A failed request: an error object from the server, a transport failure, or a timeout. */
export class RpcError extends Error {
  constructor(
    readonly kind: RpcFailureKind,
    readonly method: string,
    message: string,
    readonly code: number | null = null,
  ) {
    super(`${method}: ${message}`);
    this.name = 'RpcError';
  }
}

export type RpcCall = { method: string; params: readonly unknown[] };
export type RpcOutcome<T = unknown> = { ok: true; result: T } | { ok: false; error: RpcError };

type JsonRpcResponse = {
  id?: unknown;
  result?: unknown;
  error?: { code?: unknown; message?: unknown };
};

export class RpcClient {
  #nextId = 1;
  /** Connections are reused; at most this many at once (above any workload's concurrency). */
  readonly #agent = new Agent({ keepAlive: true, maxSockets: 256 });
  constructor(readonly url: string) {}

  /** Closes the kept-alive connections. */
  close(): void {
    this.#agent.destroy();
  }

  async request<T>(
    method: string,
    params: readonly unknown[] = [],
    timeoutMs = DEFAULT_RPC_TIMEOUT_MS,
  ): Promise<T> {
    const body = { jsonrpc: '2.0', id: this.#nextId++, method, params };
    const response = (await this.#post(body, method, timeoutMs)) as JsonRpcResponse;
    return unwrap<T>(response, method);
  }

  /** Sends one JSON-RPC batch; outcomes are matched back to calls by id. */
  async batch<T = unknown>(
    calls: readonly RpcCall[],
    timeoutMs = DEFAULT_RPC_TIMEOUT_MS,
  ): Promise<RpcOutcome<T>[]> {
    if (calls.length === 0) return [];
    const firstId = this.#nextId;
    this.#nextId += calls.length;
    const body = calls.map((c, i) => ({
      jsonrpc: '2.0',
      id: firstId + i,
      method: c.method,
      params: c.params,
    }));
    const label = `batch(${calls[0]?.method ?? ''} x${calls.length})`;
    const raw = await this.#post(body, label, timeoutMs);
    if (!Array.isArray(raw)) {
      const single = raw as JsonRpcResponse;
      const message = typeof single.error?.message === 'string' ? single.error.message : 'not an array';
      throw new RpcError('rpc', label, `batch rejected: ${message}`);
    }
    const byId = new Map<unknown, JsonRpcResponse>();
    for (const r of raw as JsonRpcResponse[]) byId.set(r.id, r);
    return calls.map((c, i) => {
      const r = byId.get(firstId + i);
      if (r === undefined)
        return { ok: false, error: new RpcError('rpc', c.method, 'missing from batch response') };
      try {
        return { ok: true, result: unwrap<T>(r, c.method) };
      } catch (error) {
        return { ok: false, error: error as RpcError };
      }
    });
  }

  /** Like request, but failures become values (for code that counts them instead of aborting). */
  async attempt<T>(method: string, params: readonly unknown[], timeoutMs?: number): Promise<RpcOutcome<T>> {
    try {
      return { ok: true, result: await this.request<T>(method, params, timeoutMs) };
    } catch (error) {
      if (error instanceof RpcError) return { ok: false, error };
      return { ok: false, error: new RpcError('transport', method, String(error)) };
    }
  }

  /**
   * One POST over a kept-alive connection. node:http rather than fetch: the
   * load generator shares the machine's cores with the process it measures,
   * and fetch (web streams, an abort signal per request) spent as much CPU
   * per eth_call as the node under test did.
   */
  #post(body: unknown, method: string, timeout: number): Promise<unknown> {
    const timeoutMs = Math.max(1, Math.ceil(timeout));
    const payload = JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const fail = (error: RpcError) => {
        clearTimeout(timer);
        reject(error);
      };
      const req = httpRequest(
        this.url,
        {
          method: 'POST',
          agent: this.#agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', (error) => fail(new RpcError('transport', method, describe(error))));
          res.on('end', () => {
            clearTimeout(timer);
            const text = Buffer.concat(chunks).toString('utf8');
            try {
              resolve(JSON.parse(text) as unknown);
            } catch {
              reject(
                new RpcError('transport', method, `HTTP ${res.statusCode}, not JSON: ${text.slice(0, 200)}`),
              );
            }
          });
        },
      );
      const timer = setTimeout(() => {
        req.destroy();
        fail(new RpcError('timeout', method, 'no answer before the timeout'));
      }, timeoutMs);
      req.on('error', (error) => fail(new RpcError('transport', method, describe(error))));
      req.end(payload);
    });
  }
}

function unwrap<T>(response: JsonRpcResponse, method: string): T {
  if (response.error !== undefined && response.error !== null) {
    const code = typeof response.error.code === 'number' ? response.error.code : null;
    const message = typeof response.error.message === 'string' ? response.error.message : 'unknown error';
    throw new RpcError('rpc', method, message, code);
  }
  if (!('result' in response)) throw new RpcError('rpc', method, 'response has neither result nor error');
  return response.result as T;
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
  }
  return String(error);
}
