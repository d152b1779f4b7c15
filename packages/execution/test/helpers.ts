// Shared set-up for the execution tests: a dev chain in memory.
import { createTx, type TypedTransaction } from '@ethereumjs/tx';
import { type Address, createAddressFromString, hexToBytes } from '@ethereumjs/util';
import {
  type CallRequest,
  createDevGenesis,
  DEV_MNEMONIC,
  type DevAccount,
  deriveDevAccounts,
  type Genesis,
} from '@openledger/core';
import { type KeyValueStore, MemoryStore } from '@openledger/db';
import { Chain } from '../src/chain.js';
import { createExecutionCommon } from '../src/common.js';

export const CHAIN_ID = 16120n;
export const accounts: DevAccount[] = deriveDevAccounts(DEV_MNEMONIC, 3);

export function devGenesis(): Genesis {
  return createDevGenesis({ chainId: CHAIN_ID, accounts, balance: 10_000n });
}

export async function openDevChain(kv: KeyValueStore = new MemoryStore(), genesis = devGenesis()) {
  const common = createExecutionCommon(CHAIN_ID);
  const { chain } = await Chain.open(kv, common, genesis);
  return chain;
}

export function transfer(
  chain: Chain,
  from: DevAccount,
  nonce: bigint,
  to: string,
  value: bigint,
): TypedTransaction {
  return createTx(
    {
      type: 2,
      nonce,
      to: createAddressFromString(to),
      value,
      gasLimit: 21_000n,
      maxFeePerGas: 10_000_000_000n,
      maxPriorityFeePerGas: 1_000_000_000n,
      chainId: CHAIN_ID,
    },
    { common: chain.common },
  ).sign(hexToBytes(from.privateKey as `0x${string}`));
}

/** A call that names its sender and nothing else: no recipient, value, data, gas, fees or lists. */
export function blankCall(from: Address): CallRequest {
  return {
    from,
    to: undefined,
    gas: undefined,
    gasPrice: undefined,
    maxFeePerGas: undefined,
    maxPriorityFeePerGas: undefined,
    value: 0n,
    data: new Uint8Array(),
    accessList: undefined,
    authorizationList: undefined,
    nonce: undefined,
  };
}

/** A call from the first dev account to `to`: no value, fees or access list unless given. */
export function callRequest(to: string, over: Partial<CallRequest> = {}): CallRequest {
  return {
    ...blankCall(createAddressFromString(accounts[0]!.address)),
    to: createAddressFromString(to),
    ...over,
  };
}
