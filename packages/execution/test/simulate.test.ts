import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Address, bytesToHex, createAddressFromString, hexToBytes } from '@ethereumjs/util';
import { sha256 } from '@noble/hashes/sha2.js';
import type { CallRequest, SimulatedBlockSpec, SimulateRequest } from '@openledger/core';
import { CallExecutor, defaultCallLimits } from '../src/calls.js';
import { planBlocks, SimulationError } from '../src/simulate.js';
import { accounts, blankCall, openDevChain } from './helpers.js';

const [alice, bob] = accounts as [(typeof accounts)[0], (typeof accounts)[0]];
const ALICE = createAddressFromString(alice.address);
const BOB = createAddressFromString(bob.address);
const ETHER = '0xeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee';
const word = (hex: string) => `0x${hex.replace(/^0x/, '').padStart(64, '0')}`;

function call(fields: Partial<CallRequest> & { from: Address }): CallRequest {
  return { ...blankCall(fields.from), ...fields };
}

function block(fields: Partial<SimulatedBlockSpec> = {}): SimulatedBlockSpec {
  return { block: {}, state: undefined, movedPrecompiles: new Map(), calls: [], ...fields };
}

function request(blocks: SimulatedBlockSpec[], opts: Partial<SimulateRequest> = {}): SimulateRequest {
  return { blocks, traceTransfers: false, validation: false, ...opts };
}

function reason(err: unknown): string {
  assert.ok(err instanceof SimulationError, `a SimulationError, not ${String(err)}`);
  return err.type.reason;
}

async function setUp() {
  const chain = await openDevChain();
  const executor = new CallExecutor(chain, defaultCallLimits);
  return { chain, executor, head: chain.head };
}

describe('planBlocks', () => {
  const base = { number: 10n, timestamp: 1_000n };

  it('numbers blocks one apart, 12 s apart, and fills gaps with empty blocks', () => {
    const plan = planBlocks(base, [
      block(),
      block({ block: { number: 14n } }),
      block({ block: { time: 1_100n } }),
    ]);
    assert.deepEqual(
      plan.map((p) => [p.number, p.timestamp, p.spec === undefined]),
      [
        [11n, 1_012n, false],
        [12n, 1_024n, true],
        [13n, 1_036n, true],
        [14n, 1_048n, false],
        [15n, 1_100n, false],
      ],
    );
  });

  it('refuses numbers or times that do not rise, and more than 256 blocks', () => {
    assert.equal(
      reason(
        catching(() =>
          planBlocks(base, [block({ block: { number: 12n } }), block({ block: { number: 12n } })]),
        ),
      ),
      'block-number-order',
    );
    assert.equal(
      reason(
        catching(() =>
          planBlocks(base, [block({ block: { time: 1_050n } }), block({ block: { time: 1_050n } })]),
        ),
      ),
      'block-timestamp-order',
    );
    assert.equal(planBlocks(base, [block({ block: { number: 266n } })]).length, 256);
    assert.equal(
      reason(catching(() => planBlocks(base, [block({ block: { number: 267n } })]))),
      'limit-exceeded',
    );
  });
});

function catching(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  assert.fail('expected a throw');
}

describe('simulateBlocks on the call executor', () => {
  it('carries state and nonces from block to block, and keeps none of it', async () => {
    const { executor, head } = await setUp();
    const send = call({ from: ALICE, to: BOB, value: 1_000n });
    const twice = request([block({ calls: [send, send] }), block({ calls: [send] })], { validation: true });
    // Validation: the base fee is the chain's next one, so the calls must pay it.
    const fee = head.header.calcNextBaseFee() * 2n;
    for (const b of twice.blocks) for (const c of b.calls) c.maxFeePerGas = fee;
    const blocks = await executor.simulate(head, twice);
    assert.deepEqual(
      blocks.map((b) => b.block.transactions.map((tx) => tx.nonce)),
      [[0n, 1n], [2n]],
    );
    assert.equal(bytesToHex(blocks[1]!.block.header.parentHash), bytesToHex(blocks[0]!.block.hash()));
    assert.equal(blocks[0]!.block.header.number, head.header.number + 1n);
    assert.equal(blocks[1]!.block.header.gasUsed, 21_000n);
    // The same request again: its nonces would clash had the first run left anything behind.
    const again = await executor.simulate(head, twice);
    assert.equal(bytesToHex(again[1]!.block.hash()), bytesToHex(blocks[1]!.block.hash()));
  });

  it('moves a precompile for its block only', async () => {
    const { executor, head } = await setUp();
    const moved = createAddressFromString('0x0000000000000000000000000000000000123456');
    const sha = createAddressFromString('0x0000000000000000000000000000000000000002');
    const input = hexToBytes('0x1234');
    const [first, second] = await executor.simulate(
      head,
      request([
        block({
          movedPrecompiles: new Map([[sha.toString(), moved]]),
          calls: [call({ from: ALICE, to: moved, data: input }), call({ from: ALICE, to: sha, data: input })],
        }),
        block({ calls: [call({ from: ALICE, to: sha, data: input })] }),
      ]),
    );
    assert.equal(bytesToHex(first!.calls[0]!.returnValue), bytesToHex(sha256(input)));
    assert.equal(bytesToHex(first!.calls[1]!.returnValue), '0x', 'no precompile left at 0x02');
    assert.equal(bytesToHex(second!.calls[0]!.returnValue), bytesToHex(sha256(input)), 'back next block');
    const after = await executor.call(head, call({ from: ALICE, to: moved, data: input }));
    assert.equal(bytesToHex(after.returnValue), '0x', 'and gone after the simulation');

    const notPrecompile = await executor
      .simulate(head, request([block({ movedPrecompiles: new Map([[BOB.toString(), moved]]) })]))
      .catch((err: unknown) => err);
    assert.equal(reason(notPrecompile), 'invalid-override');
    const twice = await executor
      .simulate(
        head,
        request([
          block({
            movedPrecompiles: new Map([
              [sha.toString(), moved],
              ['0x0000000000000000000000000000000000000003', moved],
            ]),
          }),
        ]),
      )
      .catch((err: unknown) => err);
    assert.equal(reason(twice), 'precompile-moved-twice');
  });

  it('traces ether transfers among the logs, in the order they happened', async () => {
    const { executor, head } = await setUp();
    const forwarder = createAddressFromString('0x00000000000000000000000000000000000f0f0f');
    const sink = createAddressFromString('0x00000000000000000000000000000000005e5e5e');
    const log0 = '60006000a0';
    // CALL(GAS, sink, CALLVALUE, 0, 0, 0, 0), its success flag popped.
    const forward = `600060006000600034` + `73${sink.toString().slice(2)}` + '5af150';
    // LOG0; the call; LOG0; STOP
    const runtime = hexToBytes(`0x${log0}${forward}${log0}00`);
    const [simulated] = await executor.simulate(
      head,
      request(
        [
          block({
            state: new Map([[forwarder.toString(), { code: runtime }]]),
            calls: [call({ from: ALICE, to: forwarder, value: 5n })],
          }),
        ],
        { traceTransfers: true },
      ),
    );
    const logs = simulated!.calls[0]!.logs.map(([address, topics]) => [
      bytesToHex(address),
      topics.slice(1).map((t) => bytesToHex(t)),
    ]);
    assert.deepEqual(logs, [
      [ETHER, [word(alice.address), word(forwarder.toString())]],
      [forwarder.toString(), []],
      [ETHER, [word(forwarder.toString()), word(sink.toString())]],
      [forwarder.toString(), []],
    ]);
    // The block's receipt holds the contract's own logs only.
    assert.equal(simulated!.receipts[0]!.logs.length, 2);
  });

  it('traces the ether of a creation and of a SELFDESTRUCT', async () => {
    const { executor, head } = await setUp();
    const doomed = createAddressFromString('0x00000000000000000000000000000000000d00d0');
    // SELFDESTRUCT(bob), with the balance the account was given.
    const selfdestruct = hexToBytes(`0x73${bob.address.slice(2)}ff`);
    const [simulated] = await executor.simulate(
      head,
      request(
        [
          block({
            state: new Map([[doomed.toString(), { code: selfdestruct, balance: 9n }]]),
            // An empty init code: a contract with no code, and the 7 wei it was sent.
            calls: [call({ from: ALICE, value: 7n }), call({ from: ALICE, to: doomed })],
          }),
        ],
        { traceTransfers: true },
      ),
    );
    const created = bytesToHex(simulated!.receipts[0]!.contractAddress!);
    const topics = (i: number) =>
      simulated!.calls[i]!.logs.map(([, t, data]) => [...t.slice(1), data].map((b) => bytesToHex(b)));
    assert.deepEqual(topics(0), [[word(alice.address), word(created), word('07')]]);
    assert.deepEqual(topics(1), [[word(doomed.toString()), word(bob.address), word('09')]]);
  });

  it('stops at the time limit and leaves the executor usable', async () => {
    const chain = await openDevChain();
    const executor = new CallExecutor(chain, { ...defaultCallLimits, timeoutMs: 50 });
    const looping = createAddressFromString('0x0000000000000000000000000000000000001007');
    const spin = request([
      // JUMPDEST; PUSH1 0; JUMP: until the gas runs out, far beyond 50 ms.
      block({
        state: new Map([[looping.toString(), { code: hexToBytes('0x5b600056') }]]),
        calls: [call({ from: ALICE, to: looping })],
      }),
    ]);
    const stopped = await executor.simulate(chain.head, spin).catch((err: unknown) => err);
    assert.match(String(stopped), /execution aborted/);
    const [after] = await executor.simulate(
      chain.head,
      request([block({ calls: [call({ from: ALICE, to: BOB })] })]),
    );
    assert.equal(after!.calls[0]!.success, true);
  });

  it('lets a contract send, as geth does, and refuses a nonce out of order under validation', async () => {
    const { executor, head } = await setUp();
    const contract = createAddressFromString('0x00000000000000000000000000000000000c0de0');
    const [simulated] = await executor.simulate(
      head,
      request([
        block({
          state: new Map([[contract.toString(), { code: hexToBytes('0x00'), balance: 10n }]]),
          calls: [call({ from: contract, to: BOB, value: 3n })],
        }),
      ]),
    );
    assert.equal(simulated!.calls[0]!.success, true);
    const high = await executor
      .simulate(
        head,
        request([block({ calls: [call({ from: ALICE, to: BOB, nonce: 5n })] })], { validation: true }),
      )
      .catch((err: unknown) => err);
    assert.equal(reason(high), 'nonce-too-high');
  });
});
