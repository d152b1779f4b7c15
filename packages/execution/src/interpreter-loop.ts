// The interpreter's main loop without a promise per opcode. EthereumJS runs
// every opcode through an async step function and awaits it, even the
// opcodes that never wait for anything (arithmetic, stack, memory, jumps);
// a token's balanceOf executes a few hundred of them, and the awaits cost
// about a quarter of an eth_call. This loop does the same steps in the same
// order (dynamic gas, the invalid-opcode check, the base gas, the program
// counter, the handler) and awaits only what returns a promise: the dynamic
// gas of opcodes that read state (sync-gas.ts computes the rest without one)
// and the handlers that wait for something (storage, calls, creation), not
// the many EthereumJS marks async that never do.
//
// STOP and RETURN end the run here. EthereumJS's handlers end it by
// throwing, which in a short call costs more than the rest of its last step;
// the effect is the same (the return data kept, the access witness reverted,
// no error).
//
// It covers legacy bytecode run without observers. Whenever anything else is
// in play (EOF code, the step event that tracers use, EthereumJS's debug or
// profiler, EIP-6800/7864 code-chunk charging) the original loop runs, so
// traces see exactly what EthereumJS reports.
import { EVMError } from '@ethereumjs/evm';
import {
  consumeEip7928PostTargetCallOog,
  Interpreter,
  type InterpreterInstance,
  type OpcodeEntry,
  type RunResult,
  type RunState,
} from './evm-internals.js';

const STOP = 0x00;
const RETURN = 0xf3;
const JUMP = 0x56;
const JUMPI = 0x57;
const JUMPSUB = 0x5e;
const EOF_FORMAT = 0xef;

const original = Interpreter.prototype.run;
let ethereumJsLoopOnly = false;

/** Runs `fn` with EthereumJS's own loop and frames (frames.ts) everywhere: the reference the node's are tested against. */
export async function withEthereumJsLoop<T>(fn: () => Promise<T>): Promise<T> {
  ethereumJsLoopOnly = true;
  try {
    return await fn();
  } finally {
    ethereumJsLoopOnly = false;
  }
}

/** EthereumJS's own test: its errors carry this tag (an instanceof check could meet another copy of the class). */
function isEvmError(err: unknown): err is EVMError {
  return typeof err === 'object' && err !== null && (err as { errorType?: unknown }).errorType === 'EVMError';
}

/**
 * Whether EthereumJS's own loop must run `code`: for EOF code, EthereumJS's
 * debug or profiler, a step listener (tracers), or code-chunk charging.
 */
export function needsOriginalLoop(
  evm: InterpreterInstance['_evm'],
  code: Uint8Array,
  frame: { profiler: boolean; chargeCodeAccesses: boolean },
): boolean {
  const common = evm.common;
  return (
    ethereumJsLoopOnly ||
    (code[0] === EOF_FORMAT && common.isActivatedEIP(3540)) ||
    frame.profiler ||
    evm.DEBUG ||
    evm.events.listenerCount('step') > 0 ||
    ((common.isActivatedEIP(6800) || common.isActivatedEIP(7864)) && frame.chargeCodeAccesses)
  );
}

/** What RETURN returns: EthereumJS's handler's reading of its two operands. */
function returnData(state: RunState): Uint8Array {
  const [offset, length] = state.stack.popN(2) as [bigint, bigint];
  return length === 0n ? new Uint8Array(0) : state.memory.read(Number(offset), Number(length));
}

Interpreter.prototype.run = async function (
  this: InterpreterInstance,
  code: Uint8Array,
  opts: { pc?: number } = {},
): Promise<RunResult> {
  const frame = {
    profiler: this.profilerOpts?.enabled === true,
    chargeCodeAccesses: this._env.chargeCodeAccesses === true,
  };
  if (needsOriginalLoop(this._evm, code, frame)) {
    // A view frame's limits hold in this loop only: where EthereumJS's must run, the frame gives up.
    if (this._allowed !== undefined)
      return { runState: this._runState, exceptionError: undefined, stoppedBefore: -1 };
    return original.call(this, code, opts);
  }
  const state = this._runState;
  const common = this.common;
  state.code = code;
  state.programCounter = opts.pc ?? state.programCounter;
  const start = state.programCounter;
  if (start !== 0 && (start < 0 || start >= code.length)) {
    throw new Error('Internal error: program counter not in range');
  }
  const opcodeMap = this._evm._opcodeMap;
  // Until the first jump the opcode comes from the EVM's table; from then on
  // from the per-position table of the jump analysis, as EthereumJS does.
  let analysed: OpcodeEntry[] | undefined;
  let error: unknown;
  // A view call's frame (view-call.ts) runs only the opcodes it allows, and stops before any other.
  const allowed = this._allowed;
  while (state.programCounter < code.length) {
    const pc = state.programCounter;
    let entry: OpcodeEntry;
    let opCode: number;
    if (analysed === undefined) {
      opCode = code[pc]!;
      entry = opcodeMap[opCode]!;
      if (opCode === JUMP || opCode === JUMPI || opCode === JUMPSUB) {
        const analysis = this._getValidJumpDestinations(code);
        state.validJumps = analysis.jumps;
        state.cachedPushes = analysis.pushes;
        state.shouldDoJumpAnalysis = false;
        analysed = analysis.opcodesCached;
      }
    } else {
      entry = analysed[pc]!;
      opCode = entry.opcodeInfo.code;
    }
    if (allowed !== undefined && allowed[opCode] !== 1) {
      return { runState: state, exceptionError: undefined, stoppedBefore: opCode };
    }
    state.opCode = opCode;
    const info = entry.opcodeInfo;
    try {
      let gas = info.feeBigInt;
      if (info.dynamicGas) {
        const charged = entry.gasHandler(state, gas, common);
        gas = typeof charged === 'bigint' ? charged : await charged;
      }
      if (info.isInvalid) throw new EVMError(EVMError.errorMessages.INVALID_OPCODE);
      this.useGas(gas, info);
      state.programCounter++;
      consumeEip7928PostTargetCallOog(state);
      if (opCode === STOP || opCode === RETURN) {
        if (opCode === RETURN) this._result.returnValue = returnData(state);
        state.env.accessWitness?.revert();
        break;
      }
      // EthereumJS marks opcodes async that never wait (CALLER, CALLDATALOAD, NUMBER, ...): a promise
      // is awaited, a plain return is not.
      const done = entry.opHandler(state, common);
      if (info.isAsync && done instanceof Promise) await done;
      state.env.accessWitness?.commit();
    } catch (err) {
      state.env.accessWitness?.revert();
      // Anything but an EVM error (a bug, or the call deadline) goes to the caller.
      if (!isEvmError(err)) throw err;
      // STOP ends the run through the same path, and is not a failure.
      if (err.error !== EVMError.errorMessages.STOP) error = err;
      break;
    }
  }
  if (
    error === undefined &&
    state.eip8037BurnLeftoverAfterCreateHaltOntoAlive === true &&
    state.gasLeft > 0n
  ) {
    // EIP-8037: a CREATE that halted onto a live account burns what is left (EthereumJS's rule).
    state.gasLeft = 0n;
    error = new EVMError(EVMError.errorMessages.OUT_OF_GAS);
  }
  return { runState: state, exceptionError: error };
};
