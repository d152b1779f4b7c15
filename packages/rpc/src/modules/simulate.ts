// eth_simulateV1 (execution-apis): the payload parsed into blocks of calls
// with their overrides, and each simulated block answered as a block with
// its calls' results.
import type { Block } from '@ethereumjs/block';
import type { TypedTransaction } from '@ethereumjs/tx';
import { type Address, bytesToHex } from '@ethereumjs/util';
import {
  type BlockOverrides,
  type CallRequest,
  MAX_SIMULATED_BLOCKS,
  MAX_SIMULATED_CALLS,
  type SimulatedBlockSpec,
  type SimulateRequest,
  type StateOverrides,
} from '@openledger/core';
import type { ReceiptData, SimulatedBlockData, SimulatedCallData } from '../backend.js';
import type { MethodTable, RpcContext } from '../context.js';
import {
  ExecutionRevertedError,
  InvalidParamsError,
  SimulationRejectedError,
  VmExecutionError,
} from '../errors.js';
import { formatBlock, formatLog, formatTx, qty } from '../format.js';
import { address, arity, blockRef, bool, object } from '../params.js';
import { callArgs } from './call-args.js';
import { blockOverrides, stateOverrides } from './overrides.js';

const PAYLOAD_FIELDS = new Set(['blockStateCalls', 'traceTransfers', 'validation', 'returnFullTransactions']);
const BLOCK_STATE_FIELDS = new Set(['blockOverrides', 'stateOverrides', 'calls']);
/** Block numbers, times and gas limits are 64-bit in a header. */
const UINT64_END = 1n << 64n;

interface SimulatePayload {
  request: SimulateRequest;
  fullTransactions: boolean;
}

function flag(value: unknown, name: string): boolean {
  return value === undefined || value === null ? false : bool(value, name);
}

function headerFields(value: unknown, name: string): BlockOverrides {
  const o = blockOverrides(value) ?? {};
  for (const [field, v] of [
    ['number', o.number],
    ['time', o.time],
    ['gasLimit', o.gasLimit],
  ] as const) {
    if (v !== undefined && v >= UINT64_END)
      throw new InvalidParamsError(`invalid ${name}.blockOverrides.${field}: more than 64 bits`);
  }
  return o;
}

/** geth's state overrides, plus `movePrecompileToAddress`, which only simulations take. */
function blockState(
  value: unknown,
  name: string,
): { state: StateOverrides | undefined; moved: Map<string, Address> } {
  const moved = new Map<string, Address>();
  if (value === undefined || value === null) return { state: undefined, moved };
  const rest: Record<string, unknown> = {};
  for (const [who, raw] of Object.entries(object(value, `${name}.stateOverrides`))) {
    const key = address(who, 'state override address').toString();
    const { movePrecompileToAddress: to, ...fields } = object(raw, `state override of ${key}`);
    if (to !== undefined && to !== null) moved.set(key, address(to, `movePrecompileToAddress of ${key}`));
    // An account only moved has nothing to write.
    if (to === undefined || to === null || Object.keys(fields).length > 0) rest[who] = fields;
  }
  return { state: stateOverrides(rest), moved };
}

function simulatedCall(value: unknown, name: string): CallRequest {
  const hashes = object(value, name).blobVersionedHashes;
  if (Array.isArray(hashes) && hashes.length > 0)
    throw new InvalidParamsError(`invalid ${name}: blob transactions are not supported`);
  return callArgs(value, name);
}

/** The first parameter of eth_simulateV1, checked field by field. */
function simulatePayload(value: unknown): SimulatePayload {
  const payload = object(value, 'payload');
  for (const field of Object.keys(payload)) {
    if (!PAYLOAD_FIELDS.has(field))
      throw new InvalidParamsError(`unsupported payload field ${field.slice(0, 40)}`);
  }
  const list = payload.blockStateCalls;
  if (!Array.isArray(list)) throw new InvalidParamsError('invalid blockStateCalls: expected an array');
  if (list.length === 0) throw new InvalidParamsError('empty input: blockStateCalls has no block');
  if (list.length > MAX_SIMULATED_BLOCKS)
    throw new SimulationRejectedError('limit-exceeded', `too many blocks: at most ${MAX_SIMULATED_BLOCKS}`);
  let calls = 0;
  const blocks = list.map((entry, i): SimulatedBlockSpec => {
    const name = `blockStateCalls[${i}]`;
    const fields = object(entry, name);
    for (const field of Object.keys(fields)) {
      if (!BLOCK_STATE_FIELDS.has(field))
        throw new InvalidParamsError(`unsupported field ${name}.${field.slice(0, 40)}`);
    }
    const rawCalls = fields.calls ?? [];
    if (!Array.isArray(rawCalls)) throw new InvalidParamsError(`invalid ${name}.calls: expected an array`);
    calls += rawCalls.length;
    if (calls > MAX_SIMULATED_CALLS)
      throw new SimulationRejectedError('limit-exceeded', `too many calls: at most ${MAX_SIMULATED_CALLS}`);
    const { state, moved } = blockState(fields.stateOverrides, name);
    return {
      block: headerFields(fields.blockOverrides, name),
      state,
      movedPrecompiles: moved,
      calls: rawCalls.map((call, j) => simulatedCall(call, `${name}.calls[${j}]`)),
    };
  });
  return {
    request: {
      blocks,
      traceTransfers: flag(payload.traceTransfers, 'traceTransfers'),
      validation: flag(payload.validation, 'validation'),
    },
    fullTransactions: flag(payload.returnFullTransactions, 'returnFullTransactions'),
  };
}

/** A simulated transaction in its block; its gas price is what it paid. */
function formatSimulatedTx(tx: TypedTransaction, block: Block, index: number, receipt: ReceiptData) {
  const out = formatTx(tx, receipt.from, undefined);
  out.blockHash = bytesToHex(block.hash());
  out.blockNumber = qty(block.header.number);
  out.blockTimestamp = qty(block.header.timestamp);
  out.transactionIndex = qty(index);
  out.gasPrice = qty(receipt.effectiveGasPrice);
  return out;
}

function formatCall(
  call: SimulatedCallData,
  block: Block,
  index: number,
  firstLogIndex: number,
): Record<string, unknown> {
  const txHash = block.transactions[index]!.hash();
  const out: Record<string, unknown> = {
    // A failed call's data is its error's (geth's).
    returnData: call.success ? bytesToHex(call.returnValue) : '0x',
    logs: call.logs.map((log, i) =>
      formatLog(log, { block, txHash, txIndex: index, logIndex: firstLogIndex + i }),
    ),
    gasUsed: qty(call.gasUsed),
    maxUsedGas: qty(call.maxUsedGas),
    status: call.success ? '0x1' : '0x0',
  };
  if (!call.success) {
    out.error = call.reverted
      ? new ExecutionRevertedError(call.returnValue).toJSON()
      : new VmExecutionError(call.error ?? 'execution failed').toJSON();
  }
  return out;
}

/** A block as eth_getBlockByNumber answers it, with `calls`: one result per call, in order. */
function formatSimulatedBlock(simulated: SimulatedBlockData, fullTransactions: boolean) {
  const { block, receipts, calls } = simulated;
  const out = formatBlock(block, false, undefined);
  if (fullTransactions) {
    out.transactions = block.transactions.map((tx, i) => formatSimulatedTx(tx, block, i, receipts[i]!));
  }
  let logIndex = 0;
  out.calls = calls.map((call, i) => {
    const formatted = formatCall(call, block, i, logIndex);
    logIndex += call.logs.length;
    return formatted;
  });
  return out;
}

export function ethSimulateMethods(ctx: RpcContext): MethodTable {
  return {
    eth_simulateV1: async (params) => {
      arity(params, 1, 2);
      const { request, fullTransactions } = simulatePayload(params[0]);
      const block = await ctx.requireBlock(blockRef(params[1] ?? 'latest'));
      const blocks = await ctx.backend.simulate(block, request);
      return blocks.map((simulated) => formatSimulatedBlock(simulated, fullTransactions));
    },
  };
}
