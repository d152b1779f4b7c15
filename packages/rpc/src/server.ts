// JSON-RPC over HTTP and WebSocket on one port: body and batch limits, CORS,
// and WebSocket connections that cannot grow memory without bound.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo, isIP } from 'node:net';
import type { Logger } from '@openledger/core';
import { type WebSocket, WebSocketServer } from 'ws';
import type { RpcContext } from './context.js';
import { InvalidRequestError, LimitExceededError, ParseError } from './errors.js';
import { errorResponse, type JsonRpcResponse, type RpcHandler } from './handler.js';
import { stringifyResponse } from './json.js';
import { connectionSubscriptions } from './modules/subscriptions.js';

export interface RpcServerOptions {
  host: string;
  port: number;
  /** Largest HTTP body or WebSocket message (geth: 5 MB). */
  maxBodyBytes: number;
  /** Most requests in one batch (geth: 1,000). */
  maxBatch: number;
  /** Allowed browser origins; ['*'] allows any (a devnet, as anvil). */
  corsOrigins: string[];
  maxSubscriptionsPerConnection: number;
  /** A WebSocket client that lets this much output pile up is disconnected. */
  maxWsBufferedBytes: number;
  maxWsConnections: number;
  /** Host header names accepted (IP literals always are); ['*'] accepts any. Guards against DNS rebinding. */
  virtualHosts: string[];
  /** TCP connections one client address may hold open. */
  maxConnectionsPerClient: number;
  /** HTTP requests being handled at once; more are answered 503 at once. */
  maxRequestsInFlight: number;
}

export const defaultRpcServerOptions: RpcServerOptions = {
  host: '127.0.0.1',
  port: 8545,
  maxBodyBytes: 5 * 1024 * 1024,
  maxBatch: 1_000,
  corsOrigins: [],
  maxSubscriptionsPerConnection: 1_000,
  maxWsBufferedBytes: 16 * 1024 * 1024,
  maxWsConnections: 1_000,
  virtualHosts: ['localhost'],
  maxConnectionsPerClient: 256,
  maxRequestsInFlight: 2_048,
};

/** geth's rule: a Host header that is an IP address is fine, a name must be listed. */
export function hostAllowed(host: string | undefined, allowed: readonly string[]): boolean {
  if (allowed.includes('*')) return true;
  if (host === undefined || host === '') return false;
  const name = host.startsWith('[') ? host.slice(1, host.indexOf(']')) : host.replace(/:\d+$/, '');
  if (isIP(name) !== 0) return true;
  return allowed.some((a) => a.toLowerCase() === name.toLowerCase());
}

export interface RpcServer {
  /** The port actually bound (useful with port 0). */
  port: number;
  url: string;
  wsUrl: string;
  close(): Promise<void>;
}

/** Close code for a client that does not read its messages (RFC 6455 1008: policy violation). */
const WS_CLOSE_TOO_SLOW = 1008;

export async function startRpcServer(
  opts: RpcServerOptions,
  handler: RpcHandler,
  ctx: RpcContext,
  logger: Logger,
): Promise<RpcServer> {
  const log = logger.child({ module: 'rpc' });

  /** Handles a parsed JSON body (a request or a batch); undefined when nothing is owed. */
  const dispatch = async (body: unknown, extra?: Parameters<RpcHandler['handle']>[1]): Promise<unknown> => {
    if (!Array.isArray(body)) return handler.handle(body, extra);
    if (body.length === 0) return errorResponse(null, new InvalidRequestError('empty batch'));
    if (body.length > opts.maxBatch) {
      return errorResponse(
        null,
        new LimitExceededError(`batch too large: at most ${opts.maxBatch} requests`),
      );
    }
    // Together (JSON-RPC leaves the order to the server; the batch size bounds it): in
    // automine a batch of transactions is admitted whole and mined in one block,
    // instead of each send waiting for a block of its own.
    const responses = await Promise.all(body.map((request) => handler.handle(request, extra)));
    const out = responses.filter((r): r is JsonRpcResponse => r !== undefined);
    return out.length === 0 ? undefined : out;
  };

  const parse = (text: string): { ok: true; value: unknown } | { ok: false } => {
    try {
      return { ok: true, value: JSON.parse(text) };
    } catch {
      return { ok: false };
    }
  };

  const cors = (req: IncomingMessage, res: ServerResponse) => {
    const origin = req.headers.origin;
    if (origin === undefined || opts.corsOrigins.length === 0) return;
    if (opts.corsOrigins.includes('*')) res.setHeader('Access-Control-Allow-Origin', '*');
    else if (opts.corsOrigins.includes(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
    }
  };

  const sendJson = (res: ServerResponse, status: number, value: unknown) => {
    const body = value === undefined ? '' : stringifyResponse(value);
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  };

  const tooLarge = (res: ServerResponse) =>
    sendJson(
      res,
      413,
      errorResponse(
        null,
        new LimitExceededError(`request body too large: at most ${opts.maxBodyBytes} bytes`),
      ),
    );

  let inFlight = 0;

  const onHttp = (req: IncomingMessage, res: ServerResponse) => {
    if (!hostAllowed(req.headers.host, opts.virtualHosts)) {
      res.writeHead(403, { 'Content-Type': 'text/plain' }).end('invalid host specified\n');
      return;
    }
    cors(req, res);
    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', 'POST, GET, OPTIONS');
      res.setHeader(
        'Access-Control-Allow-Headers',
        req.headers['access-control-request-headers'] ?? 'content-type',
      );
      res.setHeader('Access-Control-Max-Age', '600');
      res.writeHead(204).end();
      return;
    }
    if (req.method === 'GET' && (req.url === '/health' || req.url === '/')) {
      sendJson(res, 200, { status: 'ok' });
      return;
    }
    if (req.method !== 'POST') {
      res.writeHead(405, { Allow: 'POST, GET, OPTIONS' }).end('method not allowed');
      return;
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > opts.maxBodyBytes) {
      tooLarge(res);
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let rejected = false;
    req.on('data', (chunk: Buffer) => {
      if (rejected) return;
      size += chunk.length;
      if (size > opts.maxBodyBytes) {
        rejected = true;
        chunks.length = 0;
        tooLarge(res);
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', () => res.destroy());
    req.on('end', () => {
      if (rejected) return;
      const parsed = parse(Buffer.concat(chunks).toString('utf8'));
      if (!parsed.ok) {
        sendJson(res, 200, errorResponse(null, new ParseError()));
        return;
      }
      if (inFlight >= opts.maxRequestsInFlight) {
        sendJson(
          res,
          503,
          errorResponse(null, new LimitExceededError('too many requests in flight, try again')),
        );
        return;
      }
      inFlight++;
      dispatch(parsed.value)
        .finally(() => {
          inFlight--;
        })
        .then((out) => sendJson(res, 200, out))
        .catch((err) => {
          log.error({ err }, 'unexpected error handling HTTP request');
          if (!res.headersSent) sendJson(res, 500, undefined);
        });
    });
  };

  const http: Server = createServer(onHttp);
  http.keepAliveTimeout = 60_000;
  const wss = new WebSocketServer({ noServer: true, maxPayload: opts.maxBodyBytes });

  // Connections per client address, counted at the TCP level (HTTP keep-alive and WebSocket alike).
  const perClient = new Map<string, number>();
  http.on('connection', (socket) => {
    const client = socket.remoteAddress ?? '';
    const open = (perClient.get(client) ?? 0) + 1;
    if (open > opts.maxConnectionsPerClient) {
      socket.destroy();
      return;
    }
    perClient.set(client, open);
    socket.once('close', () => {
      const left = (perClient.get(client) ?? 1) - 1;
      if (left <= 0) perClient.delete(client);
      else perClient.set(client, left);
    });
  });

  http.on('upgrade', (req, socket, head) => {
    if (!hostAllowed(req.headers.host, opts.virtualHosts)) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\ninvalid host specified\n');
      return;
    }
    if (wss.clients.size >= opts.maxWsConnections) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws));
  });

  const onConnection = (ws: WebSocket) => {
    const send = (value: unknown) => {
      if (ws.readyState !== ws.OPEN) return;
      if (ws.bufferedAmount > opts.maxWsBufferedBytes) {
        ws.close(WS_CLOSE_TOO_SLOW, 'client too slow: output buffer full');
        return;
      }
      ws.send(stringifyResponse(value));
    };
    const subs = connectionSubscriptions(
      ctx,
      (subscription, result) =>
        send({ jsonrpc: '2.0', method: 'eth_subscription', params: { subscription, result } }),
      opts.maxSubscriptionsPerConnection,
    );
    // Requests on one connection are answered in order, one at a time.
    let queue = Promise.resolve();
    let queued = 0;
    ws.on('message', (raw, isBinary) => {
      if (queued >= opts.maxBatch) {
        send(errorResponse(null, new LimitExceededError('too many requests in flight on this connection')));
        return;
      }
      queued++;
      const text = isBinary ? Buffer.from(raw as Buffer).toString('utf8') : raw.toString();
      queue = queue
        .then(async () => {
          const parsed = parse(text);
          const out = parsed.ok
            ? await dispatch(parsed.value, subs.methods)
            : errorResponse(null, new ParseError());
          if (out !== undefined) send(out);
        })
        .catch((err) => log.error({ err }, 'unexpected error handling WebSocket message'))
        .finally(() => {
          queued--;
        });
    });
    ws.on('close', () => subs.close());
    ws.on('error', (err) => log.debug({ err }, 'WebSocket error'));
  };

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(opts.port, opts.host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const port = (http.address() as AddressInfo).port;
  const hostForUrl = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    port,
    url: `http://${hostForUrl}:${port}`,
    wsUrl: `ws://${hostForUrl}:${port}`,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
