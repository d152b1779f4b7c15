// The RPC backend over the chain, the pool and the producer: the functions
// the composition root hands to packages/rpc.
import type { Block } from '@ethereumjs/block';
import type { Logger } from '@openledger/core';
import { type CallLimits, type Chain, estimateGas, executeCall, type TxReceipt } from '@openledger/execution';
import type { CallArgs, NewBlock, PendingTx, RpcBackend } from '@openledger/rpc';
import type { BlockProducer, TxPool } from '@openledger/sequencer';
import type { DevSigner } from './dev-signer.js';
import { Listeners } from './events.js';

export interface BackendDeps {
  chain: Chain;
  pool: TxPool;
  producer: BlockProducer;
  signer: DevSigner | undefined;
  callLimits: CallLimits;
  clientVersion: string;
  logger: Logger;
}

const GWEI = 1_000_000_000n;

export class NodeBackend implements RpcBackend {
  readonly chainId: bigint;
  readonly clientVersion: string;
  readonly blocks: Listeners<NewBlock>;
  readonly pendingTxs: Listeners<PendingTx>;
  readonly sendTransaction: RpcBackend['sendTransaction'];
  private readonly deps: BackendDeps;

  constructor(deps: BackendDeps) {
    this.deps = deps;
    this.chainId = deps.chain.common.chainId();
    this.clientVersion = deps.clientVersion;
    const onError = (err: unknown) => deps.logger.error({ err }, 'event listener failed');
    this.blocks = new Listeners(onError);
    this.pendingTxs = new Listeners(onError);
    deps.pool.onAdded((entry) => this.pendingTxs.emit(entry));
    this.sendTransaction =
      deps.signer === undefined ? undefined : (args) => this.signAndSend(args, deps.signer!);
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

  txLocation(hash: Uint8Array) {
    return this.deps.chain.txLocation(hash);
  }

  pendingTx(hash: string): PendingTx | undefined {
    return this.deps.pool.get(hash);
  }

  state(block: Block) {
    return this.deps.chain.readerAt(block);
  }

  call(block: Block, args: CallArgs) {
    return executeCall(this.deps.chain, block, args, this.deps.callLimits);
  }

  estimateGas(block: Block, args: CallArgs) {
    return estimateGas(this.deps.chain, block, args, this.deps.callLimits);
  }

  async sendRawTransaction(raw: Uint8Array): Promise<string> {
    const entry = await this.deps.pool.addRaw(raw);
    this.deps.producer.trigger();
    return entry.hash;
  }

  pendingNonce(address: string, stateNonce: bigint): bigint {
    return this.deps.pool.pendingNonce(address, stateNonce);
  }

  accounts(): string[] {
    return this.deps.signer?.addresses ?? [];
  }

  onBlock(listener: (block: NewBlock) => void): () => void {
    return this.blocks.add(listener);
  }

  onPendingTx(listener: (tx: PendingTx) => void): () => void {
    return this.pendingTxs.add(listener);
  }

  private async signAndSend(args: CallArgs, signer: DevSigner): Promise<string> {
    const head = this.deps.chain.head;
    const state = await this.deps.chain.readerAt(head);
    const stateNonce = (await state.getAccount(args.from))?.nonce ?? 0n;
    const nonce = args.nonce ?? this.deps.pool.pendingNonce(args.from.toString(), stateNonce);
    const gasLimit = args.gas ?? (await this.estimateGas(head, { ...args, nonce }));
    const tx = signer.sign(args, { nonce, gasLimit, tip: GWEI, baseFee: head.header.calcNextBaseFee() });
    const entry = await this.deps.pool.add(tx);
    this.deps.producer.trigger();
    return entry.hash;
  }
}
