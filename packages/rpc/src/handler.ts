// JSON-RPC 2.0 request handling, independent of the transport: validation of
// the envelope, dispatch to the method table, errors mapped in one place.
import type { Logger } from '@openledger/core';
import type { MethodTable } from './context.js';
import { InvalidRequestError, MethodNotFoundError, type RpcError, toRpcError } from './errors.js';
import type { RpcMetrics } from './metrics.js';

export type JsonRpcId = string | number | null;

export interface JsonRpcResponse {
  jsonrpc: '2.0';
  id: JsonRpcId;
  result?: unknown;
  error?: ReturnType<RpcError['toJSON']>;
}

export function errorResponse(id: JsonRpcId, err: RpcError): JsonRpcResponse {
  return { jsonrpc: '2.0', id, error: err.toJSON() };
}

export class RpcHandler {
  private readonly methods: Map<string, MethodTable[string]>;
  private readonly logger: Logger;
  private readonly metrics: RpcMetrics | null;
  private readonly namespaces: ReadonlySet<string> | null;

  /** `namespaces`: the method prefixes served (eth, net, ...); null serves every table given. */
  constructor(
    tables: readonly MethodTable[],
    logger: Logger,
    opts: { metrics: RpcMetrics | null; namespaces: ReadonlySet<string> | null } = {
      metrics: null,
      namespaces: null,
    },
  ) {
    this.namespaces = opts.namespaces;
    this.methods = new Map(tables.flatMap((t) => Object.entries(t)).filter(([name]) => this.enabled(name)));
    this.logger = logger;
    this.metrics = opts.metrics;
  }

  private enabled(method: string): boolean {
    return this.namespaces === null || this.namespaces.has(method.slice(0, method.indexOf('_')));
  }

  has(method: string): boolean {
    return this.methods.has(method);
  }

  get methodNames(): string[] {
    return [...this.methods.keys()].sort();
  }

  /**
   * Handles one request object. Returns undefined for a notification (no id),
   * which gets no response.
   */
  async handle(request: unknown, extra?: MethodTable): Promise<JsonRpcResponse | undefined> {
    if (typeof request !== 'object' || request === null || Array.isArray(request)) {
      return errorResponse(null, new InvalidRequestError('invalid request: expected an object'));
    }
    const req = request as Record<string, unknown>;
    const id = req.id;
    const validId =
      id === undefined ||
      id === null ||
      typeof id === 'string' ||
      (typeof id === 'number' && Number.isFinite(id));
    if (!validId)
      return errorResponse(
        null,
        new InvalidRequestError('invalid request: id must be a string, number or null'),
      );
    const responseId = (id ?? null) as JsonRpcId;
    if (req.jsonrpc !== '2.0')
      return errorResponse(responseId, new InvalidRequestError('invalid request: jsonrpc must be "2.0"'));
    if (typeof req.method !== 'string')
      return errorResponse(responseId, new InvalidRequestError('invalid request: method must be a string'));
    const params = req.params ?? [];
    if (!Array.isArray(params)) {
      return errorResponse(responseId, new InvalidRequestError('invalid request: params must be an array'));
    }
    const method = req.method;
    // hasOwn: a method named "constructor" or "__proto__" must not reach Object's prototype.
    const own = extra !== undefined && Object.hasOwn(extra, method) && this.enabled(method);
    const fn = (own ? extra[method] : undefined) ?? this.methods.get(method);
    // Unknown names are one label, so a client cannot grow the metric without bound.
    const label = fn === undefined ? 'unknown' : method;
    const started = performance.now();
    let response: JsonRpcResponse;
    if (fn === undefined) {
      response = errorResponse(responseId, new MethodNotFoundError(method.slice(0, 100)));
    } else {
      try {
        response = { jsonrpc: '2.0', id: responseId, result: await fn(params) };
      } catch (err) {
        const rpcError = toRpcError(err);
        if (rpcError.code === -32603)
          this.logger.error({ err, method, id: responseId }, 'internal error in RPC method');
        else
          this.logger.debug(
            { method, id: responseId, code: rpcError.code, message: rpcError.message },
            'RPC error',
          );
        response = errorResponse(responseId, rpcError);
      }
    }
    if (this.logger.isLevelEnabled('trace')) {
      this.logger.trace({ method, id: responseId, ms: performance.now() - started }, 'RPC request');
    }
    if (this.metrics !== null) {
      const outcome = response.error === undefined ? 'ok' : String(response.error.code);
      this.metrics.requests.inc({ method: label, outcome });
      this.metrics.duration.observe({ method: label }, (performance.now() - started) / 1000);
    }
    return id === undefined ? undefined : response;
  }
}
