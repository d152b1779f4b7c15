// debug_traceTransaction, debug_traceCall and debug_traceBlockBy*: geth's
// opcode logger (the default) and its callTracer.
import { bytesToHex } from '@ethereumjs/util';
import type { TraceOptions } from '@openledger/core';
import type { MethodTable, RpcContext } from '../context.js';
import { InvalidParamsError, ServerError } from '../errors.js';
import { arity, blockRef, bool, hash, object } from '../params.js';
import { callArgs } from './call-args.js';
import { callOverrides } from './overrides.js';

/** Transactions one debug_traceBlock* may trace. */
const MAX_BLOCK_TRACES = 1_000;

const CONFIG_FIELDS = new Set([
  'tracer',
  'tracerConfig',
  'limit',
  'enableMemory',
  'disableStack',
  'disableStorage',
  'enableReturnData',
  'timeout',
  'reexec',
]);

/** geth's default trace timeout, and the most a request may ask for here. */
const DEFAULT_TRACE_TIMEOUT_MS = 5_000;
const MAX_TRACE_TIMEOUT_MS = 60_000;
const DURATION_UNITS_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
};

/** A trace timeout as geth takes it: a Go duration such as "10s" or "1m30s". */
function traceTimeout(value: unknown): number {
  const text = typeof value === 'string' ? value : '';
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) {
    throw new InvalidParamsError('invalid timeout: expected a duration such as "10s" or "500ms"');
  }
  const ms = parts.reduce((sum, [, n, unit]) => sum + Number(n) * DURATION_UNITS_MS[unit!]!, 0);
  if (ms <= 0 || ms > MAX_TRACE_TIMEOUT_MS) {
    throw new InvalidParamsError(`invalid timeout: at most ${MAX_TRACE_TIMEOUT_MS / 1000}s`);
  }
  return ms;
}

export function traceConfig(value: unknown): TraceOptions {
  const config: TraceOptions = {
    tracer: undefined,
    limit: 0,
    enableMemory: false,
    disableStack: false,
    onlyTopCall: false,
    timeoutMs: DEFAULT_TRACE_TIMEOUT_MS,
  };
  if (value === undefined || value === null) return config;
  const obj = object(value, 'trace config');
  for (const key of Object.keys(obj)) {
    if (!CONFIG_FIELDS.has(key))
      throw new InvalidParamsError(`unknown trace config field ${key.slice(0, 40)}`);
  }
  if (obj.tracer !== undefined && obj.tracer !== null && obj.tracer !== '') {
    if (obj.tracer !== 'callTracer' && obj.tracer !== 'prestateTracer') {
      throw new InvalidParamsError(
        `tracer ${String(obj.tracer).slice(0, 40)} is not supported (the opcode logger, callTracer and prestateTracer are)`,
      );
    }
    config.tracer = obj.tracer;
  }
  if (obj.limit != null) {
    if (typeof obj.limit !== 'number' || !Number.isSafeInteger(obj.limit) || obj.limit < 0) {
      throw new InvalidParamsError('invalid limit: expected a non-negative integer');
    }
    config.limit = obj.limit;
  }
  if (obj.enableMemory != null) config.enableMemory = bool(obj.enableMemory, 'enableMemory');
  if (obj.disableStack != null) config.disableStack = bool(obj.disableStack, 'disableStack');
  if (obj.timeout != null) config.timeoutMs = traceTimeout(obj.timeout);
  if (obj.tracerConfig != null) {
    const tc = object(obj.tracerConfig, 'tracerConfig');
    if (tc.onlyTopCall != null) config.onlyTopCall = bool(tc.onlyTopCall, 'onlyTopCall');
  }
  return config;
}

/** debug_traceCall's config: a trace config plus geth's stateOverrides and blockOverrides. */
function traceCallConfig(value: unknown): Record<string, unknown> {
  return value === undefined || value === null ? {} : object(value, 'trace config');
}

export function debugTraceMethods(ctx: RpcContext): MethodTable {
  const { backend } = ctx;

  const traceBlock = async (ref: unknown, config: unknown) => {
    const block = await ctx.findBlock(blockRef(ref));
    if (block === undefined) throw new ServerError('block not found');
    if (block.transactions.length > MAX_BLOCK_TRACES)
      throw new ServerError(`block has more than ${MAX_BLOCK_TRACES} transactions to trace`);
    const results = await backend.traceBlock(block, traceConfig(config));
    return results.map((result, i) => ({ txHash: bytesToHex(block.transactions[i]!.hash()), result }));
  };

  return {
    debug_traceTransaction: async (params) => {
      arity(params, 1, 2);
      const loc = await backend.txLocation(hash(params[0], 'transaction hash'));
      if (loc === undefined) throw new ServerError('transaction not found');
      return backend.traceTransaction(loc.block, loc.index, traceConfig(params[1]));
    },
    debug_traceCall: async (params) => {
      arity(params, 1, 3);
      const args = callArgs(params[0]);
      const block = await ctx.requireBlock(blockRef(params[1] ?? 'latest'));
      const { stateOverrides, blockOverrides, ...config } = traceCallConfig(params[2]);
      return backend.traceCall(
        block,
        args,
        traceConfig(config),
        callOverrides(stateOverrides, blockOverrides),
      );
    },
    debug_traceBlockByNumber: async (params) => {
      arity(params, 1, 2);
      return traceBlock(params[0], params[1]);
    },
    debug_traceBlockByHash: async (params) => {
      arity(params, 1, 2);
      hash(params[0], 'block hash');
      return traceBlock(params[0], params[1]);
    },
  };
}
