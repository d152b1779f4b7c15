// The node's interpreter loop (interpreter-loop.ts), call frames with pooled
// memory (frames.ts), word opcodes (word-opcodes.ts) and synchronous gas
// (sync-gas.ts) against EthereumJS's own: random programs of memory, copies,
// storage, hashing, jumps, logs, precompile calls, calls into a contract
// that reads and dirties its memory, and every way a run can end run on both, and must end
// with the same result, gas, refund, logs and state root. The reference is a plain EthereumJS EVM run by
// EthereumJS's own loop; the subject is the node's EVM. (Not with a step
// listener: EthereumJS's step event reads REVERT's memory before charging
// for it, and a huge offset throws there.)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createEVM, EVMMockBlockchain } from '@ethereumjs/evm';
import { MerkleStateManager } from '@ethereumjs/statemanager';
import { Account, bigIntToBytes, bytesToHex, createAddressFromString, setLengthLeft } from '@ethereumjs/util';
import fc from 'fast-check';
import { createExecutionCommon } from '../src/common.js';
import { Interpreter } from '../src/evm-internals.js';
import { newInterpreter, pooledMemories, takeMemory } from '../src/frames.js';
import { withEthereumJsLoop } from '../src/interpreter-loop.js';
import { createNodeVM } from '../src/vm.js';
import { CHAIN_ID } from './helpers.js';

const CONTRACT = createAddressFromString('0x00000000000000000000000000000000000c0de5');
const CALLER = createAddressFromString('0x00000000000000000000000000000000000ca11e');
/** Returns the word at the memory offset it is called with, after dirtying the word above it. */
const HELPER = createAddressFromString('0x0000000000000000000000000000000000004e1b');
const HELPER_CODE = Uint8Array.from([
  ...[0x60, 0x00, 0x35], // CALLDATALOAD(0): the offset
  ...[0x80, 0x51, 0x90], // MLOAD it (zero in a new frame), keep the offset on top
  ...[0x7f, ...new Array<number>(32).fill(0xff), 0x90], // PUSH32 all ones, under the offset
  ...[0x60, 0x20, 0x01, 0x52], // MSTORE the ones at offset + 32, for the next frame to find if memory leaks
  ...[0x60, 0x00, 0x52, 0x60, 0x20, 0x60, 0x00, 0xf3], // RETURN the word read
]);
const MAX_WORD = (1n << 256n) - 1n;
/** What CALLDATACOPY copies from. */
const CALLDATA = Uint8Array.from({ length: 40 }, (_, i) => i + 1);

/** PUSH32 of `value`. */
function push(value: bigint): number[] {
  return [0x7f, ...setLengthLeft(bigIntToBytes(value), 32)];
}

/**
 * CALL the helper with an offset in its memory, and store the word it read in slot `s`. Offsets are
 * multiples of 32, so that one call can meet what an earlier one dirtied; 8,160 and up lie at the
 * edge of the first 8 KiB of memory.
 */
function callHelper(at: bigint, s: bigint): number[] {
  return [
    ...push(at),
    ...push(0x200n),
    0x52, // MSTORE the offset as the calldata
    ...push(32n),
    ...push(0x220n),
    ...push(32n),
    ...push(0x200n),
    ...push(0n),
    ...push(BigInt(HELPER.toString())),
    0x5a, // GAS
    0xf1, // CALL
    0x50,
    ...push(0x220n),
    0x51,
    ...push(s),
    0x55,
  ];
}

/** Slots the program reads and writes, with stored values of every length. */
const SLOTS = [0n, 1n, 2n, 0xffn, 1n << 200n, MAX_WORD];
const STORED: ReadonlyArray<[bigint, bigint]> = [
  [1n, 0x2an],
  [2n, 0xdeadbeefn],
  [1n << 200n, MAX_WORD],
];

const word = fc.oneof(
  fc.constantFrom(0n, 1n, 0xffn, MAX_WORD, 1n << 255n),
  fc.bigInt({ min: 0n, max: MAX_WORD }),
);
const offset = fc.oneof(fc.integer({ min: 0, max: 256 }).map(BigInt), fc.constantFrom(1n << 32n, MAX_WORD));
const slot = fc.constantFrom(...SLOTS);
const length = fc.integer({ min: 0, max: 96 }).map(BigInt);

/** One step of a program; a step leaves the stack as it found it. */
const step: fc.Arbitrary<readonly number[]> = fc.oneof(
  fc.tuple(offset, word).map(([at, v]) => [...push(v), ...push(at), 0x52]), // MSTORE
  offset.map((at) => [...push(at), 0x51, 0x50]), // MLOAD, POP
  fc.tuple(offset, slot).map(([at, s]) => [...push(at), 0x51, ...push(s), 0x55]), // MLOAD into storage
  fc.tuple(slot, slot).map(([from, to]) => [...push(from), 0x54, ...push(to), 0x55]), // SLOAD into storage
  fc.tuple(slot, offset).map(([s, at]) => [...push(s), 0x54, ...push(at), 0x52]), // SLOAD into memory
  fc.tuple(slot, word).map(([s, v]) => [...push(v), ...push(s), 0x55]), // SSTORE
  fc
    .tuple(
      offset,
      offset.map((o) => o & 0xffn),
      slot,
    )
    .map(
      ([at, len, s]) => [...push(len), ...push(at), 0x20, ...push(s), 0x55], // KECCAK256 into storage
    ),
  fc.tuple(offset, length, word).map(([at, len, topic]) => [...push(topic), ...push(len), ...push(at), 0xa1]), // LOG1
  fc.tuple(offset, length).map(([at, len]) => [
    // STATICCALL the identity precompile from memory to memory, POP the flag.
    ...push(len),
    ...push(at & 0xffn),
    ...push(len),
    ...push(at),
    ...push(4n),
    0x5a, // GAS
    0xfa,
    0x50,
  ]),
  fc
    .tuple(
      fc.oneof(fc.integer({ min: 0, max: 10 }), fc.constantFrom(254, 255, 256)).map((k) => BigInt(k * 32)),
      slot,
    )
    .map(([at, s]) => callHelper(at, s)),
  fc.tuple(offset, slot).map(([at, s]) => [...push(at), 0x35, ...push(s), 0x55]), // CALLDATALOAD into storage
  fc.tuple(offset, word).map(([at, v]) => [...push(v), ...push(at), 0x53]), // MSTORE8
  fc.tuple(offset, offset, length).map(([to, from, len]) => [...push(len), ...push(from), ...push(to), 0x37]), // CALLDATACOPY
  fc.tuple(offset, offset, length).map(([to, from, len]) => [...push(len), ...push(from), ...push(to), 0x39]), // CODECOPY
  fc.tuple(offset, offset, length).map(([to, from, len]) => [...push(len), ...push(from), ...push(to), 0x5e]), // MCOPY
  // RETURNDATACOPY of what the last call returned, or more (out of gas past its end).
  fc
    .tuple(offset, fc.integer({ min: 0, max: 40 }).map(BigInt), length)
    .map(([to, from, len]) => [...push(len), ...push(from), ...push(to), 0x3e]),
  fc.tuple(offset, length).map(([at, len]) => [...push(len), ...push(at), 0xa0]), // LOG0
  fc.constant([0x5b]), // JUMPDEST
  fc.constant([0x0c]), // an unassigned opcode: invalid
);

/** How the program ends. */
const ending: fc.Arbitrary<readonly number[]> = fc.oneof(
  fc.constant([0x00]), // STOP
  fc.constant([]), // running off the end
  fc.constant([0xfe]), // INVALID
  fc.tuple(offset, length).map(([at, len]) => [...push(len), ...push(at), 0xf3]), // RETURN
  fc.tuple(offset, length).map(([at, len]) => [...push(len), ...push(at), 0xfd]), // REVERT
  fc.constant([0x60, 0x03, 0x56]), // JUMP to a position that is no JUMPDEST
);

/** Steps, a forward JUMP over one of them (so the jump analysis runs midway), and an ending. */
function program(
  steps: ReadonlyArray<readonly number[]>,
  jumpAt: number,
  end: readonly number[],
): Uint8Array {
  const code: number[] = [];
  steps.forEach((s, i) => {
    if (i === jumpAt) {
      const skipped = s.length;
      // PUSH2 target; JUMP; <skipped step>; JUMPDEST
      const target = code.length + 4 + skipped;
      code.push(0x61, target >> 8, target & 0xff, 0x56, ...s, 0x5b);
    } else {
      code.push(...s);
    }
  });
  code.push(...end);
  return Uint8Array.from(code);
}

async function freshState(code: Uint8Array): Promise<MerkleStateManager> {
  const common = createExecutionCommon(CHAIN_ID);
  const state = new MerkleStateManager({ common });
  await state.putAccount(CALLER, new Account(0n, 10n ** 18n));
  await state.putAccount(CONTRACT, new Account(1n, 0n));
  await state.putCode(CONTRACT, code);
  await state.putAccount(HELPER, new Account(1n, 0n));
  await state.putCode(HELPER, HELPER_CODE);
  for (const [key, value] of STORED) {
    await state.putStorage(CONTRACT, setLengthLeft(bigIntToBytes(key), 32), bigIntToBytes(value));
  }
  return state;
}

async function outcome(subject: 'node' | 'reference', code: Uint8Array, gasLimit: bigint) {
  const common = createExecutionCommon(CHAIN_ID);
  const state = await freshState(code);
  const blockchain = new EVMMockBlockchain();
  const evm =
    subject === 'node'
      ? (await createNodeVM(common, state, blockchain)).evm
      : await createEVM({ common, stateManager: state, blockchain });
  const run = () => evm.runCall({ caller: CALLER, origin: CALLER, to: CONTRACT, gasLimit, data: CALLDATA });
  const { execResult } = subject === 'node' ? await run() : await withEthereumJsLoop(run);
  return {
    // EthereumJS appends where a bad jump happened; the kind is what is compared.
    error: execResult.exceptionError?.error.replace(/ at .*$/, ''),
    gasUsed: execResult.executionGasUsed,
    refund: execResult.gasRefund,
    returned: bytesToHex(execResult.returnValue),
    logs: (execResult.logs ?? []).map((log) =>
      log.map((part) => (Array.isArray(part) ? part.map(bytesToHex) : bytesToHex(part))),
    ),
    root: bytesToHex(await state.getStateRoot()),
  };
}

describe('node interpreter loop and word opcodes', () => {
  it('end every random program exactly as EthereumJS does', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 1, maxLength: 24 }),
        fc.nat(),
        ending,
        fc.constantFrom(30_000n, 100_000n, 1_000_000n),
        async (steps, jump, end, gas) => {
          const code = program(steps, jump % (steps.length + 1), end);
          const node = await outcome('node', code, gas);
          const reference = await outcome('reference', code, gas);
          assert.deepEqual(node, reference, `code ${bytesToHex(code)} gas ${gas}`);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('runs the node’s own opcodes and gas handlers (the property compares something)', async () => {
    const common = createExecutionCommon(CHAIN_ID);
    const state = new MerkleStateManager({ common });
    const blockchain = new EVMMockBlockchain();
    type Table = { _opcodeMap: { opHandler: unknown; gasHandler: unknown }[] };
    const node = (await createNodeVM(common, state, blockchain)).evm as unknown as Table;
    const plain = (await createEVM({ common, stateManager: state, blockchain })) as unknown as Table;
    for (const opcode of [0x20, 0x35, 0x51, 0x52, 0x54]) {
      assert.notEqual(
        node._opcodeMap[opcode]!.opHandler,
        plain._opcodeMap[opcode]!.opHandler,
        `opcode ${opcode}`,
      );
    }
    for (const opcode of [0x20, 0x37, 0x39, 0x3e, 0x51, 0x52, 0x53, 0x54, 0x5e, 0xa0, 0xa4, 0xf3, 0xfd]) {
      assert.notEqual(
        node._opcodeMap[opcode]!.gasHandler,
        plain._opcodeMap[opcode]!.gasHandler,
        `gas of opcode ${opcode}`,
      );
    }
    assert.equal(node._opcodeMap[0x01]!.opHandler, plain._opcodeMap[0x01]!.opHandler, 'ADD is EthereumJS’s');
    assert.equal(
      node._opcodeMap[0xf1]!.gasHandler,
      plain._opcodeMap[0xf1]!.gasHandler,
      'CALL’s gas is EthereumJS’s',
    );
  });

  it('builds frames with the fields EthereumJS’s constructor gives them', async () => {
    // Guards an upgrade of EthereumJS: a field its Interpreter gains must be set by frames.ts too.
    const common = createExecutionCommon(CHAIN_ID);
    const state = new MerkleStateManager({ common });
    const evm = (await createNodeVM(common, state, new EVMMockBlockchain())).evm as unknown as Record<
      string,
      unknown
    >;
    const env = { address: CONTRACT, gasRefund: 0n, initialLogs: undefined };
    const EthereumJsInterpreter = Interpreter as unknown as new (
      ...args: unknown[]
    ) => Record<string, unknown>;
    const theirs = new EthereumJsInterpreter(
      evm,
      evm.stateManager,
      evm.blockchain,
      env,
      1n,
      evm.journal,
      evm.performanceLogger,
      undefined,
    );
    const ours = newInterpreter(evm as never, env, 1n, takeMemory()) as unknown as Record<string, unknown>;
    const keys = (o: unknown) => Object.keys(o as object).sort();
    assert.deepEqual(keys(ours), keys(theirs));
    assert.deepEqual(keys(ours._runState), keys(theirs._runState));
    assert.deepEqual(keys(ours._result), keys(theirs._result));
    assert.equal(Object.getPrototypeOf(ours), Object.getPrototypeOf(theirs));
  });

  it('reaches the outcomes the programs are built to cover', async () => {
    // The property above is only as good as its programs: each way of ending shows up.
    const seen = new Set<string | undefined>();
    const cases: Array<[number[], bigint]> = [
      [[...push(7n), ...push(0n), 0x52, ...push(32n), ...push(0n), 0xf3], 100_000n], // returns 7
      [[...push(1n), ...push(0n), 0xfd], 100_000n], // reverts
      [[...push(1n), ...push(MAX_WORD), 0x52], 100_000n], // memory out of gas
      [[0x60, 0x03, 0x56], 100_000n], // bad jump
      [[0x0c], 100_000n], // invalid opcode
      [[...push(1n << 200n), 0x54, ...push(0n), 0x52, ...push(32n), ...push(0n), 0xf3], 100_000n],
    ];
    for (const [code, gas] of cases) {
      const node = await outcome('node', Uint8Array.from(code), gas);
      assert.deepEqual(node, await outcome('reference', Uint8Array.from(code), gas));
      seen.add(node.error);
    }
    const names = (list: Iterable<string | undefined>) => [...list].map(String).sort();
    assert.deepEqual(
      names(seen),
      names([undefined, 'invalid JUMP', 'invalid opcode', 'out of gas', 'revert']),
    );
    const read = await outcome('node', Uint8Array.from(cases[5]![0]), 100_000n);
    assert.equal(BigInt(read.returned), MAX_WORD, 'a full 32-byte stored value read back');
    const returned = await outcome('node', Uint8Array.from(cases[0]![0]), 100_000n);
    assert.equal(BigInt(returned.returned), 7n);
    // The second call's frame gets the memory the first one dirtied, cleared.
    const pooledBefore = pooledMemories();
    const twice = Uint8Array.from([
      ...callHelper(0n, 1n),
      ...callHelper(32n, 2n),
      ...push(2n),
      0x54,
      ...push(0n),
      0x52,
      ...push(32n),
      ...push(0n),
      0xf3,
    ]);
    const fresh = await outcome('node', twice, 1_000_000n);
    assert.equal(fresh.error, undefined);
    assert.equal(BigInt(fresh.returned), 0n, 'a new frame reads zeros where the last one wrote');
    assert.deepEqual(fresh, await outcome('reference', twice, 1_000_000n));
    assert.ok(pooledMemories() > 0 && pooledBefore >= 0, 'frames return their memory to the pool');
  });
});
