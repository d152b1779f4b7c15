// EthereumJS analyses a contract's code (jump destinations, push values,
// opcode table) at the first JUMP of every call, again and again for the
// same code: about a tenth of an eth_call to a token. The analysis depends
// only on the code and the EVM (its opcode table), and the interpreter only
// reads it, so it is kept per code object (the state manager's code cache
// hands out the same bytes while the code stays cached) and per EVM.
// The Interpreter class is not exported; evm-internals.ts reaches it.
import { Interpreter, type InterpreterInstance, type JumpAnalysis } from './evm-internals.js';

const analyses = new WeakMap<Uint8Array, WeakMap<object, JumpAnalysis>>();
const analyse = Interpreter.prototype._getValidJumpDestinations;

Interpreter.prototype._getValidJumpDestinations = function (this: InterpreterInstance, code: Uint8Array) {
  let perEvm = analyses.get(code);
  if (perEvm === undefined) {
    perEvm = new WeakMap();
    analyses.set(code, perEvm);
  }
  let analysis = perEvm.get(this._evm);
  if (analysis === undefined) {
    analysis = analyse.call(this, code);
    perEvm.set(this._evm, analysis);
  }
  return analysis;
};
