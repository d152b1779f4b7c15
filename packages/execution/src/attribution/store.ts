// Storage access for the attribution records. The precompiles go through a
// metered store: every read and write is priced as SLOAD/SSTORE would be
// (EIP-2929 warm/cold by the EVM's own journal, EIP-2200 by the slot's value
// at the start of the transaction) and lands in the EVM's state manager
// inside the call's checkpoint, so a reverted call leaves nothing behind.
// Readers outside the EVM (the ol_ RPC, proofs) use a plain store that
// records which slots it read.
import type { StateManagerInterface } from '@ethereumjs/common';
import type { EVM } from '@ethereumjs/evm';
import { type Account, type Address, bytesToBigInt, createAccount } from '@ethereumjs/util';
import {
  GAS_COLD_ACCOUNT,
  GAS_COLD_SLOAD,
  GAS_SSTORE_RESET,
  GAS_SSTORE_SET,
  GAS_VALUE_TRANSFER,
  GAS_WARM_ACCESS,
  type GasMeter,
} from './gas.js';
import { word } from './slots.js';

export interface SlotStore {
  load(account: Address, slot: bigint): Promise<bigint>;
  store(account: Address, slot: bigint, value: bigint): Promise<void>;
}

const EMPTY = new Uint8Array();

function unpadded(value: bigint): Uint8Array {
  if (value === 0n) return EMPTY;
  const w = word(value);
  let i = 0;
  while (w[i] === 0) i++;
  return w.subarray(i);
}

/** The store the precompiles use inside the EVM. */
export class MeteredStore implements SlotStore {
  private readonly evm: EVM;
  private readonly gas: GasMeter;

  constructor(evm: EVM, gas: GasMeter) {
    this.evm = evm;
    this.gas = gas;
  }

  async load(account: Address, slot: bigint): Promise<bigint> {
    const key = word(slot);
    this.warm(account, key);
    return bytesToBigInt(await this.evm.stateManager.getStorage(account, key));
  }

  async store(account: Address, slot: bigint, value: bigint): Promise<void> {
    const key = word(slot);
    const sm = this.evm.stateManager;
    if (!this.evm.journal.isWarmedStorage(account.bytes, key)) {
      this.gas.charge(GAS_COLD_SLOAD);
      this.evm.journal.addWarmedStorage(account.bytes, key);
    }
    const current = bytesToBigInt(await sm.getStorage(account, key));
    if (current === value) {
      this.gas.charge(GAS_WARM_ACCESS);
      return;
    }
    const original = bytesToBigInt(await sm.originalStorageCache.get(account, key));
    if (original === current) this.gas.charge(original === 0n ? GAS_SSTORE_SET : GAS_SSTORE_RESET);
    else this.gas.charge(GAS_WARM_ACCESS);
    await sm.putStorage(account, key, unpadded(value));
  }

  /** Moves `amount` wei of native OPEN to an account, priced as a CALL with value. */
  async transfer(from: Address, to: Address, amount: bigint): Promise<void> {
    if (amount === 0n) return;
    this.gas.charge(GAS_VALUE_TRANSFER);
    if (!this.evm.journal.isWarmedAddress(to.bytes)) {
      this.gas.charge(GAS_COLD_ACCOUNT);
      this.evm.journal.addWarmedAddress(to.bytes);
    }
    await this.move(from, to, amount);
  }

  /**
   * Moves OPEN between the precompiles' own accounts (a fee on its way to the
   * Rewards account): bookkeeping a single Solidity contract would not do, so unpriced.
   */
  async move(from: Address, to: Address, amount: bigint): Promise<void> {
    if (amount === 0n) return;
    const sm = this.evm.stateManager;
    const source = await sm.getAccount(from);
    if (source === undefined || source.balance < amount) {
      // The precompiles only move what they hold; anything else is a bug in their bookkeeping.
      throw new Error(`attribution precompile ${from.toString()} holds less than ${amount}`);
    }
    source.balance -= amount;
    await this.evm.journal.putAccount(from, source);
    const target: Account = (await sm.getAccount(to)) ?? createAccount({});
    target.balance += amount;
    await this.evm.journal.putAccount(to, target);
  }

  private warm(account: Address, key: Uint8Array): void {
    if (this.evm.journal.isWarmedStorage(account.bytes, key)) {
      this.gas.charge(GAS_WARM_ACCESS);
    } else {
      this.gas.charge(GAS_COLD_SLOAD);
      this.evm.journal.addWarmedStorage(account.bytes, key);
    }
  }
}

/** Reads a state's storage as it is, remembering each slot read per account (for proofs). */
export class ReadingStore implements SlotStore {
  private readonly state: Pick<StateManagerInterface, 'getStorage'>;
  readonly read = new Map<string, Set<bigint>>();

  constructor(state: Pick<StateManagerInterface, 'getStorage'>) {
    this.state = state;
  }

  async load(account: Address, slot: bigint): Promise<bigint> {
    const key = account.toString();
    let slots = this.read.get(key);
    if (slots === undefined) {
      slots = new Set();
      this.read.set(key, slots);
    }
    slots.add(slot);
    return bytesToBigInt(await this.state.getStorage(account, word(slot)));
  }

  store(): Promise<void> {
    return Promise.reject(new Error('read-only store'));
  }
}
