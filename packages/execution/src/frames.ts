// Call frames without a new 8 KiB of memory each. EthereumJS builds an
// Interpreter for every frame, and the Interpreter a Memory whose
// constructor allocates 8 KiB outside the JavaScript heap: in a token read,
// that allocation (and the collections that memory outside the heap brings
// on) is a tenth of the call. Here a frame is set up and finished as
// EthereumJS's runInterpreter does it, step for step, except that its
// memory comes from a small pool of cleared ones and goes back when the
// frame has run. Nothing reads a frame's memory after that: what it
// returns is a copy (RETURN and REVERT read memory by copying).
//
// It applies where the node's loop runs (interpreter-loop.ts); anywhere
// else (a tracer's step listener, EOF code, EthereumJS's own loop in tests)
// EthereumJS's runInterpreter runs unchanged.
import type { Common } from '@ethereumjs/common';
import { EVM, EVMError, type Message } from '@ethereumjs/evm';
import { Account, type Address, createZeroAddress } from '@ethereumjs/util';
import {
  Interpreter,
  type InterpreterInstance,
  Memory,
  type MemoryInstance,
  type RunResult,
  Stack,
} from './evm-internals.js';
import { needsOriginalLoop } from './interpreter-loop.js';

/** The size EthereumJS's Memory starts with; a store that grew past it is not kept. */
const MEMORY_SIZE = 8192;
/** Cleared memories kept for the next frames (more than a token read's nesting needs). */
const POOL_SIZE = 16;
const pool: MemoryInstance[] = [];

/** Cleared memories waiting for a frame (for tests). */
export function pooledMemories(): number {
  return pool.length;
}

/** A cleared 8 KiB memory for a new frame. */
export function takeMemory(): MemoryInstance {
  return pool.pop() ?? new Memory();
}

/** Back to the pool once its frame has run, cleared; a grown one is left to the collector. */
export function giveBack(memory: MemoryInstance): void {
  if (memory._store.length !== MEMORY_SIZE || pool.length >= POOL_SIZE) return;
  memory._store.fill(0);
  pool.push(memory);
}

/** What runInterpreter reads of the EVM beyond its public face. */
export interface EvmFrameParts {
  common: Common;
  stateManager: EVM['stateManager'];
  blockchain: EVM['blockchain'];
  journal: EVM['journal'];
  performanceLogger: unknown;
  _optsCached: { profiler?: { enabled?: boolean }; cliqueSigner?: unknown };
  _block: unknown;
  _tx: { gasPrice: bigint; origin?: Address } | undefined;
  runInterpreter(message: Message, opts?: { pc?: number; initialLogs?: unknown[] }): Promise<unknown>;
}

export type FrameEnv = Record<string, unknown> & {
  gasRefund?: bigint | undefined;
  initialLogs?: unknown[] | undefined;
};

export interface FrameInterpreter {
  _result: Record<string, unknown>;
  _allowed?: Uint8Array;
  journal: unknown;
  run(code: Uint8Array, opts: { pc?: number }): Promise<RunResult>;
}

/** An Interpreter as EthereumJS's constructor makes it, with `memory` in its run state. */
export function newInterpreter(
  evm: EvmFrameParts,
  env: FrameEnv,
  gasLeft: bigint,
  memory: MemoryInstance,
): FrameInterpreter {
  const interpreter = Object.create(Interpreter.prototype) as Record<string, unknown>;
  interpreter.opDebuggers = {};
  interpreter._evm = evm as unknown as InterpreterInstance['_evm'];
  interpreter._stateManager = evm.stateManager;
  interpreter.common = evm.common;
  interpreter._runState = {
    programCounter: 0,
    opCode: 0xfe,
    memory,
    memoryWordCount: 0n,
    highestMemCost: 0n,
    stack: new Stack(),
    code: new Uint8Array(0),
    validJumps: Uint8Array.from([]),
    cachedPushes: {},
    stateManager: evm.stateManager,
    blockchain: evm.blockchain,
    env,
    shouldDoJumpAnalysis: true,
    interpreter,
    gasRefund: env.gasRefund,
    gasLeft,
    stateGasSpilled: 0n,
    returnBytes: new Uint8Array(0),
  };
  interpreter.journal = evm.journal;
  interpreter._env = env;
  interpreter._result = {
    logs: env.initialLogs ? [...env.initialLogs] : [],
    returnValue: undefined,
    selfdestruct: new Map(),
  };
  interpreter.profilerOpts = evm._optsCached.profiler;
  interpreter.performanceLogger = evm.performanceLogger;
  return interpreter as unknown as FrameInterpreter;
}

/** What runInterpreter reads of a message for its frame (a Message, or what a view call stands in for one). */
export interface FrameMessage {
  to?: Address | undefined;
  caller?: Address | undefined;
  data?: Uint8Array | undefined;
  value?: bigint | undefined;
  code?: unknown;
  isStatic?: boolean | undefined;
  isCreate?: boolean | undefined;
  depth?: number | undefined;
  codeAddress: Address;
  gasRefund?: bigint | undefined;
  chargeCodeAccesses?: boolean | undefined;
  blobVersionedHashes?: unknown[] | undefined;
  accessWitness?: unknown;
  createdAddresses?: Set<unknown> | undefined;
}

/** A frame's environment as EthereumJS's runInterpreter makes it, defaults included. */
export function frameEnv(
  message: FrameMessage,
  gasPrice: bigint,
  origin: Address | undefined,
  block: unknown,
  contract: Account,
  initialLogs: unknown[] | undefined,
): FrameEnv {
  return {
    address: message.to ?? createZeroAddress(),
    caller: message.caller ?? createZeroAddress(),
    callData: message.data ?? Uint8Array.from([0]),
    callValue: message.value ?? 0n,
    code: message.code,
    isStatic: message.isStatic ?? false,
    isCreate: message.isCreate ?? false,
    depth: message.depth ?? 0,
    gasPrice,
    origin: origin ?? createZeroAddress(),
    block,
    contract,
    codeAddress: message.codeAddress,
    gasRefund: message.gasRefund,
    chargeCodeAccesses: message.chargeCodeAccesses,
    blobVersionedHashes: message.blobVersionedHashes ?? [],
    accessWitness: message.accessWitness,
    createdAddresses: message.createdAddresses,
    initialLogs,
  };
}

/** The gas a frame used, as EthereumJS's runInterpreter counts it: a failure other than a revert uses all. */
export function frameGasUsed(run: RunResult, gasLimit: bigint): bigint {
  const error = run.exceptionError as EVMError | undefined;
  if (
    error !== undefined &&
    error.error !== EVMError.errorMessages.REVERT &&
    error.error !== EVMError.errorMessages.INVALID_EOF_FORMAT
  ) {
    return gasLimit;
  }
  return gasLimit - run.runState.gasLeft;
}

/** Whether EthereumJS's runInterpreter must run: where the node's loop would not, or its defaults apply. */
function needsOriginal(evm: EvmFrameParts, message: Message): boolean {
  return (
    evm._block === undefined ||
    evm._tx === undefined ||
    message.code === undefined ||
    (evm.common.consensusType() === 'poa' && evm._optsCached.cliqueSigner === undefined) ||
    needsOriginalLoop(evm as unknown as InterpreterInstance['_evm'], message.code as Uint8Array, {
      profiler: evm._optsCached.profiler?.enabled === true,
      chargeCodeAccesses: message.chargeCodeAccesses === true,
    })
  );
}

const prototype = EVM.prototype as unknown as EvmFrameParts;
const original = prototype.runInterpreter;

async function runInterpreter(
  this: EvmFrameParts,
  message: Message,
  opts: { pc?: number; initialLogs?: unknown[] } = {},
): Promise<unknown> {
  if (needsOriginal(this, message)) return original.call(this, message, opts);
  const to = message.to ?? createZeroAddress();
  const contract = (await this.stateManager.getAccount(to)) ?? new Account();
  const tx = this._tx!;
  const env = frameEnv(
    message,
    tx.gasPrice,
    tx.origin ?? message.caller,
    this._block,
    contract,
    opts.initialLogs,
  );
  const memory = takeMemory();
  const interpreter = newInterpreter(this, env, message.gasLimit, memory);
  if (message.selfdestruct) interpreter._result.selfdestruct = message.selfdestruct;
  if (message.createdAddresses) interpreter._result.createdAddresses = message.createdAddresses;
  const run = await interpreter.run(message.code as Uint8Array, opts);
  giveBack(memory);
  let result = interpreter._result;
  const gasUsed = frameGasUsed(run, message.gasLimit);
  const error = run.exceptionError as EVMError | undefined;
  if (error) result = { ...result, logs: [], selfdestruct: new Map(), createdAddresses: new Set() };
  message.accessWitness?.commit();
  const state = run.runState as unknown as Record<string, unknown>;
  return {
    ...result,
    runState: { ...state, ...result, ...env },
    exceptionError: error,
    gas: run.runState.gasLeft,
    executionGasUsed: gasUsed,
    gasRefund: state.gasRefund,
    stateGasSpilled: state.stateGasSpilled,
    returnValue: result.returnValue ?? new Uint8Array(0),
  };
}

prototype.runInterpreter = runInterpreter;
