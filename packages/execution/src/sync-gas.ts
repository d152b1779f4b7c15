// The dynamic gas of the opcodes that pay for memory, computed without a
// promise. EthereumJS declares every dynamic gas handler async, so every
// MLOAD, MSTORE, KECCAK256, SLOAD, RETURN or LOG costs a promise and a turn
// of the microtask queue before the opcode runs, though none of these waits
// for anything: a token read makes dozens of them. These handlers compute
// the same charges with EthereumJS's own helpers (subMemUsage, divCeil,
// accessStorageEIP2929) in the same order, and return the gas itself; the
// node's loop awaits only a handler that returns a promise, and EthereumJS's
// own loop awaits a plain value as it would a promise. Where EIP-6800/7864
// code-chunk or witness charging applies, EthereumJS's handler runs.
import type { Common } from '@ethereumjs/common';
import { EVMError } from '@ethereumjs/evm';
import {
  accessStorageEIP2929,
  divCeil,
  type GasHandler,
  type OpcodeEntry,
  type RunState,
  subMemUsage,
  trap,
} from './evm-internals.js';
import { wordToBytes } from './word-opcodes.js';

const MAX_WORD = (1n << 256n) - 1n;

type SyncGas = (state: RunState, gas: bigint, common: Common) => bigint;

const witnessCharging = (common: Common) => common.isActivatedEIP(6800) || common.isActivatedEIP(7864);

/** RETURN and REVERT: the memory they read. */
const returnData: SyncGas = (state, gas, common) => {
  const [offset, length] = state.stack.peek(2) as [bigint, bigint];
  return gas + subMemUsage(state, offset, length, common);
};

/** Memory for one fixed-size access at the top of the stack (MLOAD, MSTORE, MSTORE8). */
function fixedMemory(size: bigint): SyncGas {
  return (state, gas, common) => gas + subMemUsage(state, state.stack.peek()[0]!, size, common);
}

/** CALLDATACOPY and CODECOPY: memory, then a copy charge per word. */
const copy: SyncGas = (state, gas, common) => {
  const [memOffset, , length] = state.stack.peek(3) as [bigint, bigint, bigint];
  let charged = gas + subMemUsage(state, memOffset, length, common);
  if (length !== 0n) charged += common.param('copyGas') * divCeil(length, 32n);
  return charged;
};

const keccak256: SyncGas = (state, gas, common) => {
  const [offset, length] = state.stack.peek(2) as [bigint, bigint];
  return (
    gas + subMemUsage(state, offset, length, common) + common.param('keccak256WordGas') * divCeil(length, 32n)
  );
};

const returnDataCopy: SyncGas = (state, gas, common) => {
  const [, dataOffset, length] = state.stack.peek(3) as [bigint, bigint, bigint];
  if (dataOffset + length > state.interpreter.getReturnDataSize() && state.env.eof === undefined) {
    trap(EVMError.errorMessages.OUT_OF_GAS);
  }
  return copy(state, gas, common);
};

const mcopy: SyncGas = (state, gas, common) => {
  const [dst, src, length] = state.stack.peek(3) as [bigint, bigint, bigint];
  return (
    gas +
    3n * ((length + 31n) / 32n) +
    subMemUsage(state, src, length, common) +
    subMemUsage(state, dst, length, common)
  );
};

const log: SyncGas = (state, gas, common) => {
  if (state.interpreter.isStatic()) trap(EVMError.errorMessages.STATIC_STATE_CHANGE);
  const [offset, length] = state.stack.peek(2) as [bigint, bigint];
  const topics = state.opCode - 0xa0;
  if (topics < 0 || topics > 4) trap(EVMError.errorMessages.OUT_OF_RANGE);
  return (
    gas +
    subMemUsage(state, offset, length, common) +
    common.param('logTopicGas') * BigInt(topics) +
    length * common.param('logDataGas')
  );
};

/** The EIP-2929 charge for a storage slot; EthereumJS's handler when witness charging applies. */
function sload(original: GasHandler): GasHandler {
  return (state, gas, common) => {
    const key = state.stack.peek()[0]!;
    if (witnessCharging(common as Common) || key > MAX_WORD || key < 0n) return original(state, gas, common);
    if (!(common as Common).isActivatedEIP(2929)) return gas;
    return gas + accessStorageEIP2929(state, wordToBytes(key), false, common, true);
  };
}

/** CODECOPY: EthereumJS's handler when code chunks are charged (EIP-6800/7864). */
function codeCopy(original: GasHandler): GasHandler {
  return (state, gas, common) =>
    witnessCharging(common as Common) && state.env.chargeCodeAccesses === true
      ? original(state, gas, common)
      : copy(state, gas, common as Common);
}

const plain = (handler: SyncGas) => (): GasHandler => (state, gas, common) =>
  handler(state, gas, common as Common);

const REPLACEMENTS: ReadonlyArray<
  [opcode: number, name: string, make: (original: GasHandler) => GasHandler]
> = [
  [0x20, 'KECCAK256', plain(keccak256)],
  [0x37, 'CALLDATACOPY', plain(copy)],
  [0x39, 'CODECOPY', codeCopy],
  [0x3e, 'RETURNDATACOPY', plain(returnDataCopy)],
  [0x51, 'MLOAD', plain(fixedMemory(32n))],
  [0x52, 'MSTORE', plain(fixedMemory(32n))],
  [0x53, 'MSTORE8', plain(fixedMemory(1n))],
  [0x54, 'SLOAD', sload],
  [0x5e, 'MCOPY', plain(mcopy)],
  [0xa0, 'LOG', plain(log)],
  [0xa1, 'LOG', plain(log)],
  [0xa2, 'LOG', plain(log)],
  [0xa3, 'LOG', plain(log)],
  [0xa4, 'LOG', plain(log)],
  [0xf3, 'RETURN', plain(returnData)],
  [0xfd, 'REVERT', plain(returnData)],
];

/** Puts the synchronous gas handlers into `evm`'s opcode table, in place (the jump analysis shares its entries). */
export function installSyncGas(evm: object): void {
  const map = (evm as { _opcodeMap: OpcodeEntry[] })._opcodeMap;
  for (const [opcode, name, make] of REPLACEMENTS) {
    const entry = map[opcode];
    // A custom opcode in that place keeps its own handler; so does an opcode this fork lacks.
    if (entry === undefined || (entry.opcodeInfo as { name?: string }).name !== name) continue;
    if (!entry.opcodeInfo.dynamicGas) continue;
    entry.gasHandler = make(entry.gasHandler);
  }
}
