// The genesis state and header built from a Genesis spec.
import type { HeaderData } from '@ethereumjs/block';
import type { Common } from '@ethereumjs/common';
import type { MerkleStateManager } from '@ethereumjs/statemanager';
import { Account, bigIntToBytes, createAddressFromString, setLengthLeft } from '@ethereumjs/util';
import { sha256 } from '@noble/hashes/sha2.js';
import type { Genesis } from '@openledger/core';
import { ATTRIBUTION_PRECOMPILES, PRECOMPILE_ACCOUNT_CODE } from './attribution/index.js';

/** Writes the alloc into `state` and returns the resulting state root. */
export async function applyGenesisAlloc(state: MerkleStateManager, genesis: Genesis): Promise<Uint8Array> {
  for (const [hex, spec] of genesis.alloc) {
    const address = createAddressFromString(hex);
    await state.putAccount(address, new Account(spec.nonce ?? 0n, spec.balance));
    if (spec.code !== undefined && spec.code.length > 0) await state.putCode(address, spec.code);
    for (const [slot, value] of spec.storage ?? []) {
      if (value === 0n) continue;
      await state.putStorage(address, setLengthLeft(bigIntToBytes(slot), 32), bigIntToBytes(value));
    }
  }
  await installAttributionAccounts(state);
  await state.flush();
  return state.getStateRoot();
}

/**
 * The attribution precompiles' accounts: nonce 1 so that EIP-161 never
 * clears one as empty (its storage holds the graph), and their one-byte code.
 */
export async function installAttributionAccounts(
  state: Pick<MerkleStateManager, 'getAccount' | 'putAccount' | 'getCode' | 'putCode'>,
): Promise<void> {
  for (const { address } of ATTRIBUTION_PRECOMPILES) {
    const account = (await state.getAccount(address)) ?? new Account(0n, 0n);
    if (account.nonce === 0n) {
      account.nonce = 1n;
      await state.putAccount(address, account);
    }
    if ((await state.getCode(address)).length === 0) await state.putCode(address, PRECOMPILE_ACCOUNT_CODE);
  }
}

/** EIP-7685's requests hash of a block with no requests: sha256 of nothing. */
export const EMPTY_REQUESTS_HASH = sha256(new Uint8Array());

export function genesisHeader(
  common: Common,
  genesis: Genesis,
  stateRoot: Uint8Array,
  timestamp: bigint,
): HeaderData {
  return {
    number: 0n,
    stateRoot,
    timestamp,
    gasLimit: genesis.gasLimit,
    baseFeePerGas: genesis.baseFeePerGas,
    extraData: genesis.extraData,
    coinbase: genesis.coinbase as `0x${string}`,
    difficulty: 0n,
    ...postMergeFields(common),
  };
}

/** Header fields every block of this chain carries for the forks it runs. */
export function postMergeFields(common: Common): HeaderData {
  const fields: HeaderData = { nonce: new Uint8Array(8), difficulty: 0n };
  if (common.isActivatedEIP(4844)) {
    fields.blobGasUsed = 0n;
    fields.excessBlobGas = 0n;
  }
  if (common.isActivatedEIP(4788)) fields.parentBeaconBlockRoot = new Uint8Array(32);
  if (common.isActivatedEIP(7685)) fields.requestsHash = EMPTY_REQUESTS_HASH;
  return fields;
}
