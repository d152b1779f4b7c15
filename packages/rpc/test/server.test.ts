import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createSilentLogger } from '@openledger/core';
import type { RpcBackend } from '../src/backend.js';
import { defaultRpcLimits, RpcContext } from '../src/context.js';
import { RpcHandler } from '../src/handler.js';
import { defaultRpcServerOptions, hostAllowed, type RpcServer, startRpcServer } from '../src/server.js';

describe('hostAllowed', () => {
  it('takes IP literals always, names only when listed', () => {
    assert.equal(hostAllowed('127.0.0.1:8545', ['localhost']), true);
    assert.equal(hostAllowed('[::1]:8545', ['localhost']), true);
    assert.equal(hostAllowed('localhost:8545', ['localhost']), true);
    assert.equal(hostAllowed('LOCALHOST', ['localhost']), true);
    assert.equal(hostAllowed('evil.example:8545', ['localhost']), false);
    assert.equal(hostAllowed(undefined, ['localhost']), false);
    assert.equal(hostAllowed('evil.example', ['*']), true);
  });
});

describe('RPC server limits', () => {
  let server: RpcServer;
  let release: () => void = () => {};

  before(async () => {
    const handler = new RpcHandler(
      [
        {
          echo: (params) => params[0],
          // Holds the request until the test releases it.
          slow: () =>
            new Promise((resolve) => {
              release = () => resolve('done');
            }),
        },
      ],
      createSilentLogger(),
    );
    const ctx = new RpcContext({} as RpcBackend, defaultRpcLimits);
    server = await startRpcServer(
      { ...defaultRpcServerOptions, port: 0, maxConnectionsPerClient: 3, maxRequestsInFlight: 1 },
      handler,
      ctx,
      createSilentLogger(),
    );
  });

  after(async () => {
    release();
    await server?.close();
  });

  const post = (body: string, host?: string) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: server.port,
          method: 'POST',
          path: '/',
          headers: host === undefined ? {} : { host },
          agent: false,
        },
        (res) => {
          let text = '';
          res.on('data', (d) => (text += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  it('refuses a Host name it does not know with 403 (DNS rebinding)', async () => {
    const body = '{"jsonrpc":"2.0","id":1,"method":"echo","params":[7]}';
    assert.equal((await post(body, 'evil.example')).status, 403);
    assert.equal((await post(body, `localhost:${server.port}`)).status, 200);
    assert.equal(JSON.parse((await post(body)).text).result, 7);
  });

  it('answers 503 past the requests in flight, and serves again after', async () => {
    const slow = post('{"jsonrpc":"2.0","id":1,"method":"slow"}');
    await new Promise((r) => setTimeout(r, 100));
    const refused = await post('{"jsonrpc":"2.0","id":2,"method":"echo","params":[1]}');
    assert.equal(refused.status, 503);
    assert.equal(JSON.parse(refused.text).error.code, -32005);
    release();
    assert.equal(JSON.parse((await slow).text).result, 'done');
    assert.equal((await post('{"jsonrpc":"2.0","id":3,"method":"echo","params":[1]}')).status, 200);
  });

  it('closes connections from one client past its limit', async () => {
    const sockets = await Promise.all(
      [0, 1, 2, 3].map(
        () =>
          new Promise<{ closed: Promise<boolean> }>((resolve) => {
            const socket = connect(server.port, '127.0.0.1', () => {
              const closed = new Promise<boolean>((done) => {
                socket.once('close', () => done(true));
                setTimeout(() => done(false), 500);
              });
              resolve({ closed });
            });
            socket.on('error', () => {});
            setTimeout(() => socket.destroy(), 700);
          }),
      ),
    );
    const closed = await Promise.all(sockets.map((s) => s.closed));
    assert.equal(closed.filter(Boolean).length, 1, 'one of four connections over a limit of three is closed');
  });
});
