// Transaction tracing (debug_trace*): a transaction re-run on its block's
// state with EVM event listeners, reported as geth's opcode logger
// ("structLogs") or its callTracer (a tree of call frames).
import type { Block } from '@ethereumjs/block';
import type { EVM } from '@ethereumjs/evm';
import type { TypedTransaction } from '@ethereumjs/tx';
import { type Address, bytesToHex, createAddressFromString, hexToBytes } from '@ethereumjs/util';
import { type RunTxResult, runTx, type VM } from '@ethereumjs/vm';
import { NodeError, type TraceOptions } from '@openledger/core';
import type { Chain } from './chain.js';
import { DeadlineExceeded, installDeadline } from './deadline.js';
import { trustImpersonation } from './impersonation.js';
import { withoutStepMemory } from './step-hook.js';
import { createVMAt } from './vm.js';

export const defaultTraceOptions: TraceOptions = {
  tracer: undefined,
  limit: 0,
  enableMemory: false,
  disableStack: false,
  onlyTopCall: false,
  timeoutMs: 5_000,
};

/** Steps one opcode trace may hold, whatever the request asks (each costs memory). */
export const MAX_TRACE_STEPS = 500_000;
/**
 * JSON one opcode trace may amount to, estimated as it is recorded: a
 * trace of deep stacks or large memory reaches it long before the step
 * bound, and its text could not be sent anyway (V8's strings stop at 512 MiB).
 */
export const MAX_TRACE_BYTES = 256 * 1024 * 1024;
/** Estimated JSON of one step: its fixed fields, and one stack item or memory word. */
const STEP_BYTES = 120;
const WORD_BYTES = 70;
/** Estimated JSON of one call frame besides its input and output. */
const FRAME_BYTES = 250;

export type TraceErrorType =
  | { code: 'TRACE_TOO_LARGE'; steps: number; bytes: number }
  | { code: 'TRACE_TX_FAILED'; reason: string }
  | { code: 'TRACE_TIMEOUT'; timeoutMs: number };
export class TraceError extends NodeError<TraceErrorType> {}

export interface StructLog {
  pc: number;
  op: string;
  gas: number;
  gasCost: number;
  depth: number;
  stack?: string[];
  memory?: string[];
  error?: string;
}

export interface OpcodeTrace {
  gas: number;
  failed: boolean;
  returnValue: string;
  structLogs: StructLog[];
}

export interface CallFrame {
  type: string;
  from: string;
  to?: string;
  value?: string;
  gas: string;
  gasUsed: string;
  input: string;
  output?: string;
  error?: string;
  revertReason?: string;
  calls?: CallFrame[];
}

const hex = (n: bigint) => `0x${n.toString(16)}`;

interface StepEvent {
  pc: number;
  gasLeft: bigint;
  opcode: { name: string; fee: number; dynamicFee?: bigint };
  stack: bigint[];
  depth: number;
  memory: Uint8Array;
}

interface MessageEvent {
  caller: { toString(): string };
  to?: { toString(): string };
  value: bigint;
  data: Uint8Array;
  gasLimit: bigint;
  depth: number;
  isStatic: boolean;
  delegatecall: boolean;
  salt?: Uint8Array;
}

interface ResultEvent {
  createdAddress?: { toString(): string };
  execResult: { returnValue: Uint8Array; executionGasUsed: bigint; exceptionError?: { error: string } };
}

type Listener<T> = (data: T, resolve?: (result?: unknown) => void) => void;

interface EventSource {
  on(event: string, listener: Listener<never>): void;
  off?(event: string, listener: Listener<never>): void;
  removeListener(event: string, listener: Listener<never>): void;
}

function events(vm: VM): EventSource {
  const source = vm.evm.events;
  if (source === undefined) throw new Error('EVM without events');
  return source as unknown as EventSource;
}

/** `bytes` in hex, unprefixed, by Node's native encoder: inputs and memory run to megabytes. */
function hexOf(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** Records opcode steps (geth's opcode logger). */
function structLogger(opts: TraceOptions) {
  const limit = opts.limit > 0 && opts.limit < MAX_TRACE_STEPS ? opts.limit : MAX_TRACE_STEPS;
  const logs: StructLog[] = [];
  let truncated = false;
  let bytes = 0;
  const listener: Listener<StepEvent> = (step, resolve) => {
    const size =
      STEP_BYTES +
      (opts.disableStack ? 0 : step.stack.length * WORD_BYTES) +
      (opts.enableMemory ? (step.memory.length / 32) * WORD_BYTES : 0);
    if (logs.length >= limit || truncated) {
      // geth stops recording at the limit; past this node's own bound it refuses the trace.
      if (opts.limit <= 0 || opts.limit >= MAX_TRACE_STEPS) truncated = true;
    } else if (bytes + size > MAX_TRACE_BYTES) {
      truncated = true;
    } else {
      bytes += size;
      const log: StructLog = {
        pc: step.pc,
        op: step.opcode.name,
        gas: Number(step.gasLeft),
        gasCost: step.opcode.fee + Number(step.opcode.dynamicFee ?? 0n),
        depth: step.depth + 1,
      };
      if (!opts.disableStack) log.stack = step.stack.map(hex);
      if (opts.enableMemory) {
        const text = hexOf(step.memory);
        log.memory = [];
        for (let i = 0; i < text.length; i += 64) log.memory.push(text.slice(i, i + 64));
      }
      logs.push(log);
    }
    resolve?.();
  };
  return { listener, logs, truncated: () => truncated };
}

/** Builds the call tree from message events (geth's callTracer). */
function callTracer(opts: TraceOptions) {
  const stack: CallFrame[] = [];
  let root: CallFrame | undefined;
  // Frames cost no gas for their input (a loop can pass the same megabyte
  // of memory to thousands of calls), so the JSON is counted as it grows.
  let bytes = 0;
  let truncated = false;
  const before: Listener<MessageEvent> = (msg, resolve) => {
    const parent = stack[stack.length - 1];
    // A frame that will not be shown still pairs with its afterMessage.
    const shown = parent === undefined || (!opts.onlyTopCall && !truncated);
    bytes += shown ? FRAME_BYTES + 2 * msg.data.length : 0;
    if (bytes > MAX_TRACE_BYTES) truncated = true;
    const type =
      msg.to === undefined
        ? msg.salt === undefined
          ? 'CREATE'
          : 'CREATE2'
        : msg.delegatecall
          ? 'DELEGATECALL'
          : msg.isStatic
            ? 'STATICCALL'
            : 'CALL';
    const frame: CallFrame = {
      type,
      from: msg.caller.toString(),
      gas: hex(msg.gasLimit),
      gasUsed: '0x0',
      input: shown && !truncated ? `0x${hexOf(msg.data)}` : '0x',
    };
    if (msg.to !== undefined) frame.to = msg.to.toString();
    if (type !== 'DELEGATECALL' && type !== 'STATICCALL') frame.value = hex(msg.value);
    if (parent === undefined) root = frame;
    else if (shown && !truncated) {
      parent.calls ??= [];
      parent.calls.push(frame);
    }
    stack.push(frame);
    resolve?.();
  };
  const after: Listener<ResultEvent> = (result, resolve) => {
    const frame = stack.pop();
    if (frame !== undefined) {
      const r = result.execResult;
      frame.gasUsed = hex(r.executionGasUsed);
      if (result.createdAddress !== undefined) frame.to = result.createdAddress.toString();
      bytes += 2 * r.returnValue.length;
      if (bytes > MAX_TRACE_BYTES) truncated = true;
      if (r.returnValue.length > 0 && !truncated) frame.output = `0x${hexOf(r.returnValue)}`;
      if (r.exceptionError !== undefined)
        frame.error = r.exceptionError.error === 'revert' ? 'execution reverted' : r.exceptionError.error;
    }
    resolve?.();
  };
  return { before, after, root: () => root, truncated: () => truncated };
}

export interface PrestateAccount {
  balance: string;
  nonce?: number;
  code?: string;
  storage?: Record<string, string>;
}

interface PrestateStep {
  address: { toString(): string };
  opcode: { code: number };
  stack: bigint[];
}

const ADDRESS_OPS = new Set([0x31, 0x3b, 0x3c, 0x3f]); // BALANCE, EXTCODESIZE, EXTCODECOPY, EXTCODEHASH
const STORAGE_OPS = new Set([0x54, 0x55]); // SLOAD, SSTORE
const word = (n: bigint) => `0x${n.toString(16).padStart(64, '0')}`;

/**
 * geth's prestateTracer: every account and slot the run touched, with its
 * value from before the run. The run happens inside a checkpoint that is
 * reverted, and the values are read from the state it leaves.
 */
async function prestate(
  vm: VM,
  run: () => Promise<RunTxResult>,
  always: string[],
): Promise<Record<string, PrestateAccount>> {
  const touched = new Map<string, Set<bigint>>();
  const touch = (address: string) => {
    const key = address.toLowerCase();
    let slots = touched.get(key);
    if (slots === undefined) {
      slots = new Set();
      touched.set(key, slots);
    }
    return slots;
  };
  for (const address of always) touch(address);
  const onStep: Listener<PrestateStep> = (step, resolve) => {
    const top = step.stack[step.stack.length - 1];
    if (top !== undefined && STORAGE_OPS.has(step.opcode.code)) touch(step.address.toString()).add(top);
    if (top !== undefined && ADDRESS_OPS.has(step.opcode.code))
      touch(`0x${(top & ((1n << 160n) - 1n)).toString(16).padStart(40, '0')}`);
    resolve?.();
  };
  const onMessage: Listener<MessageEvent> = (msg, resolve) => {
    touch(msg.caller.toString());
    if (msg.to !== undefined) touch(msg.to.toString());
    resolve?.();
  };
  const source = events(vm);
  source.on('step', onStep as Listener<never>);
  source.on('beforeMessage', onMessage as Listener<never>);
  await vm.evm.journal.checkpoint();
  try {
    await run();
  } finally {
    source.removeListener('step', onStep as Listener<never>);
    source.removeListener('beforeMessage', onMessage as Listener<never>);
    await vm.evm.journal.revert();
  }
  const out: Record<string, PrestateAccount> = {};
  for (const [hexAddress, slots] of touched) {
    const address = createAddressFromString(hexAddress);
    const account = await vm.stateManager.getAccount(address);
    const entry: PrestateAccount = { balance: hex(account?.balance ?? 0n) };
    if (account !== undefined && account.nonce > 0n) entry.nonce = Number(account.nonce);
    const code = await vm.stateManager.getCode(address);
    if (code.length > 0) entry.code = bytesToHex(code);
    if (slots.size > 0) {
      entry.storage = {};
      for (const slot of slots) {
        const value = await vm.stateManager.getStorage(address, hexToBytes(word(slot) as `0x${string}`));
        entry.storage[word(slot)] = word(value.length === 0 ? 0n : BigInt(bytesToHex(value)));
      }
    }
    out[hexAddress] = entry;
  }
  return out;
}

/** Accounts every run touches, whatever its code does: sender, recipient, fee recipient. */
export function alwaysTouched(from: Address, to: Address | undefined, coinbase: Address): string[] {
  return to === undefined
    ? [from.toString(), coinbase.toString()]
    : [from.toString(), to.toString(), coinbase.toString()];
}

/** Runs `tx` on `vm` with the tracer `opts` names attached; returns the trace. */
export async function traceRun(
  vm: VM,
  runAsIs: () => Promise<RunTxResult>,
  opts: TraceOptions,
  /** Accounts every run touches: sender, recipient, fee recipient. */
  always: string[] = [],
): Promise<OpcodeTrace | CallFrame | Record<string, PrestateAccount>> {
  // Only the opcode logger with enableMemory reads the memory a step event carries.
  const run =
    opts.tracer === undefined && opts.enableMemory ? runAsIs : () => withoutStepMemory(vm.evm, runAsIs);
  if (opts.tracer === 'prestateTracer') return prestate(vm, run, always);
  const source = events(vm);
  if (opts.tracer === 'callTracer') {
    const tracer = callTracer(opts);
    source.on('beforeMessage', tracer.before as Listener<never>);
    source.on('afterMessage', tracer.after as Listener<never>);
    try {
      const result = await run();
      const root = tracer.root();
      if (root === undefined) throw new TraceError({ code: 'TRACE_TX_FAILED', reason: 'no call ran' });
      if (tracer.truncated()) throw tooLarge();
      // The top frame reports the transaction's gas, as geth's callTracer does.
      root.gasUsed = hex(result.totalGasSpent);
      if (opts.onlyTopCall) delete root.calls;
      return root;
    } finally {
      source.removeListener('beforeMessage', tracer.before as Listener<never>);
      source.removeListener('afterMessage', tracer.after as Listener<never>);
    }
  }
  const logger = structLogger(opts);
  source.on('step', logger.listener as Listener<never>);
  try {
    const result = await run();
    if (logger.truncated()) throw tooLarge();
    return {
      gas: Number(result.totalGasSpent),
      failed: result.execResult.exceptionError !== undefined,
      returnValue: bytesToHex(result.execResult.returnValue),
      structLogs: logger.logs,
    };
  } finally {
    source.removeListener('step', logger.listener as Listener<never>);
  }
}

function tooLarge(): TraceError {
  return new TraceError(
    { code: 'TRACE_TOO_LARGE', steps: MAX_TRACE_STEPS, bytes: MAX_TRACE_BYTES },
    `trace exceeds ${MAX_TRACE_STEPS} steps or ${MAX_TRACE_BYTES / 2 ** 20} MiB; ` +
      'pass a smaller limit, disableStack, leave enableMemory off, or use onlyTopCall',
  );
}

type TraceResult = OpcodeTrace | CallFrame | Record<string, PrestateAccount>;

/**
 * `block`'s transactions re-run in order on a VM at its parent's state:
 * `replay` runs the next one as it ran, `trace` runs it under a tracer and
 * the time limit (which covers the traced transaction, as geth's does; the
 * ones before it are bounded by the block's gas).
 */
async function blockReplay(chain: Chain, block: Block) {
  const parent = await chain.blockByHash(block.header.parentHash);
  if (parent === undefined) throw new TraceError({ code: 'TRACE_TX_FAILED', reason: 'parent block missing' });
  const vm = await createVMAt(chain, parent);
  let gasUsed = 0n;
  let deadline = Number.POSITIVE_INFINITY;
  installDeadline(vm.evm as EVM, () => deadline);
  const replay = async (tx: TypedTransaction) => {
    const result = await runTx(vm, { tx, block, blockGasUsed: gasUsed, skipHardForkValidation: true });
    gasUsed += result.blockGasSpent;
    return result;
  };
  const trace = async (tx: TypedTransaction, opts: TraceOptions): Promise<TraceResult> => {
    const gasBefore = gasUsed;
    let traced: TraceResult;
    try {
      traced = await traceRun(
        vm,
        () => {
          if (opts.timeoutMs > 0) deadline = performance.now() + opts.timeoutMs;
          return replay(tx);
        },
        opts,
        alwaysTouched(tx.getSenderAddress(), tx.to, block.header.coinbase),
      );
    } catch (err) {
      // A run stopped midway leaves this VM unusable: the whole request ends here.
      if (!(err instanceof DeadlineExceeded)) throw err;
      throw new TraceError({ code: 'TRACE_TIMEOUT', timeoutMs: opts.timeoutMs }, 'execution timeout');
    } finally {
      deadline = Number.POSITIVE_INFINITY;
    }
    if (opts.tracer === 'prestateTracer') {
      // The prestate tracer undoes its run to read what was there before: run it again, for the next transaction.
      gasUsed = gasBefore;
      await replay(tx);
    }
    return traced;
  };
  // Impersonated transactions (devnet) name their sender in the marker signature.
  return { txs: block.transactions.map(trustImpersonation), replay, trace };
}

/** Re-runs transaction `index` of `block` on the state its predecessors left, traced. */
export async function traceTransaction(
  chain: Chain,
  block: Block,
  index: number,
  opts: TraceOptions,
): Promise<TraceResult> {
  const { txs, replay, trace } = await blockReplay(chain, block);
  for (const tx of txs.slice(0, index)) await replay(tx);
  return trace(txs[index]!, opts);
}

/** Every transaction of `block` traced, in one pass over the block (not one replay per transaction). */
export async function traceBlock(chain: Chain, block: Block, opts: TraceOptions): Promise<TraceResult[]> {
  const { txs, trace } = await blockReplay(chain, block);
  const out: TraceResult[] = [];
  for (const tx of txs) out.push(await trace(tx, opts));
  return out;
}
