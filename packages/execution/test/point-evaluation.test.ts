import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTx } from '@ethereumjs/tx';
import { bytesToHex, computeVersionedHash, createZeroAddress, hexToBytes } from '@ethereumjs/util';
import { PendingBlock } from '../src/builder.js';
import { CallExecutor, defaultCallLimits } from '../src/calls.js';
import { createHeadVM } from '../src/vm.js';
import { accounts, CHAIN_ID, callRequest, openDevChain } from './helpers.js';

const POINT_EVALUATION = '0x000000000000000000000000000000000000000a';
// The zero polynomial: its commitment and every opening proof are the point at infinity.
const INFINITY = `0xc0${'00'.repeat(47)}` as const;

function input(commitment: `0x${string}`, proof: `0x${string}`): Uint8Array {
  const versioned = hexToBytes(computeVersionedHash(commitment, 1));
  return Uint8Array.from([
    ...versioned,
    ...new Uint8Array(32),
    ...new Uint8Array(32),
    ...hexToBytes(commitment),
    ...hexToBytes(proof),
  ]);
}

const call = (data: Uint8Array) => callRequest(POINT_EVALUATION, { data, gas: 1_000_000n });

describe('point evaluation precompile (0x0a)', () => {
  it('verifies a valid opening and returns the blob constants', async () => {
    const chain = await openDevChain();
    const out = await new CallExecutor(chain, defaultCallLimits).call(
      chain.head,
      call(input(INFINITY, INFINITY)),
    );
    assert.equal(out.success, true, out.error);
    // FIELD_ELEMENTS_PER_BLOB (4096) and BLS_MODULUS.
    assert.equal(BigInt(bytesToHex(out.returnValue.subarray(0, 32))), 4096n);
    assert.equal(
      BigInt(bytesToHex(out.returnValue.subarray(32))),
      52435875175126190479447740508185965837690552500527637822603658699938581184513n,
    );
  });

  it('fails the call, not the node, on a bad proof, and a transaction to it is included', async () => {
    const chain = await openDevChain();
    const bad = input(INFINITY, `0x${'11'.repeat(48)}`);
    const out = await new CallExecutor(chain, defaultCallLimits).call(chain.head, call(bad));
    assert.equal(out.success, false);
    const vm = await createHeadVM(chain);
    const pending = await PendingBlock.start(vm, chain.head, {
      timestamp: chain.head.header.timestamp + 1n,
      coinbase: createZeroAddress(),
    });
    const tx = createTx(
      {
        type: 2,
        nonce: 0n,
        to: POINT_EVALUATION,
        data: bad,
        gasLimit: 200_000n,
        maxFeePerGas: 10n ** 10n,
        maxPriorityFeePerGas: 1n,
        chainId: CHAIN_ID,
      },
      { common: chain.common },
    ).sign(hexToBytes(accounts[0]!.privateKey as `0x${string}`));
    const added = await pending.add(tx);
    assert.equal(added.included, true);
    assert.equal(added.included && added.receipt.status, 0);
  });
});
