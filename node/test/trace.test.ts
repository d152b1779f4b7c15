// debug_trace* against contracts whose traces can be worked out by hand: a
// call tree two deep, a revert inside a nested call, storage writes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { compileSolidity, DEV_ACCOUNTS, type DevnetHandle, startDevnet } from '@openledger/test-utils';
import {
  type Address,
  createPublicClient,
  createWalletClient,
  encodeFunctionData,
  type Hash,
  http,
  type PublicClient,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { devnetChain, rpcRequest } from './support/devnet-client.js';
import { assertConforms } from './support/spec.js';

const SOURCE = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;
contract Inner {
    uint256 public value;
    function set(uint256 v) external { value = v; }
    function fail() external pure { revert("nope"); }
}
contract Outer {
    function go(Inner inner, uint256 v) external { inner.set(v); }
    function tryFail(Inner inner) external returns (bool ok) {
        (ok, ) = address(inner).call(abi.encodeCall(Inner.fail, ()));
    }
}`;

interface Frame {
  type: string;
  from: string;
  to: string;
  input: string;
  gasUsed: string;
  error?: string;
  output?: string;
  calls?: Frame[];
}

describe('debug_trace*', { timeout: 60_000 }, () => {
  let devnet: DevnetHandle;
  let pub: PublicClient;
  let inner: Address;
  let outer: Address;
  let goTx: Hash;
  let failTx: Hash;
  let loopTx: Hash;
  const alice = privateKeyToAccount(DEV_ACCOUNTS[0]!.privateKey);
  const contracts = compileSolidity({ 'Trace.sol': SOURCE });
  const rpc = (method: string, params: unknown[] = []) => rpcRequest(devnet.rpcUrl, method, params);

  before(async () => {
    devnet = await startDevnet({ blockTime: 0 });
    const chain = devnetChain(devnet.rpcUrl);
    pub = createPublicClient({ chain, transport: http(devnet.rpcUrl) });
    const wallet = createWalletClient({ account: alice, chain, transport: http(devnet.rpcUrl) });
    const deploy = async (name: string) => {
      const c = contracts[name]!;
      const hash = await wallet.deployContract({ abi: c.abi, bytecode: c.bytecode });
      return (await pub.waitForTransactionReceipt({ hash })).contractAddress!;
    };
    inner = await deploy('Inner');
    outer = await deploy('Outer');
    goTx = await wallet.sendTransaction({
      to: outer,
      data: encodeFunctionData({ abi: contracts.Outer!.abi, functionName: 'go', args: [inner, 5n] }),
    });
    failTx = await wallet.sendTransaction({
      to: outer,
      data: encodeFunctionData({ abi: contracts.Outer!.abi, functionName: 'tryFail', args: [inner] }),
    });
    // A creation whose init code loops until its gas runs out: JUMPDEST PUSH0 JUMP.
    loopTx = await wallet.sendTransaction({ data: '0x5b5f56', gas: 1_000_000n });
    for (const hash of [goTx, failTx, loopTx]) await pub.waitForTransactionReceipt({ hash });
  });

  after(async () => {
    await devnet?.stop();
  });

  it('callTracer: a call tree two deep, with the calldata of each frame', async () => {
    const root = (await rpc('debug_traceTransaction', [goTx, { tracer: 'callTracer' }])).result as Frame;
    const receipt = await pub.getTransactionReceipt({ hash: goTx });
    assert.equal(root.type, 'CALL');
    assert.equal(root.from.toLowerCase(), alice.address.toLowerCase());
    assert.equal(root.to.toLowerCase(), outer.toLowerCase());
    assert.equal(BigInt(root.gasUsed), receipt.gasUsed, 'the top frame reports the transaction gas');
    assert.equal(root.calls?.length, 1);
    const call = root.calls![0]!;
    assert.equal(call.type, 'CALL');
    assert.equal(call.from.toLowerCase(), outer.toLowerCase());
    assert.equal(call.to.toLowerCase(), inner.toLowerCase());
    assert.equal(
      call.input,
      encodeFunctionData({ abi: contracts.Inner!.abi, functionName: 'set', args: [5n] }),
    );
    assert.equal(call.error, undefined);
    const top = (
      await rpc('debug_traceTransaction', [
        goTx,
        { tracer: 'callTracer', tracerConfig: { onlyTopCall: true } },
      ])
    ).result as Frame;
    assert.equal(top.calls, undefined);
  });

  it('callTracer: a revert inside a nested call is the inner frame error; the outer call succeeds', async () => {
    const root = (await rpc('debug_traceTransaction', [failTx, { tracer: 'callTracer' }])).result as Frame;
    assert.equal(root.error, undefined);
    const inside = root.calls![0]!;
    assert.equal(inside.error, 'execution reverted');
    // Error(string) "nope".
    assert.match(inside.output ?? '', /^0x08c379a0/);
  });

  it('opcode logger: steps from pc 0, gas only going down at each depth, the SSTORE one call deep', async () => {
    const trace = (await rpc('debug_traceTransaction', [goTx])).result as {
      gas: number;
      failed: boolean;
      structLogs: { pc: number; op: string; gas: number; gasCost: number; depth: number; stack?: string[] }[];
    };
    assertConforms('debug_traceTransaction', [goTx], trace);
    const receipt = await pub.getTransactionReceipt({ hash: goTx });
    assert.equal(BigInt(trace.gas), receipt.gasUsed);
    assert.equal(trace.failed, false);
    const logs = trace.structLogs;
    assert.deepEqual([logs[0]!.pc, logs[0]!.op, logs[0]!.depth], [0, 'PUSH1', 1]);
    const sstore = logs.filter((l) => l.op === 'SSTORE');
    assert.equal(sstore.length, 1);
    assert.equal(sstore[0]!.depth, 2);
    assert.equal(sstore[0]!.stack?.at(-2), '0x5', 'SSTORE(slot 0, value 5): value below the slot');
    for (let i = 1; i < logs.length; i++) {
      if (logs[i]!.depth === logs[i - 1]!.depth)
        assert.ok(logs[i]!.gas <= logs[i - 1]!.gas, `gas rises at step ${i}`);
    }
    const limited = (await rpc('debug_traceTransaction', [goTx, { limit: 5, disableStack: true }]))
      .result as { structLogs: { stack?: unknown }[] };
    assert.equal(limited.structLogs.length, 5);
    assert.equal(limited.structLogs[0]!.stack, undefined);
  });

  it('prestateTracer: what the transaction read, as it was before it', async () => {
    type Pre = Record<
      string,
      { balance: string; nonce?: number; code?: string; storage?: Record<string, string> }
    >;
    const pre = (await rpc('debug_traceTransaction', [goTx, { tracer: 'prestateTracer' }])).result as Pre;
    const zero = `0x${'00'.repeat(32)}`;
    assert.deepEqual(pre[inner.toLowerCase()]?.storage, { [zero]: zero }, 'value was 0 before set(5)');
    assert.ok(pre[outer.toLowerCase()]?.code?.startsWith('0x60'), 'contracts come with their code');
    const sender = pre[alice.address.toLowerCase()]!;
    assert.equal(sender.nonce, 2, 'two deployments before');
    const after = await pub.getBalance({
      address: alice.address,
      blockNumber: (await pub.getTransactionReceipt({ hash: goTx })).blockNumber,
    });
    assert.ok(BigInt(sender.balance) > after, 'the balance before paying for the transaction');
    const call = (
      await rpc('debug_traceCall', [
        { to: inner, data: encodeFunctionData({ abi: contracts.Inner!.abi, functionName: 'value' }) },
        'latest',
        { tracer: 'prestateTracer' },
      ])
    ).result as Pre;
    assert.deepEqual(call[inner.toLowerCase()]?.storage, { [zero]: `0x${'5'.padStart(64, '0')}` });
    // The run left nothing behind: the state still answers as before.
    assert.equal(await pub.getStorageAt({ address: inner, slot: '0x0' }), `0x${'5'.padStart(64, '0')}`);
  });

  it('traceCall and traceBlockByNumber', async () => {
    const view = (
      await rpc('debug_traceCall', [
        { to: inner, data: encodeFunctionData({ abi: contracts.Inner!.abi, functionName: 'value' }) },
        'latest',
        { tracer: 'callTracer' },
      ])
    ).result as Frame;
    assert.equal(BigInt(view.output!), 5n);
    const receipt = await pub.getTransactionReceipt({ hash: goTx });
    const block = (
      await rpc('debug_traceBlockByNumber', [
        `0x${receipt.blockNumber.toString(16)}`,
        { tracer: 'callTracer' },
      ])
    ).result as { txHash: string; result: Frame }[];
    assert.deepEqual(
      block.map((b) => b.txHash),
      [goTx],
    );
    assert.equal(block[0]!.result.calls?.length, 1);
  });

  it('traceCall with geth’s stateOverrides and blockOverrides', async () => {
    const probe = '0x00000000000000000000000000000000000c0de9';
    // NUMBER PUSH0 MSTORE PUSH1 32 PUSH0 RETURN: returns the block number the call runs in.
    const view = (
      await rpc('debug_traceCall', [
        { to: probe },
        'latest',
        {
          tracer: 'callTracer',
          stateOverrides: { [probe]: { code: '0x435f5260205ff3' } },
          blockOverrides: { number: '0x4d2' },
        },
      ])
    ).result as Frame;
    assert.equal(BigInt(view.output!), 1234n);
    const bad = await rpc('debug_traceCall', [{ to: probe }, 'latest', { stateOverrides: { [probe]: 7 } }]);
    assert.equal(bad.error?.code, -32602);
  });

  it('traces a REVERT of memory far out of reach as out of gas, without allocating it', async () => {
    const probe = '0x00000000000000000000000000000000000c0dea';
    // PUSH1 1 PUSH5 2^32 REVERT, and PUSH1 1 PUSH32 2^256-1 REVERT: no gas pays for that memory.
    for (const code of ['0x6001640100000000fd', `0x60017f${'ff'.repeat(32)}fd`]) {
      for (const tracer of [undefined, 'prestateTracer', 'callTracer']) {
        const reply = await rpc('debug_traceCall', [
          { to: probe, gas: '0x30000' },
          'latest',
          { tracer, stateOverrides: { [probe]: { code } } },
        ]);
        assert.equal(reply.error, undefined, `${tracer ?? 'opcode logger'}: ${JSON.stringify(reply.error)}`);
        if (tracer === undefined) {
          const trace = reply.result as { failed: boolean; structLogs: { op: string }[] };
          assert.equal(trace.failed, true);
          assert.equal(trace.structLogs.at(-1)?.op, 'REVERT');
        }
        if (tracer === 'callTracer') assert.equal((reply.result as Frame).error, 'out of gas');
      }
    }
  });

  it('traceBlockByNumber: transactions of one block traced in order, each on what the one before left', async () => {
    const chain = devnetChain(devnet.rpcUrl);
    const wallet = createWalletClient({ account: alice, chain, transport: http(devnet.rpcUrl) });
    const nonce = await pub.getTransactionCount({ address: alice.address, blockTag: 'pending' });
    const values = [7n, 8n, 9n];
    const raws = await Promise.all(
      values.map((v, i) =>
        wallet.signTransaction({
          to: outer,
          nonce: nonce + i,
          gas: 200_000n,
          maxFeePerGas: 10_000_000_000n,
          maxPriorityFeePerGas: 1n,
          data: encodeFunctionData({ abi: contracts.Outer!.abi, functionName: 'go', args: [inner, v] }),
        }),
      ),
    );
    // One JSON-RPC batch: the devnet admits it whole and mines it in one block.
    const response = await fetch(devnet.rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(
        raws.map((raw, id) => ({ jsonrpc: '2.0', id, method: 'eth_sendRawTransaction', params: [raw] })),
      ),
    });
    const hashes = ((await response.json()) as { result: Hash }[]).map((r) => r.result);
    const receipts = await Promise.all(hashes.map((hash) => pub.waitForTransactionReceipt({ hash })));
    assert.equal(new Set(receipts.map((r) => r.blockNumber)).size, 1, 'one block');
    const number = `0x${receipts[0]!.blockNumber.toString(16)}`;
    const reply = await rpc('debug_traceBlockByNumber', [number, { tracer: 'callTracer' }]);
    assert.equal(reply.error, undefined, JSON.stringify(reply.error));
    const calls = reply.result as {
      txHash: string;
      result: Frame;
    }[];
    assert.deepEqual(
      calls.map((c) => c.txHash),
      hashes,
    );
    assert.deepEqual(
      calls.map((c) => BigInt(`0x${c.result.calls![0]!.input.slice(10)}`)),
      values,
    );
    type Pre = Record<string, { storage?: Record<string, string> }>;
    const preReply = await rpc('debug_traceBlockByNumber', [number, { tracer: 'prestateTracer' }]);
    assert.equal(preReply.error, undefined, JSON.stringify(preReply.error));
    const pre = preReply.result as { result: Pre }[];
    const slot0 = (p: Pre) => BigInt(p[inner.toLowerCase()]?.storage?.[`0x${'0'.repeat(64)}`] ?? '0x0');
    assert.deepEqual(
      pre.map((p) => slot0(p.result)),
      [5n, 7n, 8n],
      'each transaction read what the previous one wrote',
    );
  });

  it('stops a trace at its timeout (geth’s, 5 s unless the config names one)', async () => {
    const whole = (await rpc('debug_traceTransaction', [loopTx, { tracer: 'callTracer' }])).result as Frame;
    assert.equal(whole.error, 'out of gas');
    const cut = await rpc('debug_traceTransaction', [loopTx, { tracer: 'callTracer', timeout: '1ms' }]);
    assert.deepEqual(cut.error, { code: -32000, message: 'execution timeout' });
    for (const timeout of ['soon', '5', '-1s', '2h']) {
      const bad = await rpc('debug_traceTransaction', [loopTx, { timeout }]);
      assert.equal(bad.error?.code, -32602, timeout);
    }
  });

  it('refuses an opcode trace too large to send, and stays up', async () => {
    // PUSH2 0x8000 MLOAD POP (32 KiB of memory), then JUMPDEST PUSH1 5 JUMP until the gas runs out:
    // some 8,500 steps, each showing 1,025 memory words when enableMemory asks for them.
    const probe = '0x00000000000000000000000000000000000c0deb';
    const call = (config: Record<string, unknown>) =>
      rpc('debug_traceCall', [
        { to: probe, gas: '0xea60' },
        'latest',
        { ...config, stateOverrides: { [probe]: { code: '0x61800051505b600556' } } },
      ]);
    const small = (await call({ enableMemory: true, limit: 5 })).result as {
      structLogs: { memory?: string[] }[];
    };
    assert.equal(small.structLogs.length, 5);
    assert.equal(small.structLogs[4]!.memory?.length, 1_025, 'every word of memory, as geth shows it');
    // Every step carrying those words would be gigabytes of JSON: refused at the node's bound.
    const huge = await call({ enableMemory: true });
    assert.equal(huge.error?.code, -32000);
    assert.match(huge.error?.message ?? '', /256 MiB/);
    // Without memory the same run is an ordinary trace.
    const plain = (await call({})).result as { failed: boolean; structLogs: unknown[] };
    assert.equal(plain.failed, true);
    assert.ok(plain.structLogs.length > 8_000, `${plain.structLogs.length} steps`);
  });

  it('bounds a call trace whose frames all pass the same memory, and traces its top call', async () => {
    // PUSH3 2^18 MLOAD POP (256 KiB of memory), then STATICCALL 0xdead with all of it as input, in a loop:
    // a warm call costs 100 gas whatever its input, so the frames' inputs outgrow their gas.
    const probe = '0x00000000000000000000000000000000000c0dec';
    const call = (gas: string, config: Record<string, unknown>) =>
      rpc('debug_traceCall', [
        { to: probe, gas },
        'latest',
        {
          tracer: 'callTracer',
          ...config,
          stateOverrides: { [probe]: { code: '0x6204000051505b5f5f620400005f61dead5afa50600656' } },
        },
      ]);
    const some = (await call('0x30d40', {})).result as Frame; // 200,000 gas: some 170 frames
    assert.equal(some.error, 'out of gas');
    assert.ok((some.calls?.length ?? 0) > 100, `${some.calls?.length} frames`);
    assert.equal(some.calls![0]!.input.length, 2 + 2 * 2 ** 18);
    const many = await call('0x493e0', {}); // 300,000 gas: some 950 frames of 512 KiB of hex each
    assert.equal(many.error?.code, -32000);
    assert.match(many.error?.message ?? '', /256 MiB/);
    const topReply = await call('0x493e0', { tracerConfig: { onlyTopCall: true } });
    assert.equal(topReply.error, undefined, JSON.stringify(topReply.error));
    const top = topReply.result as Frame;
    assert.equal(top.calls, undefined);
    assert.equal(top.error, 'out of gas');
  });

  it('refuses what it does not trace', async () => {
    assert.equal(
      (await rpc('debug_traceTransaction', [goTx, { tracer: '4byteTracer' }])).error?.code,
      -32602,
    );
    assert.equal((await rpc('debug_traceTransaction', [`0x${'12'.repeat(32)}`])).error?.code, -32000);
  });
});
