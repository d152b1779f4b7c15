// What a simulation (simulate.ts) borrows from the call VM and gives back:
// BLOCKHASH answered from the simulated blocks, the precompile set moved per
// block, and EIP-3607's sender check set aside.
import type { EVM, EVMMockBlockchainInterface, Message, PrecompileFunc } from '@ethereumjs/evm';
import type { TypedTransaction } from '@ethereumjs/tx';
import { type Address, equalsBytes, hexToBytes, KECCAK256_NULL } from '@ethereumjs/util';
import type { VM } from '@ethereumjs/vm';
import type { SimulatedBlockSpec } from '@openledger/core';
import { rejected } from './simulate-error.js';

/** BLOCKHASH's view: simulated blocks by number above the base block, the chain's below it. */
export class SimulatedBlockHashes implements EVMMockBlockchainInterface {
  private readonly canonical: EVMMockBlockchainInterface;
  private readonly base: bigint;
  private readonly simulated: Map<bigint, Uint8Array>;

  constructor(canonical: EVMMockBlockchainInterface, base: bigint, simulated: Map<bigint, Uint8Array>) {
    this.canonical = canonical;
    this.base = base;
    this.simulated = simulated;
  }

  async getBlock(number: number): Promise<{ hash(): Uint8Array }> {
    const n = BigInt(number);
    if (n <= this.base) return this.canonical.getBlock(number);
    const hash = this.simulated.get(n) ?? new Uint8Array(32);
    return { hash: () => hash };
  }

  async putBlock(): Promise<void> {}

  shallowCopy(): EVMMockBlockchainInterface {
    return this;
  }
}

/**
 * The VM's precompiles for one block (geth's StateOverride.Apply on a fresh
 * set each block): an overridden precompile's account is no precompile any
 * more, and a moved one answers at its new address only.
 */
export class PrecompileSet {
  /** The EVM's own map, changed in place: the EVM looks precompiles up there. */
  private readonly live: Map<string, PrecompileFunc>;
  private readonly original: Map<string, PrecompileFunc>;

  constructor(live: Map<string, PrecompileFunc>) {
    this.live = live;
    this.original = new Map(live);
  }

  prepare(spec: SimulatedBlockSpec | undefined): void {
    this.restore();
    if (spec === undefined) return;
    const overridden = new Set([...(spec.state?.keys() ?? []), ...spec.movedPrecompiles.keys()]);
    const targets = new Set<string>();
    for (const [from, to] of spec.movedPrecompiles) {
      const target = to.toString();
      if (!this.original.has(key(from)))
        throw rejected('invalid-override', `account ${from} is not a precompile`);
      if (target === from)
        throw rejected('precompile-self-reference', `precompile ${from} cannot be moved onto itself`);
      if (targets.has(target))
        throw rejected('precompile-moved-twice', `more than one precompile is moved to ${target}`);
      if (overridden.has(target))
        throw rejected('invalid-override', `account ${target} is already overridden`);
      targets.add(target);
    }
    for (const address of overridden) this.live.delete(key(address));
    for (const [from, to] of spec.movedPrecompiles)
      this.live.set(key(to.toString()), this.original.get(key(from))!);
  }

  restore(): void {
    this.live.clear();
    for (const [address, fn] of this.original) this.live.set(address, fn);
  }
}

/** The EVM's precompile map is keyed by the address in unprefixed lower-case hex. */
export const key = (address: string) => address.slice(2).toLowerCase();

/** The 0xef0100 prefix of an EIP-7702 delegation designator. */
export const DELEGATION_PREFIX = hexToBytes('0xef0100');

/** EIP-7702: code that is a delegation designator (0xef0100 ++ address) leaves an account an EOA. */
export function isDelegation(code: Uint8Array): boolean {
  return code.length === 23 && equalsBytes(code.subarray(0, 3), DELEGATION_PREFIX);
}

/**
 * geth's simulations skip EIP-3607 (no sender with code), as its eth_call
 * does; EthereumJS's runTx has no switch for it. So the sender's code hash is
 * hidden while runTx checks the sender (`beforeTx`) and put back before its
 * call runs (the first message; at the latest, `afterTx`), inside the
 * transaction's own checkpoint.
 */
export class SenderCodeCheck {
  private readonly vm: VM;
  private readonly evm: EVM;
  private hidden: { address: Address; codeHash: Uint8Array } | undefined;
  /** A state read that failed in a listener, which cannot throw into the VM: raised after the run. */
  private failure: unknown;
  private readonly onTx = (tx: TypedTransaction, resolve?: () => void) => {
    this.settle(this.hide(tx.getSenderAddress()), resolve);
  };
  private readonly onMessage = (message: Message, resolve?: () => void) => {
    if (message.depth === 0) this.settle(this.reveal(), resolve);
    else resolve?.();
  };
  /** A transaction that ran no message (an EIP-7702 authorization out of gas) gets its code back here. */
  private readonly onTxEnd = (_result: unknown, resolve?: () => void) => {
    this.settle(this.reveal(), resolve);
  };

  constructor(vm: VM) {
    this.vm = vm;
    this.evm = vm.evm as EVM;
    vm.events.on('beforeTx', this.onTx);
    vm.events.on('afterTx', this.onTxEnd);
    this.evm.events.on('beforeMessage', this.onMessage);
  }

  detach(): void {
    this.vm.events.off('beforeTx', this.onTx);
    this.vm.events.off('afterTx', this.onTxEnd);
    this.evm.events.off('beforeMessage', this.onMessage);
  }

  /** Throws what a listener could not. */
  raise(): void {
    const failure = this.failure;
    this.failure = undefined;
    if (failure !== undefined) throw failure;
  }

  private settle(work: Promise<void>, resolve: (() => void) | undefined): void {
    work.then(
      () => resolve?.(),
      (err: unknown) => {
        this.failure ??= err;
        resolve?.();
      },
    );
  }

  private async hide(sender: Address): Promise<void> {
    this.hidden = undefined;
    const state = this.vm.stateManager;
    const account = await state.getAccount(sender);
    if (account === undefined || equalsBytes(account.codeHash, KECCAK256_NULL)) return;
    // A delegated EOA may send anyway; reading its code also keeps it cached by address.
    const code = await state.getCode(sender);
    if (isDelegation(code)) return;
    this.hidden = { address: sender, codeHash: account.codeHash };
    account.codeHash = KECCAK256_NULL;
    await state.putAccount(sender, account);
  }

  private async reveal(): Promise<void> {
    const hidden = this.hidden;
    if (hidden === undefined) return;
    this.hidden = undefined;
    const account = await this.vm.stateManager.getAccount(hidden.address);
    if (account === undefined) return;
    account.codeHash = hidden.codeHash;
    await this.vm.stateManager.putAccount(hidden.address, account);
  }
}
