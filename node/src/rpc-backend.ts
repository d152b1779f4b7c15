// The RPC backend over the chain, the pool and the producer: the functions
// the composition root hands to packages/rpc.
import type { Block } from '@ethereumjs/block';
import { getMerkleStateProof } from '@ethereumjs/statemanager';
import type { TypedTransaction } from '@ethereumjs/tx';
import { type Address, bytesToHex } from '@ethereumjs/util';
import type { CallOverrides, Logger, SimulateRequest, TraceOptions } from '@openledger/core';
import {
  AttributionReader,
  CallError,
  type CallExecutor,
  type Chain,
  impersonatedTx,
  isDelegation,
  type TxReceipt,
  traceBlock,
  traceTransaction,
} from '@openledger/execution';
import type { AccountProof, CallArgs, NewBlock, PendingTx, RpcBackend } from '@openledger/rpc';
import { PRECOMPILES, TREASURY } from '@openledger/sdk';
import type { BlockProducer, PoolTx, TxPool } from '@openledger/sequencer';
import type { DevSigner, FilledFields } from './dev-signer.js';
import { Listeners } from './events.js';

export interface BackendDeps {
  /** Called after a devnet revert emptied the pool. */
  onPoolCleared?: () => void;
  /** Serve the devnet's evm_ helpers. */
  devnet: boolean;
  /** 0: automine, where a send answers once its block is written (as anvil). */
  blockTime: number;
  chain: Chain;
  pool: TxPool;
  producer: BlockProducer;
  signer: DevSigner | undefined;
  calls: CallExecutor;
  clientVersion: string;
  logger: Logger;
}

const GWEI = 1_000_000_000n;
/** Addresses impersonated at once (devnet). */
const MAX_IMPERSONATED = 10_000;
/** Senders waiting for their automined block, at most; more are answered at once. */
const MAX_INCLUSION_WAITERS = 10_000;
/** A send in automine answers after this long even if its block is not written yet. */
const INCLUSION_WAIT_MS = 10_000;

export class NodeBackend implements RpcBackend {
  readonly chainId: bigint;
  readonly clientVersion: string;
  readonly blocks: Listeners<NewBlock>;
  readonly pendingTxs: Listeners<PendingTx>;
  readonly sendTransaction: RpcBackend['sendTransaction'];
  readonly dev: RpcBackend['dev'];
  readonly signTransaction: RpcBackend['signTransaction'];
  readonly signMessage: RpcBackend['signMessage'];
  readonly attribution: RpcBackend['attribution'];
  private readonly deps: BackendDeps;
  private readonly waiters = new Map<string, () => void>();
  /** Devnet: addresses eth_sendTransaction may send from without a key (anvil_impersonateAccount). */
  private readonly impersonated = new Set<string>();
  private autoImpersonate = false;

  constructor(deps: BackendDeps) {
    this.deps = deps;
    this.chainId = deps.chain.common.chainId();
    this.clientVersion = deps.clientVersion;
    const onError = (err: unknown) => deps.logger.error({ err }, 'event listener failed');
    this.blocks = new Listeners(onError);
    this.pendingTxs = new Listeners(onError);
    deps.pool.onAdded((entry) => this.pendingTxs.emit(entry));
    this.blocks.add(() => this.settleWaiters());
    const signer = deps.signer;
    this.sendTransaction = signer === undefined ? undefined : (args) => this.send(args, signer);
    this.signTransaction = signer === undefined ? undefined : (args) => this.fillAndSign(args, signer);
    this.signMessage =
      signer === undefined ? undefined : (address, message) => signer.signMessage(address, message);
    const graph = async (block: Block) => new AttributionReader(await deps.chain.readerAt(block));
    this.attribution = {
      record: async (block, kind, id) => (await graph(block)).record(kind, id),
      list: async (block, kind, id, offset, limit) => (await graph(block)).list(kind, id, offset, limit),
      rewards: async (block, account) => (await graph(block)).rewards(BigInt(account.toString())),
      pendingTrainingReward: async (block, id) => (await graph(block)).pendingTrainingReward(id),
      counts: async (block) => (await graph(block)).counts(),
      addresses: { ...PRECOMPILES, treasury: TREASURY },
    };
    this.dev = deps.devnet
      ? {
          mine: async (timestamp) => {
            await deps.producer.mine(timestamp);
          },
          setNextBlockTimestamp: (timestamp) => deps.producer.setNextTimestamp(timestamp),
          increaseTime: (seconds) => deps.producer.increaseTime(seconds),
          editState: async (edits) => {
            await deps.producer.editState(edits);
          },
          impersonate: (address, on) => {
            if (on && !this.impersonated.has(address) && this.impersonated.size >= MAX_IMPERSONATED) {
              throw new CallError(
                { code: 'CALL_INVALID', reason: 'impersonation limit' },
                `at most ${MAX_IMPERSONATED} accounts impersonated at once`,
              );
            }
            if (on) this.impersonated.add(address);
            else this.impersonated.delete(address);
          },
          autoImpersonate: (on) => {
            this.autoImpersonate = on;
          },
          impersonating: (address) => this.autoImpersonate || this.impersonated.has(address),
          revertTo: async (number) => {
            await deps.producer.revertTo(number);
            // The pool was emptied: so is its journal, or a restart would bring the transactions back.
            deps.onPoolCleared?.();
          },
        }
      : undefined;
  }

  head(): Block {
    return this.deps.chain.head;
  }

  safe(): Block {
    return this.deps.chain.head;
  }

  finalized(): Block {
    return this.deps.chain.head;
  }

  blockByNumber(number: bigint) {
    return this.deps.chain.blockByNumber(number);
  }

  blockByHash(hash: Uint8Array) {
    return this.deps.chain.blockByHash(hash);
  }

  receipts(block: Block): Promise<TxReceipt[]> {
    return this.deps.chain.receipts(block);
  }

  async txLocation(hash: Uint8Array) {
    // Still pooled means not yet in a block: skip the disk (receipt polling asks this a lot).
    if (this.deps.pool.get(bytesToHex(hash)) !== undefined) return undefined;
    return this.deps.chain.txLocation(hash);
  }

  pendingTx(hash: string): PendingTx | undefined {
    return this.deps.pool.get(hash);
  }

  state(block: Block) {
    return this.deps.chain.readerAt(block);
  }

  async proof(block: Block, address: Address, slots: Uint8Array[]): Promise<AccountProof> {
    // The shared reader: its account cache and storage tries serve every proof at this state.
    const proof = await getMerkleStateProof(await this.deps.chain.readerAt(block), address, slots);
    return {
      balance: BigInt(proof.balance),
      nonce: BigInt(proof.nonce),
      codeHash: proof.codeHash,
      storageHash: proof.storageHash,
      accountProof: proof.accountProof,
      // An absent account has an empty storage trie: every slot is 0, proven by the empty root itself.
      storageProof: slots.map((_, i) => {
        const item = proof.storageProof[i];
        return item === undefined
          ? { value: 0n, proof: [] }
          : { value: BigInt(item.value), proof: item.proof };
      }),
    };
  }

  call(block: Block, args: CallArgs, overrides?: CallOverrides) {
    return this.deps.calls.call(block, args, overrides);
  }

  traceTransaction(block: Block, index: number, config: TraceOptions) {
    return traceTransaction(this.deps.chain, block, index, config);
  }

  traceBlock(block: Block, config: TraceOptions) {
    return traceBlock(this.deps.chain, block, config);
  }

  traceCall(block: Block, args: CallArgs, config: TraceOptions, overrides?: CallOverrides) {
    return this.deps.calls.traceCall(block, args, config, overrides);
  }

  createAccessList(block: Block, args: CallArgs) {
    return this.deps.calls.createAccessList(block, args);
  }

  estimateGas(block: Block, args: CallArgs, overrides?: CallOverrides) {
    return this.deps.calls.estimateGas(block, args, overrides);
  }

  simulate(block: Block, request: SimulateRequest) {
    return this.deps.calls.simulate(block, request);
  }

  async sendRawTransaction(raw: Uint8Array): Promise<string> {
    return this.submitted(await this.deps.pool.addRaw(raw));
  }

  /**
   * Starts a block for a newly pooled tx; in automine, answers once the tx
   * has left the pool (included, or dropped as invalid), so that a client's
   * next read sees it mined, as with anvil.
   */
  private async submitted(entry: PoolTx): Promise<string> {
    const { pool, producer } = this.deps;
    const wait =
      this.deps.blockTime === 0 &&
      pool.isExecutable(entry) &&
      this.waiters.size < MAX_INCLUSION_WAITERS &&
      !this.waiters.has(entry.hash);
    const done = wait
      ? new Promise<void>((resolve) => {
          const timer = setTimeout(() => this.waiters.delete(entry.hash) && resolve(), INCLUSION_WAIT_MS);
          // Never what keeps a stopping node alive.
          timer.unref();
          this.waiters.set(entry.hash, () => {
            clearTimeout(timer);
            resolve();
          });
        })
      : undefined;
    producer.trigger();
    await done;
    return entry.hash;
  }

  private settleWaiters(): void {
    for (const [hash, resolve] of this.waiters) {
      if (this.deps.pool.get(hash) !== undefined) continue;
      this.waiters.delete(hash);
      resolve();
    }
  }

  pendingNonce(address: string, stateNonce: bigint): bigint {
    return this.deps.pool.pendingNonce(address, stateNonce);
  }

  accounts(): string[] {
    return this.deps.signer?.addresses ?? [];
  }

  poolContent() {
    return this.deps.pool.content();
  }

  onBlock(listener: (block: NewBlock) => void): () => void {
    return this.blocks.add(listener);
  }

  onPendingTx(listener: (tx: PendingTx) => void): () => void {
    return this.pendingTxs.add(listener);
  }

  /** Fills what the request leaves out (nonce, gas, fees) as a wallet would, and signs. */
  private async fillAndSign(args: CallArgs, signer: DevSigner): Promise<TypedTransaction> {
    return signer.sign(args, await this.fill(args));
  }

  /** What a request leaves out (nonce, gas, fees), filled as a wallet would. */
  private async fill(args: CallArgs): Promise<FilledFields> {
    const head = this.deps.chain.head;
    const state = await this.deps.chain.readerAt(head);
    const stateNonce = (await state.getAccount(args.from))?.nonce ?? 0n;
    const nonce = args.nonce ?? this.deps.pool.pendingNonce(args.from.toString(), stateNonce);
    const gasLimit = args.gas ?? (await this.estimateGas(head, { ...args, nonce }));
    return { nonce, gasLimit, tip: GWEI, baseFee: head.header.calcNextBaseFee() };
  }

  private async send(args: CallArgs, signer: DevSigner): Promise<string> {
    const from = args.from.toString();
    if (signer.holds(from))
      return this.submitted(await this.deps.pool.add(await this.fillAndSign(args, signer)));
    if (this.dev?.impersonating(from) !== true) throw new Error(`no key for ${from}`);
    const head = this.deps.chain.head;
    const code = await (await this.deps.chain.readerAt(head)).getCode(args.from);
    // EIP-3607 refuses a sender with code (an EIP-7702 delegation excepted), impersonated or not.
    if (code.length > 0 && !isDelegation(code)) {
      throw new CallError(
        { code: 'CALL_INVALID', reason: 'sender has code' },
        `cannot send from ${from}: it is a contract (EIP-3607)`,
      );
    }
    const filled = await this.fill(args);
    const tx = impersonatedTx(signer.txData(args, filled), args.from, this.deps.chain.common);
    return this.submitted(await this.deps.pool.add(tx));
  }
}
