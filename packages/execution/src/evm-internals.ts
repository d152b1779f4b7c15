// Parts of @ethereumjs/evm that its index does not export: the Interpreter
// class and the EIP-7928 step helper. Their modules are loaded by file URL,
// which yields the same module instances the EVM itself uses, so a change
// to the Interpreter's prototype reaches every EVM in the process.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const esmDir = require.resolve('@ethereumjs/evm').replace(/[\\/]cjs[\\/]index\.js$/, '/esm/');
const moduleUrl = (path: string) => pathToFileURL(esmDir + path).href;

export interface RunStateEnv {
  chargeCodeAccesses?: boolean;
  accessWitness?: { commit(): void; revert(): void };
  eof?: unknown;
}

/** The interpreter's run state, as far as the node's replacements read it. */
export interface RunState {
  programCounter: number;
  opCode: number;
  code: Uint8Array;
  gasLeft: bigint;
  validJumps: Uint8Array;
  cachedPushes: Record<number, bigint>;
  shouldDoJumpAnalysis: boolean;
  eip8037BurnLeftoverAfterCreateHaltOntoAlive?: boolean;
  stack: { pop(): bigint; popN(n: number): bigint[]; peek(n?: number): bigint[]; push(value: bigint): void };
  memoryWordCount: bigint;
  highestMemCost: bigint;
  env: RunStateEnv;
  memory: {
    _store: Uint8Array;
    extend(offset: number, size: number): void;
    read(offset: number, size: number, avoidCopy?: boolean): Uint8Array;
  };
  interpreter: {
    storageLoad(key: Uint8Array): Promise<Uint8Array>;
    getCallData(): Uint8Array;
    isStatic(): boolean;
    getReturnDataSize(): bigint;
  };
}

export interface OpcodeInfo {
  code: number;
  feeBigInt: bigint;
  dynamicGas: boolean;
  isAsync: boolean;
  isInvalid: boolean;
}

export type OpHandler = (runState: RunState, common: unknown) => unknown;
export type GasHandler = (runState: RunState, gas: bigint, common: unknown) => Promise<bigint> | bigint;

export interface OpcodeEntry {
  opcodeInfo: OpcodeInfo;
  opHandler: OpHandler;
  gasHandler: GasHandler;
}

export interface JumpAnalysis {
  jumps: Uint8Array;
  pushes: Record<number, bigint>;
  opcodesCached: OpcodeEntry[];
}

export interface InterpreterInstance {
  _evm: {
    common: { isActivatedEIP(eip: number): boolean };
    DEBUG: boolean;
    _opcodeMap: OpcodeEntry[];
    events: { listenerCount(event: string): number };
  };
  _env: { chargeCodeAccesses?: boolean };
  _runState: RunState;
  _result: { returnValue?: Uint8Array };
  /** Opcodes a view call's frame may run (1 each); any other ends the run before it (view-call.ts). */
  _allowed?: Uint8Array;
  common: { isActivatedEIP(eip: number): boolean };
  profilerOpts?: { enabled?: boolean };
  _getValidJumpDestinations(code: Uint8Array): JumpAnalysis;
  useGas(amount: bigint, context: OpcodeInfo): void;
}

export interface RunResult {
  runState: RunState;
  exceptionError: unknown;
  /** The opcode a view call's frame stopped before, not being allowed to run it. */
  stoppedBefore?: number;
}

export interface InterpreterProto {
  run(this: InterpreterInstance, code: Uint8Array, opts?: { pc?: number }): Promise<RunResult>;
  _getValidJumpDestinations(this: InterpreterInstance, code: Uint8Array): JumpAnalysis;
}

export const { Interpreter } = (await import(moduleUrl('interpreter.js'))) as {
  Interpreter: { prototype: InterpreterProto };
};

/** EthereumJS's frame memory: an 8 KiB store to start with, grown in steps of 8 KiB. */
export interface MemoryInstance {
  _store: Uint8Array;
}

export const { Memory } = (await import(moduleUrl('memory.js'))) as { Memory: new () => MemoryInstance };
export const { Stack } = (await import(moduleUrl('stack.js'))) as { Stack: new () => RunState['stack'] };

export const { consumeEip7928PostTargetCallOog } = (await import(moduleUrl('opcodes/EIP7928.js'))) as {
  consumeEip7928PostTargetCallOog(runState: RunState): void;
};

/** EthereumJS's gas helpers, shared by its own handlers and the node's (sync-gas.ts). */
export const { subMemUsage, divCeil, trap } = (await import(moduleUrl('opcodes/util.js'))) as {
  subMemUsage(state: RunState, offset: bigint, length: bigint, common: unknown): bigint;
  divCeil(a: bigint, b: bigint): bigint;
  trap(error: string): never;
};

export const { accessStorageEIP2929 } = (await import(moduleUrl('opcodes/EIP2929.js'))) as {
  accessStorageEIP2929(
    state: RunState,
    key: Uint8Array,
    isSstore: boolean,
    common: unknown,
    chargeGas?: boolean,
  ): bigint;
};
