// decodeOpenLedgerError: the precompiles' custom errors from raw revert data and from viem's errors.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BaseError,
  ContractFunctionExecutionError,
  ContractFunctionRevertedError,
  encodeErrorResult,
  RawContractError,
} from 'viem';
import { inferencesAbi, trainingAbi } from '../src/abi.js';
import { decodeOpenLedgerError } from '../src/errors.js';

const weights = encodeErrorResult({ abi: inferencesAbi, errorName: 'WeightsDoNotSum', args: [999_999n] });

describe('decodeOpenLedgerError', () => {
  it('decodes raw revert data', () => {
    const revert = decodeOpenLedgerError(weights);
    assert.equal(revert?.errorName, 'WeightsDoNotSum');
    assert.deepEqual(revert?.args, [999_999n]);
    const zero = encodeErrorResult({ abi: trainingAbi, errorName: 'ZeroOperator' });
    assert.equal(decodeOpenLedgerError(zero)?.errorName, 'ZeroOperator');
  });

  it('finds the data inside viem errors, even when the ABI viem had lacks the error', () => {
    const foreignAbi = [
      { type: 'function', name: 'go', inputs: [], outputs: [], stateMutability: 'nonpayable' },
    ] as const;
    const reverted = new ContractFunctionRevertedError({
      abi: foreignAbi,
      data: weights,
      functionName: 'go',
    });
    assert.equal(reverted.data, undefined, 'viem cannot decode it with this ABI');
    const wrapped = new ContractFunctionExecutionError(reverted, { abi: foreignAbi, functionName: 'go' });
    assert.equal(decodeOpenLedgerError(wrapped)?.errorName, 'WeightsDoNotSum');
    const raw = new BaseError('call failed', { cause: new RawContractError({ data: weights }) });
    assert.deepEqual(decodeOpenLedgerError(raw)?.args, [999_999n]);
  });

  it('is undefined for anything else', () => {
    assert.equal(decodeOpenLedgerError(new Error('no')), undefined);
    assert.equal(decodeOpenLedgerError('0x'), undefined);
    assert.equal(decodeOpenLedgerError('0x08c379a0'), undefined);
    assert.equal(decodeOpenLedgerError(new BaseError('plain')), undefined);
    assert.equal(decodeOpenLedgerError(undefined), undefined);
  });
});
