// A message call as eth_call, eth_estimateGas and eth_sendTransaction describe
// it, shared by the RPC layer (which parses it) and execution (which runs it).
import type { Address, PrefixedHexString } from '@ethereumjs/util';

export interface CallRequest {
  from: Address;
  to: Address | undefined;
  gas: bigint | undefined;
  gasPrice: bigint | undefined;
  maxFeePerGas: bigint | undefined;
  maxPriorityFeePerGas: bigint | undefined;
  value: bigint;
  data: Uint8Array;
  accessList: { address: PrefixedHexString; storageKeys: PrefixedHexString[] }[] | undefined;
  authorizationList: unknown[] | undefined;
  /** Only eth_sendTransaction uses it; calls run at the sender's current nonce. */
  nonce: bigint | undefined;
}

export interface CallOutcome {
  /** false when the call reverted or halted (out of gas, invalid opcode, ...). */
  success: boolean;
  reverted: boolean;
  returnValue: Uint8Array;
  gasUsed: bigint;
  /** The halt reason, when not a plain revert. */
  error: string | undefined;
}

/** A finished run as a caller sees it: success, a revert (its data the return value) or a halt and why. */
export function callOutcome(
  run: { returnValue: Uint8Array; exceptionError?: { error: string } | undefined },
  gasUsed: bigint,
): CallOutcome {
  const err = run.exceptionError;
  return {
    success: err === undefined,
    reverted: err?.error === 'revert',
    returnValue: run.returnValue,
    gasUsed,
    error: err === undefined || err.error === 'revert' ? undefined : err.error,
  };
}

/** geth's state override for one account during a call: fields replace, `state` replaces all storage, `stateDiff` patches it. */
export interface AccountOverride {
  balance?: bigint;
  nonce?: bigint;
  code?: Uint8Array;
  state?: Map<bigint, bigint>;
  stateDiff?: Map<bigint, bigint>;
}

/** Lower-case address to its override. */
export type StateOverrides = Map<string, AccountOverride>;

/** geth's block override for a call: the header fields the call sees. */
export interface BlockOverrides {
  number?: bigint;
  time?: bigint;
  gasLimit?: bigint;
  coinbase?: Address;
  prevRandao?: Uint8Array;
  baseFee?: bigint;
}

export interface CallOverrides {
  state?: StateOverrides;
  block?: BlockOverrides;
}

/** Blocks one eth_simulateV1 may span, the filled gaps between them included (geth's limit). */
export const MAX_SIMULATED_BLOCKS = 256;
/** Calls one eth_simulateV1 may hold, over all its blocks. */
export const MAX_SIMULATED_CALLS = 1_000;

/** One block of eth_simulateV1: its header fields, the state edits made before its calls, its calls. */
export interface SimulatedBlockSpec {
  block: BlockOverrides;
  state: StateOverrides | undefined;
  /** Precompiles this block runs at another address: the precompile's lower-case address to its new one. */
  movedPrecompiles: Map<string, Address>;
  calls: CallRequest[];
}

/** eth_simulateV1's payload, parsed. */
export interface SimulateRequest {
  blocks: SimulatedBlockSpec[];
  /** Report ether transfers as ERC-7528 Transfer logs among each call's logs. */
  traceTransfers: boolean;
  /** Check nonces, balances and the base fee as a block would; otherwise calls run as eth_call's. */
  validation: boolean;
}

/** Why eth_simulateV1 refused a request; the RPC layer answers each with the spec's code. */
export type SimulationRejection =
  | 'nonce-too-low'
  | 'nonce-too-high'
  | 'fee-cap-too-low'
  | 'intrinsic-gas'
  | 'insufficient-funds'
  | 'block-gas-limit'
  | 'block-number-order'
  | 'block-timestamp-order'
  | 'precompile-self-reference'
  | 'precompile-moved-twice'
  | 'init-code-too-large'
  | 'limit-exceeded'
  | 'invalid-call'
  | 'invalid-override'
  | 'invalid-transaction';

/** How to trace (geth's TraceConfig, the parts this node serves). */
export interface TraceOptions {
  /** undefined: the opcode logger; 'callTracer': call frames; 'prestateTracer': what the run read, as it was before. */
  tracer: 'callTracer' | 'prestateTracer' | undefined;
  /** Opcode logger: most steps recorded (geth's `limit`; 0 means this node's bound). */
  limit: number;
  enableMemory: boolean;
  disableStack: boolean;
  /** callTracer: the top frame only. */
  onlyTopCall: boolean;
  /**
   * Wall-clock time the traced transaction of debug_traceTransaction or
   * debug_traceBlock* may run (geth's `timeout`, 5 s by default); 0: no limit.
   */
  timeoutMs: number;
}
