// A time limit for calls. EthereumJS's interpreter has no interruption point,
// so the limit is checked where every long run must pass: a loop needs JUMP
// or JUMPI, and a deep call chain repeats CALL-family opcodes. Past the
// deadline the handler throws an error that is not an EVM error, which the
// interpreter does not catch: the run stops and the error reaches the caller.
import type { EVM } from '@ethereumjs/evm';

/** Thrown out of a run that went past its deadline. */
export class DeadlineExceeded extends Error {
  constructor() {
    super('deadline exceeded');
    this.name = 'DeadlineExceeded';
  }
}

/** JUMP, JUMPI; CALL, CALLCODE, DELEGATECALL, STATICCALL; CREATE, CREATE2. */
const CHECKED_OPCODES = [0x56, 0x57, 0xf1, 0xf2, 0xf4, 0xfa, 0xf0, 0xf5];
/** The clock is read once per this many checked opcodes (a power of two). */
const CHECK_EVERY = 64;

type OpHandler = (...args: unknown[]) => unknown;
interface OpcodeEntry {
  opHandler: OpHandler;
}

/**
 * Arms `evm` with a deadline read from `deadline()` (a `performance.now()`
 * instant, or Infinity for none). The interpreter keeps references to the
 * entries of the EVM's opcode map, so the handlers are wrapped in place.
 */
export function installDeadline(evm: EVM, deadline: () => number): void {
  const map = (evm as unknown as { _opcodeMap: OpcodeEntry[] })._opcodeMap;
  let count = 0;
  for (const opcode of CHECKED_OPCODES) {
    const entry = map[opcode];
    if (entry === undefined) continue;
    const original = entry.opHandler;
    entry.opHandler = (...args: unknown[]) => {
      count = (count + 1) & (CHECK_EVERY - 1);
      if (count === 0 && performance.now() > deadline()) throw new DeadlineExceeded();
      return original(...args);
    };
  }
}
