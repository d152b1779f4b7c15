// Builds one block on top of the head by running transactions through the VM
// one at a time. Unlike EthereumJS's BlockBuilder, which re-creates the whole
// block for every added transaction (cost grows with the block), it runs each
// transaction against one header-only context block and assembles the block
// once, at seal time.
import { Block, createBlock, createBlockHeader, type HeaderData } from '@ethereumjs/block';
import type { TypedTransaction } from '@ethereumjs/tx';
import { type Address, KECCAK256_RLP } from '@ethereumjs/util';
import { Bloom, encodeReceipt, type RunTxResult, runTx, type VM } from '@ethereumjs/vm';
import type { StateOverrides } from '@openledger/core';
import { postMergeFields } from './genesis.js';
import type { TxReceipt } from './receipts.js';
import { applyStateEdits } from './state-edits.js';
import { orderedTrieRoot } from './trie-root.js';

export interface BlockAttributes {
  timestamp: bigint;
  coinbase: Address;
  /** Defaults to the parent's. */
  gasLimit?: bigint;
  extraData?: Uint8Array;
  prevRandao?: Uint8Array;
}

export type AddTxResult =
  | { included: true; receipt: TxReceipt; result: RunTxResult }
  /** Does not fit the gas left in this block; may fit the next one. */
  | { included: false; reason: 'block-full' }
  /** Cannot run on this state (nonce, balance, fee below base fee, ...). */
  | { included: false; reason: 'invalid'; error: Error };

export interface SealedBlock {
  block: Block;
  receipts: TxReceipt[];
  results: RunTxResult[];
  /** Where sealing spent its time, in ms: the state root, and the transaction and receipt tries. */
  timings: { stateRoot: number; tries: number };
}

export class PendingBlock {
  readonly header: HeaderData;
  /** A header-only block: the context every transaction runs in. */
  readonly context: Block;
  private readonly vm: VM;
  private readonly txs: TypedTransaction[] = [];
  private readonly receipts: TxReceipt[] = [];
  private readonly results: RunTxResult[] = [];
  private gasUsed = 0n;
  private open = true;

  private constructor(vm: VM, header: HeaderData) {
    this.vm = vm;
    this.header = header;
    this.context = createBlock({ header }, { common: vm.common });
  }

  /**
   * Opens a block on `parent`; the VM's state must be at the parent's state root.
   * `edits` (the devnet's set* helpers) are written before any transaction runs.
   */
  static async start(
    vm: VM,
    parent: Block,
    attrs: BlockAttributes,
    edits?: StateOverrides,
  ): Promise<PendingBlock> {
    const header: HeaderData = {
      ...postMergeFields(vm.common),
      parentHash: parent.hash(),
      number: parent.header.number + 1n,
      timestamp: attrs.timestamp,
      gasLimit: attrs.gasLimit ?? parent.header.gasLimit,
      baseFeePerGas: parent.header.calcNextBaseFee(),
      coinbase: attrs.coinbase,
      extraData: attrs.extraData ?? new Uint8Array(),
      mixHash: attrs.prevRandao ?? new Uint8Array(32),
    };
    await vm.evm.journal.checkpoint();
    if (edits !== undefined) await applyStateEdits(vm.stateManager, edits);
    return new PendingBlock(vm, header);
  }

  get gasLeft(): bigint {
    return this.context.header.gasLimit - this.gasUsed;
  }

  get txCount(): number {
    return this.txs.length;
  }

  /** Runs `tx` on the block's state; a tx that cannot run changes nothing. */
  async add(tx: TypedTransaction): Promise<AddTxResult> {
    if (!this.open) throw new Error('block already sealed or abandoned');
    if (tx.gasLimit > this.gasLeft) return { included: false, reason: 'block-full' };
    let result: RunTxResult;
    // runTx does not undo everything when it throws midway (a nonce it already
    // bumped, say): a checkpoint of our own keeps a rejected tx from leaving a trace.
    await this.vm.evm.journal.checkpoint();
    try {
      result = await runTx(this.vm, { tx, block: this.context, blockGasUsed: this.gasUsed });
    } catch (err) {
      await this.vm.evm.journal.revert();
      return {
        included: false,
        reason: 'invalid',
        error: err instanceof Error ? err : new Error(String(err)),
      };
    }
    await this.vm.evm.journal.commit();
    this.gasUsed += result.blockGasSpent;
    const baseFee = this.context.header.baseFeePerGas ?? 0n;
    const receipt: TxReceipt = {
      type: tx.type,
      status: result.execResult.exceptionError === undefined ? 1 : 0,
      cumulativeGasUsed: this.gasUsed,
      gasUsed: result.totalGasSpent,
      effectiveGasPrice: tx.getEffectivePriorityFee(baseFee) + baseFee,
      logs: result.execResult.logs ?? [],
      from: tx.getSenderAddress().bytes,
      contractAddress: result.createdAddress?.bytes,
    };
    this.txs.push(tx);
    this.results.push(result);
    this.receipts.push(receipt);
    return { included: true, receipt, result };
  }

  /** Commits the state changes and assembles the block (state root, tries, bloom). */
  async seal(): Promise<SealedBlock> {
    if (!this.open) throw new Error('block already sealed or abandoned');
    this.open = false;
    const started = performance.now();
    await this.vm.evm.journal.commit();
    const stateRoot = await this.vm.stateManager.getStateRoot();
    const rooted = performance.now();
    const transactionsTrie = orderedTrieRoot(this.txs.map((tx) => tx.serialize()));
    const receiptTrie = orderedTrieRoot(
      this.results.map((r, i) => encodeReceipt(r.receipt, this.txs[i]!.type)),
    );
    const triesDone = performance.now();
    const bloom = new Bloom(undefined, this.vm.common);
    for (const result of this.results) bloom.or(result.bloom);
    const header = createBlockHeader(
      {
        ...this.header,
        stateRoot,
        gasUsed: this.gasUsed,
        logsBloom: bloom.bitvector,
        transactionsTrie,
        receiptTrie,
        withdrawalsRoot: KECCAK256_RLP,
      },
      { common: this.vm.common },
    );
    // The Block constructor keeps the transaction objects (createBlock would rebuild each from its data).
    const block = new Block(header, this.txs, [], [], { common: this.vm.common });
    return {
      block,
      receipts: this.receipts,
      results: this.results,
      timings: { stateRoot: rooted - started, tries: triesDone - rooted },
    };
  }

  /** Drops the block and every state change it made. */
  async abandon(): Promise<void> {
    if (!this.open) return;
    this.open = false;
    await this.vm.evm.journal.revert();
  }
}
