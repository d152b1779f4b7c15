// The call executor keeps what calls read across their reverts (read-cache.ts)
// and the jump analysis per code (jump-cache.ts): neither may let a call see
// another call's writes or an override outlive its call. A plain call runs
// its message directly; it must see what a transaction would see.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MerkleStateManager } from '@ethereumjs/statemanager';
import {
  bytesToBigInt,
  bytesToHex,
  createAddressFromString,
  hexToBytes,
  KECCAK256_NULL,
} from '@ethereumjs/util';
import { CallExecutor, defaultCallLimits } from '../src/calls.js';
import { keepReadsAcrossReverts, trimReadCaches } from '../src/read-cache.js';
import { createVMAt } from '../src/vm.js';
import { accounts, callRequest, devGenesis, openDevChain } from './helpers.js';

// SLOAD slot 0, add 1, SSTORE it, return it; JUMPs over a JUMPDEST so the code is analysed.
// PUSH0 SLOAD PUSH1 1 ADD DUP1 PUSH1 0 SSTORE PUSH1 0x0f JUMP INVALID x3 JUMPDEST PUSH0 MSTORE PUSH1 32 PUSH0 RETURN
const COUNTER = hexToBytes('0x5f5460010180600055600f56fefefe5b5f5260205ff3');
const counter = '0x00000000000000000000000000000000000c0de1';
// GAS; BALANCE(COINBASE); GAS; then returns GASPRICE, ORIGIN, the two GAS readings (warmth and intrinsic gas show).
const PROBE = hexToBytes('0x5a4131505a323a5f5260205260405260605260805ff3');
const probe = '0x00000000000000000000000000000000000c0de2';
// Returns BALANCE(CALLER): CALLER BALANCE PUSH0 MSTORE PUSH1 32 PUSH0 RETURN.
const BALANCE_OF_CALLER = hexToBytes('0x33315f5260205ff3');
const balanceProbe = '0x00000000000000000000000000000000000c0de4';
// The gas a STATICCALL to the identity precompile costs, returned:
// GAS PUSH0 x4 PUSH1 4 GAS STATICCALL POP GAS SWAP1 SUB PUSH0 MSTORE PUSH1 32 PUSH0 RETURN.
const PRECOMPILE_PROBE = hexToBytes('0x5a5f5f5f5f60045afa505a90035f5260205ff3');
const precompileProbe = '0x00000000000000000000000000000000000c0de6';
// What a call can see of account existence: EXTCODEHASH and BALANCE of CALLER, then a zero-value CALL to an
// absent account and that account's EXTCODEHASH, returned as three words:
// CALLER EXTCODEHASH PUSH0 MSTORE CALLER BALANCE PUSH1 32 MSTORE PUSH0 x5 PUSH20 absent GAS CALL POP
// PUSH20 absent EXTCODEHASH PUSH1 64 MSTORE PUSH1 96 PUSH0 RETURN.
const absent = '00000000000000000000000000000000000ab5e7';
const EXISTENCE_PROBE = hexToBytes(
  `0x333f5f5233316020525f5f5f5f5f73${absent}5af15073${absent}3f60405260605ff3`,
);
const existenceProbe = '0x00000000000000000000000000000000000c0de7';
const emptySender = '0x00000000000000000000000000000000005e4de8';
// Stores 0xaa at byte 0 and reverts with it.
const REVERTS = hexToBytes('0x60aa5f5360015ffd');
const reverts = '0x00000000000000000000000000000000000c0de3';

function call(data = new Uint8Array(), target = counter, gas?: bigint) {
  return callRequest(target, { data, gas });
}

describe('call executor caches', () => {
  it('keeps reads across calls, never writes', async () => {
    const genesis = devGenesis();
    genesis.alloc.set(counter, { balance: 0n, code: COUNTER, storage: new Map([[0n, 41n]]) });
    const chain = await openDevChain(undefined, genesis);
    const calls = new CallExecutor(chain, defaultCallLimits);
    const value = async (overrides = {}) => {
      const out = await calls.call(chain.head, call(), overrides);
      assert.equal(out.success, true, out.error);
      return bytesToBigInt(out.returnValue);
    };
    assert.equal(await value(), 42n);
    assert.equal(await value(), 42n, 'the first call wrote 42 and was reverted');
    const override = new Map([[counter, { stateDiff: new Map([[0n, 99n]]) }]]);
    assert.equal(await value({ state: override }), 100n);
    assert.equal(await value(), 42n, 'the override is gone, the cached read is the state at the root');
    assert.equal(await value(), 42n);
  });

  it('gives each call accounts of its own: a call spending the balance leaves the next one whole', async () => {
    const genesis = devGenesis();
    genesis.alloc.set(balanceProbe, { balance: 0n, code: BALANCE_OF_CALLER });
    const chain = await openDevChain(undefined, genesis);
    const calls = new CallExecutor(chain, defaultCallLimits);
    const start = (await chain.state.getAccount(createAddressFromString(accounts[0]!.address)))!.balance;
    const seen = async (value: bigint, gasPrice?: bigint) => {
      const out = await calls.call(chain.head, callRequest(balanceProbe, { value, gasPrice, gas: 100_000n }));
      assert.equal(out.success, true, out.error);
      return bytesToBigInt(out.returnValue);
    };
    // A plain call, then calls with value, then calls paying for their gas up front, twice each.
    assert.equal(await seen(0n), start);
    assert.equal(await seen(1_000n), start - 1_000n, 'the call sees its own transfer');
    assert.equal(await seen(1_000n), start - 1_000n, 'and not the previous call’s');
    const price = 2_000_000_000n;
    const upFront = 100_000n * price;
    assert.equal(await seen(1_000n, price), start - 1_000n - upFront, 'the gas is paid up front');
    assert.equal(await seen(1_000n, price), start - 1_000n - upFront, 'by each call once');
    assert.equal(await seen(0n), start);
  });

  it('runs a plain call directly with what the transaction path sees: gas, warm accounts, origin, price', async () => {
    const genesis = devGenesis();
    genesis.alloc.set(probe, { balance: 0n, code: PROBE });
    genesis.alloc.set(reverts, { balance: 0n, code: REVERTS });
    genesis.alloc.set(precompileProbe, { balance: 0n, code: PRECOMPILE_PROBE });
    genesis.alloc.set(existenceProbe, { balance: 0n, code: EXISTENCE_PROBE });
    // Empty by EIP-161 (no nonce, balance or code) yet with storage: its bumped self keeps it.
    genesis.alloc.set(emptySender, { balance: 0n, storage: new Map([[1n, 1n]]) });
    const chain = await openDevChain(undefined, genesis);
    const calls = new CallExecutor(chain, defaultCallLimits);
    const data = new Uint8Array(hexToBytes('0x00ff00ff0000abcd'));
    // No gas named: the direct path; the cap named: the transaction path. Same limit either way.
    const direct = await calls.call(chain.head, call(data, probe));
    const full = await calls.call(chain.head, call(data, probe, defaultCallLimits.gasCap));
    assert.equal(direct.success, true);
    assert.equal(bytesToHex(direct.returnValue), bytesToHex(full.returnValue));
    const words = [0, 1, 2, 3].map((i) => bytesToBigInt(direct.returnValue.subarray(32 * i, 32 * i + 32)));
    assert.equal(words[0], 0n, 'GASPRICE of a call that names no fees');
    assert.equal(words[1], BigInt(accounts[0]!.address), 'ORIGIN is the sender');
    assert.equal(words[3]! - words[2]!, 2n + 100n + 2n + 2n, 'the fee recipient is warm (EIP-3651)');
    const viaPrecompile = await calls.call(chain.head, call(new Uint8Array(), precompileProbe));
    const viaPrecompileFull = await calls.call(
      chain.head,
      call(new Uint8Array(), precompileProbe, defaultCallLimits.gasCap),
    );
    const precompileCost = bytesToBigInt(viaPrecompile.returnValue);
    assert.equal(precompileCost, bytesToBigInt(viaPrecompileFull.returnValue));
    assert.ok(precompileCost < 2_600n, `the precompile is warm (EIP-2929): ${precompileCost}`);
    // The direct path leaves out the top frame's zero-value balance writes, and bumps the nonce of a
    // sender that does not exist as runTx does: the call sees the same accounts either way.
    const nobody = createAddressFromString('0x00000000000000000000000000000000005e4de7');
    const seen = async (gas?: bigint, from = nobody) => {
      const out = await calls.call(chain.head, callRequest(existenceProbe, { from, gas }));
      assert.equal(out.success, true, out.error);
      return bytesToHex(out.returnValue);
    };
    assert.equal(await seen(), await seen(defaultCallLimits.gasCap));
    assert.equal(await seen(), await seen(), 'the bumped sender of one call is gone by the next');
    const emptyWithStorage = createAddressFromString(emptySender);
    assert.equal(
      await seen(undefined, emptyWithStorage),
      await seen(defaultCallLimits.gasCap, emptyWithStorage),
    );
    const existence = hexToBytes(await seen());
    const [callerHash, callerBalance, absentHash] = [0, 1, 2].map((k) =>
      existence.subarray(32 * k, 32 * k + 32),
    );
    assert.equal(
      bytesToHex(callerHash!),
      bytesToHex(KECCAK256_NULL),
      'the sender exists with its nonce bumped',
    );
    assert.equal(bytesToBigInt(callerBalance!), 0n);
    assert.equal(bytesToBigInt(absentHash!), 0n, 'a zero-value call does not make an account exist');
    const reverted = await calls.call(chain.head, call(new Uint8Array(), reverts));
    const reference = await calls.call(chain.head, call(new Uint8Array(), reverts, 1_000_000n));
    assert.deepEqual([reverted.reverted, bytesToHex(reverted.returnValue)], [true, '0xaa']);
    assert.deepEqual([reference.reverted, bytesToHex(reference.returnValue)], [true, '0xaa']);
  });

  it('refuses a sender with code on every path, with EIP-3607 as the reason', async () => {
    // As before view frames: whether a call from a contract runs must not depend on what its target runs.
    const genesis = devGenesis();
    genesis.alloc.set(counter, { balance: 0n, code: COUNTER });
    genesis.alloc.set(balanceProbe, { balance: 0n, code: BALANCE_OF_CALLER });
    const chain = await openDevChain(undefined, genesis);
    const calls = new CallExecutor(chain, defaultCallLimits);
    const readOnly = hexToBytes('0x602a5f5260205ff3'); // returns 42: a view frame would answer it
    const viewTarget = '0x00000000000000000000000000000000000c0de9';
    for (const [target, overrides] of [
      [viewTarget, { state: new Map([[viewTarget, { code: readOnly }]]) }],
      [balanceProbe, {}],
    ] as const) {
      await assert.rejects(
        calls.call(chain.head, { ...callRequest(target), from: createAddressFromString(counter) }, overrides),
        (err: Error) => err.message === 'invalid sender address, address is not EOA (EIP-3607)',
      );
    }
  });

  it('drops the kept reads past their bounds, between calls, and reads the trie again', async () => {
    const genesis = devGenesis();
    genesis.alloc.set(counter, { balance: 0n, code: COUNTER, storage: new Map([[0n, 41n]]) });
    const chain = await openDevChain(undefined, genesis);
    const vm = await createVMAt(chain, chain.head);
    const state = vm.stateManager as MerkleStateManager;
    keepReadsAcrossReverts(state);
    const read = async () => {
      await state.checkpoint();
      const balances = [];
      for (const { address } of accounts) {
        balances.push((await state.getAccount(createAddressFromString(address)))?.balance);
      }
      const code = await state.getCode(createAddressFromString(counter));
      await state.revert();
      return [...balances, bytesToHex(code)];
    };
    const first = await read();
    const cached = () =>
      (state as unknown as { _caches: { account: { size(): number } } })._caches.account.size();
    assert.equal(cached(), accounts.length + 1, 'the reads outlive the revert');
    assert.equal(
      trimReadCaches(state, { entries: accounts.length + 1, codes: 1 }),
      false,
      'within the bounds',
    );
    assert.equal(trimReadCaches(state, { entries: accounts.length, codes: 1 }), true, 'one entry too many');
    assert.equal(cached(), 0);
    assert.deepEqual(await read(), first, 'read again from the trie');
    assert.equal(trimReadCaches(state, { entries: 100, codes: 0 }), true, 'one code too many');
    await state.setStateRoot(chain.head.header.stateRoot);
    assert.equal(trimReadCaches(state, { entries: 0, codes: 0 }), false, 'a new root starts the count again');
  });
});
