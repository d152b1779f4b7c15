// EthereumJS's step event (what tracers listen to) reads REVERT's return
// data out of memory before the opcode pays for that memory: a REVERT whose
// offset is far out (2^32, 2^255) makes the tracer allocate gigabytes, or
// fail with a RangeError, where the run itself ends in an out-of-gas. When
// the step cannot pay its gas, the event gets no return data (the step fails
// before returning any); every other step reads as before.
//
// The event also carries a copy of the whole memory at every step. Only the
// opcode logger with enableMemory reads it; for every other tracer the copy
// is skipped (a contract holding a megabyte of memory made each step copy it).
import { Interpreter, type InterpreterInstance } from './evm-internals.js';

/** EVMs whose step events need no copy of memory (while a tracer that ignores it runs). */
const memoryUnused = new WeakSet<object>();

/** Runs `fn` with `evm`'s step events carrying empty memory. */
export async function withoutStepMemory<T>(evm: object, fn: () => Promise<T>): Promise<T> {
  memoryUnused.add(evm);
  try {
    return await fn();
  } finally {
    memoryUnused.delete(evm);
  }
}

const REVERT = 0xfd;

type StepHook = (
  this: InterpreterInstance,
  dynamicFee: bigint,
  gasLeft: bigint,
  memorySize: bigint,
) => Promise<void>;
const proto = Interpreter.prototype as unknown as { _runStepHook: StepHook };
const original = proto._runStepHook;

proto._runStepHook = async function (this: InterpreterInstance, dynamicFee, gasLeft, shownMemory) {
  const memorySize = memoryUnused.has(this._evm) ? 0n : shownMemory;
  const state = this._runState;
  if (state.opCode !== REVERT || dynamicFee <= gasLeft)
    return original.call(this, dynamicFee, gasLeft, memorySize);
  const memory = state.memory as { read: (offset: number, size: number) => Uint8Array };
  memory.read = () => new Uint8Array(0);
  try {
    return await original.call(this, dynamicFee, gasLeft, memorySize);
  } finally {
    // Back to the prototype's read.
    delete (memory as { read?: unknown }).read;
  }
};
