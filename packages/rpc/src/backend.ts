// What the RPC layer needs from the node, handed in by the composition root:
// rpc never imports the chain, the pool or the VM.
import type { Block } from '@ethereumjs/block';
import type { TypedTransaction } from '@ethereumjs/tx';
import type { Account, Address } from '@ethereumjs/util';
import type {
  CallOutcome,
  CallOverrides,
  CallRequest,
  SimulateRequest,
  StateOverrides,
  TraceOptions,
} from '@openledger/core';

export type LogData = [address: Uint8Array, topics: Uint8Array[], data: Uint8Array];

export interface ReceiptData {
  type: number;
  status: 0 | 1;
  cumulativeGasUsed: bigint;
  gasUsed: bigint;
  effectiveGasPrice: bigint;
  logs: LogData[];
  from: Uint8Array;
  contractAddress: Uint8Array | undefined;
}

export interface StateReader {
  getAccount(address: Address): Promise<Account | undefined>;
  getCode(address: Address): Promise<Uint8Array>;
  getStorage(address: Address, key: Uint8Array): Promise<Uint8Array>;
}

/** The parsed call object; the node's own type, shared with execution. */
export type CallArgs = CallRequest;
export type CallResult = CallOutcome;

/** One call of a simulated block (eth_simulateV1). */
export interface SimulatedCallData {
  returnValue: Uint8Array;
  /** Its logs; with `traceTransfers`, its ether transfers among them as ERC-7528 Transfer logs. */
  logs: LogData[];
  gasUsed: bigint;
  /** Gas used before refunds. */
  maxUsedGas: bigint;
  success: boolean;
  reverted: boolean;
  /** Why it halted, when it failed without a revert. */
  error: string | undefined;
}

/** A block eth_simulateV1 made: the block, a receipt and a result per call. */
export interface SimulatedBlockData {
  block: Block;
  receipts: readonly ReceiptData[];
  calls: readonly SimulatedCallData[];
}

/** An account and some of its storage, with Merkle proofs against a block's state root (EIP-1186). */
export interface AccountProof {
  balance: bigint;
  nonce: bigint;
  codeHash: string;
  storageHash: string;
  accountProof: string[];
  storageProof: { value: bigint; proof: string[] }[];
}

export interface PendingTx {
  tx: TypedTransaction;
  hash: string;
  sender: string;
}

export interface NewBlock {
  block: Block;
  receipts: readonly ReceiptData[];
}

/** Devnet-only controls behind the evm_ methods (anvil's and hardhat's names). */
export interface DevControls {
  /** Builds a block now, optionally with this timestamp. */
  mine(timestamp: bigint | undefined): Promise<void>;
  setNextBlockTimestamp(timestamp: bigint): void;
  /** Returns the total offset, in seconds. */
  increaseTime(seconds: bigint): bigint;
  /** Goes back to block `number`, dropping the blocks above it and the pool. */
  revertTo(number: bigint): Promise<void>;
  /** Writes balances, nonces, code or storage into the state, in a block built now. */
  editState(edits: StateOverrides): Promise<void>;
  /** eth_sendTransaction from `address` without its key (lower-case hex), or no longer. */
  impersonate(address: string, on: boolean): void;
  /** Every address impersonated (anvil_autoImpersonateAccount), or no longer. */
  autoImpersonate(on: boolean): void;
  impersonating(address: string): boolean;
}

export type AttributionRecordKind = 'datanet' | 'contribution' | 'model' | 'inference' | 'trainingJob';
export type AttributionListKind = 'datanetContributions' | 'modelInferences' | 'contributionAttributions';

/** The attribution graph at a block (the ol_ namespace). */
export interface AttributionQueries {
  /** The record as its precompile's view returns it, the account holding it and the slots it was read from. */
  record(
    block: Block,
    kind: AttributionRecordKind,
    id: bigint,
  ): Promise<{ account: Address; record: Record<string, unknown>; slots: bigint[] } | undefined>;
  list(
    block: Block,
    kind: AttributionListKind,
    id: bigint,
    offset: bigint,
    limit: bigint,
  ): Promise<{ total: bigint; items: bigint[] } | undefined>;
  rewards(block: Block, account: Address): Promise<bigint>;
  pendingTrainingReward(block: Block, contributionId: bigint): Promise<bigint>;
  counts(block: Block): Promise<Record<AttributionRecordKind, bigint>>;
  /** The precompiles' addresses by name, and the treasury's. */
  addresses: Record<string, string>;
}

export interface RpcBackend {
  chainId: bigint;
  clientVersion: string;
  head(): Block;
  /** Blocks tagged safe and finalized; a devnet without L1 treats its head as final, as anvil does. */
  safe(): Block;
  finalized(): Block;
  blockByNumber(number: bigint): Promise<Block | undefined>;
  blockByHash(hash: Uint8Array): Promise<Block | undefined>;
  receipts(block: Block): Promise<readonly ReceiptData[]>;
  txLocation(hash: Uint8Array): Promise<{ block: Block; index: number } | undefined>;
  pendingTx(hash: string): PendingTx | undefined;
  /** Read-only state at `block`. */
  state(block: Block): Promise<StateReader>;
  /** EIP-1186 proofs of `address` and of `slots` (32-byte keys) at `block`. */
  proof(block: Block, address: Address, slots: Uint8Array[]): Promise<AccountProof>;
  call(block: Block, args: CallArgs, overrides?: CallOverrides): Promise<CallResult>;
  createAccessList(
    block: Block,
    args: CallArgs,
  ): Promise<{ accessList: NonNullable<CallArgs['accessList']>; gasUsed: bigint; error: string | undefined }>;
  estimateGas(block: Block, args: CallArgs, overrides?: CallOverrides): Promise<bigint>;
  /** eth_simulateV1: `request`'s blocks of calls run in turn on `block`'s state; nothing is kept. */
  simulate(block: Block, request: SimulateRequest): Promise<readonly SimulatedBlockData[]>;
  sendRawTransaction(raw: Uint8Array): Promise<string>;
  /** The next nonce of `address` counting its executable pool transactions. */
  pendingNonce(address: string, stateNonce: bigint): bigint;
  /** Accounts this node signs for (devnet's dev accounts); empty elsewhere. */
  accounts(): string[];
  /** Signs (filling nonce, gas and fees) without sending; undefined where the node holds no keys. */
  signTransaction: ((args: CallArgs) => Promise<TypedTransaction>) | undefined;
  /** EIP-191 signature (r ++ s ++ v) by one of `accounts()`; undefined where the node holds no keys. */
  signMessage: ((address: string, message: Uint8Array) => Uint8Array) | undefined;
  /** Devnet controls; undefined outside a devnet. */
  dev: DevControls | undefined;
  /** The attribution graph; undefined on a node without the precompiles. */
  attribution: AttributionQueries | undefined;
  /** Signs with one of `accounts()` and submits; undefined where the node holds no keys. */
  sendTransaction: ((args: CallArgs) => Promise<string>) | undefined;
  /** Re-runs transaction `index` of `block` with a tracer; the result is already JSON-shaped. */
  traceTransaction(block: Block, index: number, config: TraceOptions): Promise<unknown>;
  /** Every transaction of the block traced, in order. */
  traceBlock(block: Block, config: TraceOptions): Promise<unknown[]>;
  traceCall(block: Block, args: CallArgs, config: TraceOptions, overrides?: CallOverrides): Promise<unknown>;
  /** The pool: executable transactions and those behind a nonce gap, per sender in nonce order. */
  poolContent(): { pending: Map<string, PendingTx[]>; queued: Map<string, PendingTx[]> };
  onBlock(listener: (block: NewBlock) => void): () => void;
  onPendingTx(listener: (tx: PendingTx) => void): () => void;
}
