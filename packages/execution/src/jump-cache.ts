// EthereumJS analyses a contract's code (jump destinations, push values,
// opcode table) at the first JUMP of every call, again and again for the
// same code: about a tenth of an eth_call to a token. The analysis depends
// only on the code and the EVM (its opcode table), and the interpreter only
// reads it, so it is kept per code object (the state manager's code cache
// hands out the same bytes while the code stays cached) and per EVM.
// The Interpreter class is not exported; its module is loaded by file URL,
// which yields the same module instance the EVM itself uses.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

type Analysis = unknown;
interface InterpreterProto {
  _evm: object;
  _getValidJumpDestinations(code: Uint8Array): Analysis;
}

const require = createRequire(import.meta.url);
const esmEntry = require.resolve('@ethereumjs/evm').replace(/[\\/]cjs[\\/]index\.js$/, '/esm/index.js');
const interpreterUrl = pathToFileURL(esmEntry.replace(/index\.js$/, 'interpreter.js')).href;
const { Interpreter } = (await import(interpreterUrl)) as { Interpreter: { prototype: InterpreterProto } };

const analyses = new WeakMap<Uint8Array, WeakMap<object, Analysis>>();
const analyse = Interpreter.prototype._getValidJumpDestinations;

Interpreter.prototype._getValidJumpDestinations = function (this: InterpreterProto, code: Uint8Array) {
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
