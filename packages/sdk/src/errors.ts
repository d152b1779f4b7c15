// The SDK's own typed errors, and turning a precompile's revert into its custom error's name and arguments.
import {
  BaseError,
  ContractFunctionRevertedError,
  type DecodeErrorResultReturnType,
  decodeErrorResult,
  type Hash,
  type Hex,
  isHex,
  type TransactionReceipt,
} from 'viem';
import { openLedgerAbi } from './abi.js';

export type OpenLedgerSdkErrorDetail =
  /** A score for {@link normalizeWeights} that is negative, NaN or infinite, or an id that is not a uint. */
  | { code: 'INVALID_SCORE'; id: bigint | number; score: number }
  /** No positive score to normalise. */
  | { code: 'NO_POSITIVE_SCORE' }
  /** More positive scores than parts per million: they cannot each get a weight of at least 1. */
  | { code: 'TOO_MANY_SCORES'; count: number }
  /** A transaction was mined but reverted (sent with a fixed `gas`, so no estimate caught it first). */
  | { code: 'TRANSACTION_REVERTED'; hash: Hash; receipt: TransactionReceipt }
  /** The transaction succeeded but no precompile logged the event that creates the record asked for. */
  | { code: 'RECORD_NOT_FOUND'; hash: Hash; event: string };

/** What the SDK itself throws; the chain's refusals arrive as viem errors (see {@link decodeOpenLedgerError}). */
export class OpenLedgerSdkError<T extends OpenLedgerSdkErrorDetail = OpenLedgerSdkErrorDetail> extends Error {
  readonly detail: T;

  constructor(detail: T, message: string) {
    super(message);
    this.name = 'OpenLedgerSdkError';
    this.detail = detail;
  }
}

/** A precompile's custom error: its name and arguments, typed per error (e.g. `WeightsDoNotSum` with `[total]`). */
export type OpenLedgerRevert = DecodeErrorResultReturnType<typeof openLedgerAbi>;

/**
 * The attribution precompiles' custom error behind `error`, or `undefined`
 * when it is not one of theirs.
 *
 * viem already decodes custom errors when the ABI it was given declares them,
 * which the SDK's actions always do: the thrown `ContractFunctionExecutionError`
 * wraps a `ContractFunctionRevertedError` whose `data.errorName` and
 * `data.args` hold the error. This function reads the raw revert data instead,
 * so it also works for errors viem could not decode: a call through a contract
 * whose ABI lacks these errors, `eth_call`/`estimateGas` without an ABI, or
 * the revert data itself as hex.
 *
 * @example
 * try {
 *   await recordInference(wallet, { request, fee });
 * } catch (err) {
 *   const revert = decodeOpenLedgerError(err);
 *   if (revert?.errorName === 'WeightsDoNotSum') console.warn('weights total', revert.args[0]);
 *   else throw err;
 * }
 */
export function decodeOpenLedgerError(error: unknown): OpenLedgerRevert | undefined {
  const data = revertData(error);
  if (data === undefined || data.length < 10) return undefined;
  try {
    return decodeErrorResult({ abi: openLedgerAbi, data });
  } catch {
    return undefined;
  }
}

function revertData(error: unknown): Hex | undefined {
  if (typeof error === 'string') return isHex(error) ? error : undefined;
  if (!(error instanceof BaseError)) return undefined;
  const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
  if (reverted instanceof ContractFunctionRevertedError && reverted.raw !== undefined) return reverted.raw;
  // JSON-RPC errors carry the revert data as `data` (EIP-1474 code 3), sometimes nested once more.
  const withData = error.walk((e) => hexData(e) !== undefined);
  return withData === null ? undefined : hexData(withData);
}

function hexData(e: unknown): Hex | undefined {
  if (typeof e !== 'object' || e === null || !('data' in e)) return undefined;
  const { data } = e;
  if (typeof data === 'string') return isHex(data) ? data : undefined;
  if (typeof data === 'object' && data !== null && 'data' in data && typeof data.data === 'string')
    return isHex(data.data) ? data.data : undefined;
  return undefined;
}
