// The view frame (view-call.ts) against directCall, the path it shortens:
// random programs of arithmetic, environment and block reads, memory,
// copies, hashing, storage reads, jumps, every way a run can end, and now
// and then an opcode a view frame may not run. Whenever the view frame
// answers, its outcome (success or failure, return data, gas used) must be
// directCall's; when a program holds only allowed opcodes, the view frame
// must answer, whether it succeeds, reverts or fails.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createBlock } from '@ethereumjs/block';
import type { EVM } from '@ethereumjs/evm';
import { EVMMockBlockchain } from '@ethereumjs/evm';
import { MerkleStateManager } from '@ethereumjs/statemanager';
import { Account, bigIntToBytes, bytesToHex, createAddressFromString, setLengthLeft } from '@ethereumjs/util';
import type { VM } from '@ethereumjs/vm';
import type { CallRequest } from '@openledger/core';
import fc from 'fast-check';
import { createExecutionCommon } from '../src/common.js';
import { directCall, precompilesAlwaysWarm, skipZeroValueTopWrites } from '../src/direct-call.js';
import { viewCall } from '../src/view-call.js';
import { createNodeVM } from '../src/vm.js';
import { CHAIN_ID } from './helpers.js';

const CONTRACT = createAddressFromString('0x00000000000000000000000000000000000c0de5');
const CALLER = createAddressFromString('0x00000000000000000000000000000000000ca11e');
const MAX_WORD = (1n << 256n) - 1n;
const CALLDATA = Uint8Array.from({ length: 68 }, (_, i) => (i * 7 + 3) & 0xff);
/** Where step results are stored, one word each. */
const OUT = 0x400n;

function push(value: bigint): number[] {
  return [0x7f, ...setLengthLeft(bigIntToBytes(value), 32)];
}

const SLOTS = [0n, 1n, 2n, 1n << 200n];
const STORED: ReadonlyArray<[bigint, bigint]> = [
  [1n, 0x2an],
  [1n << 200n, MAX_WORD],
];

const word = fc.oneof(
  fc.constantFrom(0n, 1n, 2n, 31n, 32n, 255n, 256n, MAX_WORD, 1n << 255n, (1n << 255n) - 1n),
  fc.bigInt({ min: 0n, max: MAX_WORD }),
);
/** An offset: mostly small, now and then one that no gas pays for. */
const small = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 300 }).map(BigInt), weight: 30 },
  { arbitrary: fc.constantFrom(1n << 40n, MAX_WORD), weight: 1 },
);
const length = fc.integer({ min: 0, max: 80 }).map(BigInt);

const BINARY = [
  0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x0a, 0x0b, 0x10, 0x11, 0x12, 0x13, 0x14, 0x16, 0x17, 0x18, 0x1a,
  0x1b, 0x1c, 0x1d,
];
/** ADDRESS ... BASEFEE, PC, MSIZE, GAS: each pushes one word. */
const READS = [
  0x30, 0x32, 0x33, 0x34, 0x36, 0x38, 0x3a, 0x3d, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x48, 0x58, 0x59, 0x5a,
];
/** SSTORE, LOG0 of nothing, BALANCE, SELFBALANCE, TLOAD, BLOCKHASH: outside what a view frame runs. */
const OUTSIDE: ReadonlyArray<readonly number[]> = [
  [...push(1n), ...push(3n), 0x55],
  [0x5f, 0x5f, 0xa0],
  [0x33, 0x31, 0x50],
  [0x47, 0x50],
  [0x5f, 0x5c, 0x50],
  [0x5f, 0x40, 0x50],
];

/** A step: code that leaves one word on the stack (stored by the program), or none. */
type Step = { code: readonly number[]; pushes: boolean; outside?: boolean };

const allowedStep: fc.Arbitrary<Step> = fc.oneof(
  fc
    .tuple(fc.constantFrom(...BINARY), word, word)
    .map(([op, a, b]) => ({ code: [...push(b), ...push(a), op], pushes: true })),
  fc
    .tuple(fc.constantFrom(0x08, 0x09), word, word, word)
    .map(([op, a, b, n]) => ({ code: [...push(n), ...push(b), ...push(a), op], pushes: true })),
  fc.tuple(fc.constantFrom(0x15, 0x19), word).map(([op, a]) => ({ code: [...push(a), op], pushes: true })),
  fc.constantFrom(...READS).map((op) => ({ code: [op], pushes: true })),
  small.map((at) => ({ code: [...push(at), 0x35], pushes: true })), // CALLDATALOAD
  small.map((at) => ({ code: [...push(at), 0x51], pushes: true })), // MLOAD
  fc.constantFrom(...SLOTS).map((s) => ({ code: [...push(s), 0x54], pushes: true })), // SLOAD
  fc.tuple(small, length).map(([at, len]) => ({ code: [...push(len), ...push(at), 0x20], pushes: true })), // KECCAK256
  fc.tuple(small, word).map(([at, v]) => ({ code: [...push(v), ...push(at), 0x52], pushes: false })), // MSTORE
  fc.tuple(small, word).map(([at, v]) => ({ code: [...push(v), ...push(at), 0x53], pushes: false })), // MSTORE8
  fc
    .tuple(fc.constantFrom(0x37, 0x39, 0x5e), small, small, length)
    .map(([op, to, from, len]) => ({ code: [...push(len), ...push(from), ...push(to), op], pushes: false })), // copies
  fc.constant({ code: [0x5b], pushes: false }), // JUMPDEST
);

/** Mostly allowed steps: a program with one outside opcode in it is given up on. */
const step: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: allowedStep, weight: 40 },
  {
    arbitrary: fc.constantFrom(...OUTSIDE).map((code) => ({ code, pushes: false, outside: true })),
    weight: 1,
  },
);

type Ending =
  | { kind: 'code'; code: readonly number[] }
  | { kind: 'return'; extra: bigint }
  | { kind: 'revert' };

const ending: fc.Arbitrary<Ending> = fc.oneof(
  fc.constantFrom<Ending>(
    { kind: 'code', code: [0x00] }, // STOP
    { kind: 'code', code: [] }, // off the end
    { kind: 'code', code: [0xfe] }, // INVALID
    { kind: 'code', code: [0x60, 0x03, 0x56] }, // JUMP to no JUMPDEST
    { kind: 'revert' },
  ),
  length.map((extra): Ending => ({ kind: 'return', extra })),
  length.map((extra): Ending => ({ kind: 'return', extra })),
);

/** How the program jumps over one step: JUMP, JUMPI taken, or JUMPI not taken. */
type Jump = 'jump' | 'taken' | 'not taken';

/** Steps, each result stored at OUT + 32 i, a jump over one step, then the ending (RETURN or REVERT of the results). */
function program(steps: readonly Step[], jumpAt: number, jump: Jump, end: Ending): Uint8Array {
  const code: number[] = [];
  let stored = 0n;
  steps.forEach((s, i) => {
    const body = [...s.code, ...(s.pushes ? [...push(OUT + 32n * stored++), 0x52] : [])];
    if (i !== jumpAt) {
      code.push(...body);
      return;
    }
    const conditional = jump !== 'jump';
    const target = code.length + (conditional ? 37 : 4) + body.length;
    const to = [0x61, target >> 8, target & 0xff];
    code.push(...(conditional ? [...push(jump === 'taken' ? 1n : 0n), ...to, 0x57] : [...to, 0x56]));
    code.push(...body, 0x5b);
  });
  if (end.kind === 'code') code.push(...end.code);
  else if (end.kind === 'return') code.push(...push(32n * stored + end.extra), ...push(OUT), 0xf3);
  else code.push(...push(32n * stored), ...push(OUT), 0xfd);
  return Uint8Array.from(code);
}

async function setUp(): Promise<VM> {
  const common = createExecutionCommon(CHAIN_ID);
  const state = new MerkleStateManager({ common });
  await state.putAccount(CALLER, new Account(0n, 10n ** 18n));
  await state.putAccount(CONTRACT, new Account(1n, 5n));
  for (const [key, value] of STORED) {
    await state.putStorage(CONTRACT, setLengthLeft(bigIntToBytes(key), 32), bigIntToBytes(value));
  }
  const vm = await createNodeVM(common, state, new EVMMockBlockchain());
  skipZeroValueTopWrites(vm.evm as EVM, () => true);
  precompilesAlwaysWarm(vm.evm as EVM);
  return vm;
}

function context(vm: VM) {
  return createBlock(
    {
      header: {
        number: 7n,
        timestamp: 1_700_000_000n,
        gasLimit: 30_000_000n,
        coinbase: createAddressFromString('0x4200000000000000000000000000000000000011'),
        baseFeePerGas: 0n,
        mixHash: Uint8Array.from({ length: 32 }, (_, i) => i + 1),
      },
    },
    { common: vm.common },
  );
}

function request(): CallRequest {
  return {
    from: CALLER,
    to: CONTRACT,
    gas: undefined,
    gasPrice: undefined,
    maxFeePerGas: undefined,
    maxPriorityFeePerGas: undefined,
    value: 0n,
    data: CALLDATA,
    accessList: undefined,
    authorizationList: undefined,
    nonce: undefined,
  };
}

const printable = (o: unknown) =>
  JSON.stringify(o, (_, v) =>
    typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? bytesToHex(v) : v,
  );

describe('view frames', () => {
  it('answer exactly as directCall does, and answer every program of allowed opcodes', async () => {
    const vm = await setUp();
    const block = context(vm);
    let answered = 0;
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 1, maxLength: 20 }),
        fc.nat(),
        fc.constantFrom<Jump>('jump', 'taken', 'not taken'),
        ending,
        fc.constantFrom(22_000n, 26_000n, 40_000n, 1_000_000n, 1_000_000n, 50_000_000n, 50_000_000n),
        async (steps, at, jump, end, gas) => {
          runs++;
          const code = program(steps, at % (steps.length + 1), jump, end);
          await vm.stateManager.putCode(CONTRACT, code);
          const view = await viewCall(vm, block, request(), gas);
          const direct = await directCall(vm, block, request(), gas);
          const label = `code ${bytesToHex(code)} gas ${gas}`;
          if (view !== undefined) {
            answered++;
            assert.equal(printable(view), printable(direct), label);
            return;
          }
          const allowedOnly = steps.every((s) => s.outside !== true);
          if (allowedOnly && direct !== undefined) assert.fail(`the view frame gave up: ${label}`);
        },
      ),
      { numRuns: 400 },
    );
    assert.ok(answered > runs / 4, `the view frame answered ${answered} of ${runs}`);
  });

  it('leaves the EVM as it found it: a cold slot is cold again for the next call', async () => {
    const vm = await setUp();
    const block = context(vm);
    // GAS, SLOAD(1), GAS, SUB: what the SLOAD cost, returned.
    const code = Uint8Array.from([
      0x5a,
      ...push(1n),
      0x54,
      0x50,
      0x5a,
      0x90,
      0x03,
      ...push(0n),
      0x52,
      ...push(32n),
      ...push(0n),
      0xf3,
    ]);
    await vm.stateManager.putCode(CONTRACT, code);
    const first = await viewCall(vm, block, request(), 100_000n);
    const second = await viewCall(vm, block, request(), 100_000n);
    const direct = await directCall(vm, block, request(), 100_000n);
    assert.ok(first !== undefined && second !== undefined);
    // PUSH32 (3) + SLOAD cold (2100) + POP (2) + GAS (2) between the two readings.
    assert.equal(BigInt(bytesToHex(first.returnValue)), 2107n);
    assert.equal(printable(second), printable(first));
    assert.equal(printable(direct), printable(first));
  });

  it('gives up on a call, a log or a write, and answers a revert as directCall does', async () => {
    const vm = await setUp();
    const block = context(vm);
    for (const code of [
      [...push(0n), ...push(0n), ...push(0n), ...push(0n), ...push(4n), 0x5a, 0xfa], // STATICCALL
      [0x5f, 0x5f, 0xa0], // LOG0
      [...push(1n), ...push(1n), 0x55], // SSTORE
    ]) {
      await vm.stateManager.putCode(CONTRACT, Uint8Array.from(code));
      assert.equal(
        await viewCall(vm, block, request(), 100_000n),
        undefined,
        bytesToHex(Uint8Array.from(code)),
      );
      assert.notEqual(await directCall(vm, block, request(), 100_000n), undefined);
    }
    // MSTORE(0, 0x2a) REVERT(0, 32)
    await vm.stateManager.putCode(
      CONTRACT,
      Uint8Array.from([0x60, 0x2a, 0x5f, 0x52, 0x60, 0x20, 0x5f, 0xfd]),
    );
    const reverted = await viewCall(vm, block, request(), 100_000n);
    assert.ok(reverted?.reverted === true && BigInt(bytesToHex(reverted.returnValue)) === 42n);
    assert.equal(printable(reverted), printable(await directCall(vm, block, request(), 100_000n)));
  });

  it('leaves a sender with code to the full path, as directCall does (EIP-3607)', async () => {
    const vm = await setUp();
    const block = context(vm);
    await vm.stateManager.putCode(
      CONTRACT,
      Uint8Array.from([0x60, 0x2a, 0x5f, 0x52, 0x60, 0x20, 0x5f, 0xf3]),
    );
    assert.notEqual(await viewCall(vm, block, request(), 100_000n), undefined);
    await vm.stateManager.putCode(CALLER, Uint8Array.from([0x00]));
    assert.equal(await viewCall(vm, block, request(), 100_000n), undefined);
    assert.equal(await directCall(vm, block, request(), 100_000n), undefined);
  });
});
