import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TestUtilsError } from '../src/errors.js';
import { freePort } from '../src/free-port.js';
import { spawnManaged } from '../src/managed-process.js';
import { OutputTail } from '../src/output-tail.js';
import { waitForRpc } from '../src/rpc-ready.js';

describe('freePort', () => {
  it('returns a bindable port', async () => {
    const port = await freePort();
    assert.ok(port > 0 && port < 65536);
  });
});

describe('OutputTail', () => {
  it('keeps only the last bytes', () => {
    const tail = new OutputTail(10);
    for (let i = 0; i < 100; i++) tail.append(`${i % 10}`);
    assert.equal(tail.text(), '0123456789');
  });
});

describe('spawnManaged and waitForRpc', () => {
  it('fails fast with the output when the process exits before answering', async () => {
    const port = await freePort();
    const proc = spawnManaged(process.execPath, [
      '-e',
      'console.log("booting"); console.error("boom"); process.exit(3)',
    ]);
    await assert.rejects(
      waitForRpc(`http://127.0.0.1:${port}`, proc, 'node -e ...', { timeoutMs: 10_000 }),
      (err) => {
        assert.ok(err instanceof TestUtilsError);
        assert.equal(err.detail.code, 'PROCESS_EXITED');
        assert.match(err.message, /booting/);
        assert.match(err.message, /boom/);
        return true;
      },
    );
    assert.equal(await proc.stop(), 3);
  });

  it('times out with the output when nothing answers', async () => {
    const port = await freePort();
    const proc = spawnManaged(process.execPath, ['-e', 'console.log("idle"); setInterval(() => {}, 1000)']);
    try {
      await assert.rejects(
        waitForRpc(`http://127.0.0.1:${port}`, proc, 'idle', { timeoutMs: 500 }),
        /did not answer[\s\S]*idle/,
      );
    } finally {
      await proc.stop('SIGTERM');
    }
  });

  it('resolves when an eth_chainId answer arrives', async () => {
    const port = await freePort();
    const server = `require('node:http').createServer((q, s) => { s.setHeader('content-type', 'application/json');
      s.end(JSON.stringify({ jsonrpc: '2.0', id: 1, result: '0x3ef8' })); }).listen(${port}, '127.0.0.1')`;
    const proc = spawnManaged(process.execPath, ['-e', server]);
    try {
      assert.equal(
        await waitForRpc(`http://127.0.0.1:${port}`, proc, 'server', { timeoutMs: 10_000 }),
        16120n,
      );
    } finally {
      assert.equal(await proc.stop('SIGTERM'), null);
    }
  });

  it('SIGKILLs a process that ignores the stop signal', async () => {
    const proc = spawnManaged(process.execPath, [
      '-e',
      'process.on("SIGINT", () => {}); console.log("ready"); setInterval(() => {}, 1000)',
    ]);
    while (!proc.output().includes('ready')) await new Promise((r) => setTimeout(r, 20));
    const started = Date.now();
    assert.equal(await proc.stop('SIGINT', 300), null);
    assert.equal(proc.exit()?.signal, 'SIGKILL');
    assert.ok(Date.now() - started < 5_000);
  });

  it('reports a binary that cannot be spawned', async () => {
    const proc = spawnManaged('/nonexistent/openledger-binary', []);
    assert.deepEqual(await proc.exited, { code: null, signal: null });
    assert.match(proc.output(), /ENOENT/);
  });
});
