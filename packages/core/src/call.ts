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
