// eth_call's shortest path: a plain call into code that only computes,
// reads its calldata, code, memory, block and own storage, and returns, as
// a view function like balanceOf does. Such code cannot tell whether it runs
// inside a message as runTx would run it (a checkpoint, the sender's and
// recipient's accounts loaded, the warm addresses listed, the journal
// reverted), because every opcode that could (BALANCE, EXTCODE*, CALL,
// SSTORE, LOG, ...) is left out. So its frame is set up on its own, as
// EthereumJS sets up a frame, and run by the node's loop with the same
// opcode handlers and gas, allowed only the opcodes below: that skips
// EthereumJS's message machinery, a third of a token read.
//
// The frame gives up before any other opcode: then nothing is reported and
// directCall runs the call from the start (within the same time limit, so
// a call that computes for long and then reaches a CALL has less of it).
// A revert, running out of gas or a bad jump end it as they end EthereumJS's
// frame, with the same outcome. The frame writes nothing; the slots it warms
// (EIP-2929) are kept by the frame itself, not the EVM's journal.
import type { EVM } from '@ethereumjs/evm';
import { Account, bytesToUnprefixedHex } from '@ethereumjs/util';
import { callOutcome } from '@openledger/core';
import { type CallPath, plainCallStart } from './direct-call.js';
import type { OpcodeEntry } from './evm-internals.js';
import {
  type EvmFrameParts,
  frameEnv,
  frameGasUsed,
  giveBack,
  newInterpreter,
  takeMemory,
} from './frames.js';

/** The opcodes a view frame may run, by EthereumJS's names for them. */
const VIEW_OPCODES = new Set([
  'STOP',
  'ADD',
  'MUL',
  'SUB',
  'DIV',
  'SDIV',
  'MOD',
  'SMOD',
  'ADDMOD',
  'MULMOD',
  'EXP',
  'SIGNEXTEND',
  'LT',
  'GT',
  'SLT',
  'SGT',
  'EQ',
  'ISZERO',
  'AND',
  'OR',
  'XOR',
  'NOT',
  'BYTE',
  'SHL',
  'SHR',
  'SAR',
  'CLZ',
  'KECCAK256',
  'ADDRESS',
  'ORIGIN',
  'CALLER',
  'CALLVALUE',
  'CALLDATALOAD',
  'CALLDATASIZE',
  'CALLDATACOPY',
  'CODESIZE',
  'CODECOPY',
  'GASPRICE',
  'RETURNDATASIZE',
  'COINBASE',
  'TIMESTAMP',
  'NUMBER',
  'PREVRANDAO',
  'GASLIMIT',
  'CHAINID',
  'BASEFEE',
  'POP',
  'MLOAD',
  'MSTORE',
  'MSTORE8',
  'SLOAD',
  'JUMP',
  'JUMPI',
  'PC',
  'MSIZE',
  'GAS',
  'JUMPDEST',
  'MCOPY',
  'PUSH0',
  'PUSH',
  'DUP',
  'SWAP',
  'RETURN',
  'REVERT',
  'INVALID',
]);

/** The opcodes of `evm`'s table (its fork) that VIEW_OPCODES names, as 1s. */
const allowedByEvm = new WeakMap<object, Uint8Array>();

function allowedOpcodes(evm: EVM): Uint8Array {
  let allowed = allowedByEvm.get(evm);
  if (allowed === undefined) {
    const map = (evm as unknown as { _opcodeMap: (OpcodeEntry | undefined)[] })._opcodeMap;
    allowed = new Uint8Array(256);
    for (let opcode = 0; opcode < 256; opcode++) {
      const info = map[opcode]?.opcodeInfo as { name?: string; isInvalid?: boolean } | undefined;
      // Unassigned opcodes fail as INVALID does.
      if (info !== undefined && (info.isInvalid || VIEW_OPCODES.has(info.name ?? ''))) allowed[opcode] = 1;
    }
    allowedByEvm.set(evm, allowed);
  }
  return allowed;
}

/**
 * The journal as a view frame's SLOAD uses it (EIP-2929's warm slots): its
 * own storage's slots, all cold at the start, as in a transaction without an
 * access list. No other allowed opcode reaches the journal.
 */
function frameJournal() {
  const warm = new Set<string>();
  return {
    isWarmedStorage: (_address: Uint8Array, slot: Uint8Array) => warm.has(bytesToUnprefixedHex(slot)),
    addWarmedStorage: (_address: Uint8Array, slot: Uint8Array) => {
      warm.add(bytesToUnprefixedHex(slot));
    },
  };
}

/** Code that starts with 0xEF: EOF, or an EIP-7702 delegation EthereumJS would follow. */
const EF_PREFIX = 0xef;

/**
 * Runs a plain call (calls.ts decides which are) as a view frame. Undefined
 * when the call is not one: its sender has code (runTx refuses it, EIP-3607,
 * or it is delegated: the full path answers), its target is a precompile,
 * has no code or delegates it, the gas does not cover the intrinsic cost,
 * the code went somewhere a view frame may not, or EthereumJS's own loop
 * would run it (a tracer, its debug or profiler: the loop then gives up).
 */
export const viewCall: CallPath = async (vm, context, req, gas) => {
  const to = req.to!;
  const evm = vm.evm as EVM;
  if (vm.common.isActivatedEIP(7928) || evm.getPrecompile(to) !== undefined) return undefined;
  const code = await vm.stateManager.getCode(to);
  if (code.length === 0 || code[0] === EF_PREFIX) return undefined;
  const start = await plainCallStart(vm, req, gas);
  if (start === undefined) return undefined;
  const { intrinsic } = start;
  const contract = (await vm.stateManager.getAccount(to)) ?? new Account();
  // The frame runTx's message would get: depth 0, no value, gas price 0, code loaded as _loadCode loads it.
  const message = {
    to,
    caller: req.from,
    data: req.data,
    value: 0n,
    code,
    codeAddress: to,
    gasRefund: 0n,
    chargeCodeAccesses: true,
    createdAddresses: new Set(),
  };
  const env = frameEnv(message, 0n, req.from, context, contract, undefined);
  const gasLimit = gas - intrinsic;
  const memory = takeMemory();
  const frame = newInterpreter(evm as unknown as EvmFrameParts, env, gasLimit, memory);
  frame._allowed = allowedOpcodes(evm);
  frame.journal = frameJournal();
  try {
    const run = await frame.run(code, {});
    if (run.stoppedBefore !== undefined) return undefined;
    const returnValue = (frame._result.returnValue as Uint8Array | undefined) ?? new Uint8Array(0);
    const exceptionError = run.exceptionError as { error: string } | undefined;
    return callOutcome({ returnValue, exceptionError }, intrinsic + frameGasUsed(run, gasLimit));
  } finally {
    giveBack(memory);
  }
};
