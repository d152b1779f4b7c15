// The call executor keeps what calls read across their reverts (read-cache.ts)
// and the jump analysis per code (jump-cache.ts): neither may let a call see
// another call's writes or an override outlive its call.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bytesToBigInt, createAddressFromString, hexToBytes } from '@ethereumjs/util';
import type { CallRequest } from '@openledger/core';
import { CallExecutor, defaultCallLimits } from '../src/calls.js';
import { accounts, devGenesis, openDevChain } from './helpers.js';

// SLOAD slot 0, add 1, SSTORE it, return it; JUMPs over a JUMPDEST so the code is analysed.
// PUSH0 SLOAD PUSH1 1 ADD DUP1 PUSH1 0 SSTORE PUSH1 0x0f JUMP INVALID x3 JUMPDEST PUSH0 MSTORE PUSH1 32 PUSH0 RETURN
const COUNTER = hexToBytes('0x5f5460010180600055600f56fefefe5b5f5260205ff3');
const counter = '0x00000000000000000000000000000000000c0de1';

function call(data = new Uint8Array()): CallRequest {
  return {
    from: createAddressFromString(accounts[0]!.address),
    to: createAddressFromString(counter),
    gas: undefined,
    gasPrice: undefined,
    maxFeePerGas: undefined,
    maxPriorityFeePerGas: undefined,
    value: 0n,
    data,
    accessList: undefined,
    authorizationList: undefined,
    nonce: undefined,
  };
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
});
