// EthereumJS's step event (what tracers listen to) reads REVERT's return
// data out of memory before the opcode pays for that memory: a REVERT whose
// offset is far out (2^32, 2^255) makes the tracer allocate gigabytes, or
// fail with a RangeError, where the run itself ends in an out-of-gas. When
// the step cannot pay its gas, the event gets no return data (the step fails
// before returning any); every other step reads as before.
import { Interpreter, type InterpreterInstance } from './evm-internals.js';

const REVERT = 0xfd;

type StepHook = (
  this: InterpreterInstance,
  dynamicFee: bigint,
  gasLeft: bigint,
  memorySize: bigint,
) => Promise<void>;
const proto = Interpreter.prototype as unknown as { _runStepHook: StepHook };
const original = proto._runStepHook;

proto._runStepHook = async function (this: InterpreterInstance, dynamicFee, gasLeft, memorySize) {
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
