// KECCAK256, CALLDATALOAD, MLOAD, MSTORE and SLOAD without a hex string per
// word. EthereumJS turns a 256-bit stack word into bytes by printing it in
// hex, parsing the hex and padding it through array spreads (about 2 µs a
// word on these machines), and back again through hex; a token read does
// that a dozen times. These handlers move the word through four 64-bit
// quarters of a DataView instead, with the same effect on memory, storage
// and the stack. They replace the handlers in one EVM's opcode table, so
// every path that runs the EVM, traced or not, sees the same opcodes.
import type { Common } from '@ethereumjs/common';
import { bytesToBigInt } from '@ethereumjs/util';
import { keccak_256 } from '@noble/hashes/sha3.js';
import type { OpcodeEntry, OpHandler, RunState } from './evm-internals.js';

const MAX_WORD = (1n << 256n) - 1n;
const U64 = 64n;

/**
 * Where every word passes on its way into and out of bytes: one 32-byte
 * DataView, made once. A DataView per word costs more than the copy, and on
 * a small array (a storage key) its \`buffer\` has to be moved off the heap
 * first.
 */
const scratch = new DataView(new ArrayBuffer(32));
const scratchBytes = new Uint8Array(scratch.buffer);

/** `word` (0 ≤ word < 2^256) as 32 big-endian bytes written at `offset` of `into`. */
function putWord(into: Uint8Array, offset: number, word: bigint): void {
  scratch.setBigUint64(24, BigInt.asUintN(64, word));
  scratch.setBigUint64(16, BigInt.asUintN(64, word >> U64));
  scratch.setBigUint64(8, BigInt.asUintN(64, word >> 128n));
  scratch.setBigUint64(0, word >> 192n);
  into.set(scratchBytes, offset);
}

/** 32 big-endian bytes as a number. */
function getWord(bytes: Uint8Array): bigint {
  scratchBytes.set(bytes);
  return (
    (scratch.getBigUint64(0) << 192n) |
    (scratch.getBigUint64(8) << 128n) |
    (scratch.getBigUint64(16) << U64) |
    scratch.getBigUint64(24)
  );
}

/** `word` as 32 big-endian bytes. */
export function wordToBytes(word: bigint): Uint8Array {
  const out = new Uint8Array(32);
  putWord(out, 0, word);
  return out;
}

/** Up to 32 big-endian bytes as a number (storage values are stored without leading zeros). */
export function bytesToWord(bytes: Uint8Array): bigint {
  if (bytes.length === 32) return getWord(bytes);
  if (bytes.length > 32) return bytesToBigInt(bytes);
  const padded = new Uint8Array(32);
  padded.set(bytes, 32 - bytes.length);
  return getWord(padded);
}

const keccak256: OpHandler = (state, common) => {
  const [offset, length] = state.stack.popN(2) as [bigint, bigint];
  const data = length === 0n ? new Uint8Array(0) : state.memory.read(Number(offset), Number(length));
  const hash = (common as Common).customCrypto.keccak256 ?? keccak_256;
  state.stack.push(getWord(hash(data)));
};

/** CALLDATALOAD: the word at the offset, zero-padded past the end of the calldata. */
const calldataload: OpHandler = (state) => {
  const offset = state.stack.pop();
  const data = state.interpreter.getCallData();
  if (offset >= BigInt(data.length)) {
    state.stack.push(0n);
    return;
  }
  const at = Number(offset);
  if (at + 32 <= data.length) {
    state.stack.push(getWord(data.subarray(at, at + 32)));
    return;
  }
  const padded = new Uint8Array(32);
  padded.set(data.subarray(at));
  state.stack.push(getWord(padded));
};

const mload: OpHandler = (state) => {
  const offset = Number(state.stack.pop());
  state.stack.push(getWord(state.memory.read(offset, 32, true)));
};

function mstore(fallback: OpHandler): OpHandler {
  return (state, common) => {
    const [offset, word] = state.stack.popN(2) as [bigint, bigint];
    if (word > MAX_WORD || word < 0n) {
      // Never on a sound stack; EthereumJS's handler reports it as it would.
      state.stack.push(word);
      state.stack.push(offset);
      return fallback(state, common);
    }
    const at = Number(offset);
    state.memory.extend(at, 32);
    putWord(state.memory._store, at, word);
  };
}

function sload(fallback: OpHandler): OpHandler {
  return async (state: RunState, common) => {
    const key = state.stack.pop();
    if (key > MAX_WORD || key < 0n) {
      state.stack.push(key);
      return fallback(state, common);
    }
    const value = await state.interpreter.storageLoad(wordToBytes(key));
    state.stack.push(value.length === 0 ? 0n : bytesToWord(value));
  };
}

const REPLACEMENTS: ReadonlyArray<[opcode: number, name: string, make: (original: OpHandler) => OpHandler]> =
  [
    [0x20, 'KECCAK256', () => keccak256],
    [0x35, 'CALLDATALOAD', () => calldataload],
    [0x51, 'MLOAD', () => mload],
    [0x52, 'MSTORE', mstore],
    [0x54, 'SLOAD', sload],
  ];

/** Puts the word handlers into `evm`'s opcode table, in place (the jump analysis shares its entries). */
export function installWordOpcodes(evm: object): void {
  const map = (evm as { _opcodeMap: OpcodeEntry[] })._opcodeMap;
  for (const [opcode, name, make] of REPLACEMENTS) {
    const entry = map[opcode];
    // A custom opcode in that place keeps its own handler.
    if (entry === undefined || (entry.opcodeInfo as { name?: string }).name !== name) continue;
    entry.opHandler = make(entry.opHandler);
  }
}
