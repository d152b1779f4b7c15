// The chain as stored: head, blocks, receipts, transaction index and the
// state trie, opened from a store and checked against the genesis it was made
// with. Blocks come in through `commit`, one atomic write each.
import { type Block, createBlock, createBlockFromRLP } from '@ethereumjs/block';
import type { Common } from '@ethereumjs/common';
import { MerklePatriciaTrie } from '@ethereumjs/mpt';
import { Caches, MerkleStateManager } from '@ethereumjs/statemanager';
import { bytesToHex, equalsBytes, ValueEncoding } from '@ethereumjs/util';
import { ConfigError, GenerationalCache, type Genesis } from '@openledger/core';
import { ChainStore, type KeyValueStore, MemoryStore, TrieDatabase } from '@openledger/db';
import { ExecutionError } from './errors.js';
import { applyGenesisAlloc, genesisHeader } from './genesis.js';
import { type CacheCounts, dropCachesPast } from './read-cache.js';
import { decodeReceipts, encodeReceipts, type TxReceipt } from './receipts.js';

export interface ChainOptions {
  /** Decoded blocks kept in memory (each with its receipts). */
  blockCacheSize: number;
  /** Transactions in those blocks, at most: full blocks weigh thousands of decoded transactions each. */
  blockCacheTxs: number;
  /** Locations of recent transactions kept in memory (per generation). */
  txCacheSize: number;
  /**
   * Accounts and storage slots, and codes, the head state and its shared
   * reader keep cached; past either the caches are dropped (the trie and its
   * node cache hold the same), after a commit or between reads.
   */
  stateCacheBounds: CacheCounts;
}

export const defaultChainOptions: ChainOptions = {
  blockCacheSize: 256,
  blockCacheTxs: 20_000,
  txCacheSize: 50_000,
  stateCacheBounds: { entries: 200_000, codes: 1_000 },
};

/** The head reader's caches are counted every this many reads (counting walks the storage cache). */
const READER_CHECK_EVERY = 1_024;

interface CachedBlock {
  block: Block;
  receipts: TxReceipt[] | undefined;
}

export class Chain {
  readonly common: Common;
  readonly store: ChainStore;
  readonly trieDb: TrieDatabase;
  /** State at the head; the block builder advances it. */
  readonly state: MerkleStateManager;
  private headBlock: Block;
  private readonly genesis: Block;
  private readonly cache = new Map<string, CachedBlock>();
  private readonly opts: ChainOptions;
  /** Canonical hashes and tx locations of recent blocks, so that polling clients do not read the disk. */
  private readonly recentHashes: GenerationalCache<bigint, Uint8Array>;
  private readonly recentTxs: GenerationalCache<string, { number: bigint; index: number }>;
  /** A read-only view of the head state, shared by readers until the head moves. */
  private headReader: MerkleStateManager | undefined;
  private readerReads = 0;
  private cachedTxs = 0;

  private constructor(
    common: Common,
    store: ChainStore,
    trieDb: TrieDatabase,
    state: MerkleStateManager,
    genesis: Block,
    head: Block,
    opts: ChainOptions,
  ) {
    this.common = common;
    this.store = store;
    this.trieDb = trieDb;
    this.state = state;
    this.genesis = genesis;
    this.headBlock = head;
    this.opts = opts;
    this.recentHashes = new GenerationalCache(opts.blockCacheSize);
    this.recentTxs = new GenerationalCache(opts.txCacheSize);
  }

  /**
   * Opens the chain in `kv`, writing the genesis block if the store is empty.
   * A store made for another chain id or genesis is refused.
   */
  static async open(
    kv: KeyValueStore,
    common: Common,
    genesis: Genesis,
    opts: Partial<ChainOptions> = {},
  ): Promise<{ chain: Chain; created: boolean }> {
    const options = { ...defaultChainOptions, ...opts };
    const store = new ChainStore(kv);
    const trieDb = new TrieDatabase(kv);
    const state = createStateManager(common, trieDb);
    const storedHead = await store.head();

    if (storedHead === undefined) {
      const block = await buildGenesis(common, state, genesis, genesis.timestamp);
      const { ops, release } = trieDb.drain();
      const identity = new TextEncoder().encode(`${genesis.chainId}:${bytesToHex(block.hash())}`);
      await kv.write([
        ...ops,
        ...store.blockOps({
          hash: block.hash(),
          number: 0n,
          rlp: block.serialize(),
          receipts: encodeReceipts([]),
          txHashes: [],
        }),
        store.identityOp(identity),
      ]);
      release();
      return { chain: new Chain(common, store, trieDb, state, block, block, options), created: true };
    }

    const storedGenesisHash = await store.canonicalHash(0n);
    const storedGenesisRlp = storedGenesisHash && (await store.blockRlp(storedGenesisHash));
    if (storedGenesisHash === undefined || storedGenesisRlp === undefined) {
      throw new ExecutionError({ code: 'CORRUPT_DATABASE', reason: 'head without a genesis block' });
    }
    const storedGenesis = createBlockFromRLP(storedGenesisRlp, { common });
    // Recompute the genesis this configuration makes, on a scratch trie, with
    // the stored timestamp (a devnet's genesis time is the moment it was made).
    const scratch = createStateManager(common, new TrieDatabase(new MemoryStore()));
    const expected = await buildGenesis(common, scratch, genesis, storedGenesis.header.timestamp);
    const identity = new TextDecoder().decode((await store.identity()) ?? new Uint8Array());
    const expectedIdentity = `${genesis.chainId}:${bytesToHex(expected.hash())}`;
    if (identity !== expectedIdentity) {
      throw new ConfigError(
        { code: 'DATA_DIR_MISMATCH', dataDir: '', expected: expectedIdentity, found: identity },
        `the data dir holds another chain (chain id:genesis ${identity}, this configuration makes ${expectedIdentity}); ` +
          'use another --data-dir, or --reset to delete it',
      );
    }
    const headRlp = await store.blockRlp(storedHead);
    if (headRlp === undefined)
      throw new ExecutionError({ code: 'CORRUPT_DATABASE', reason: 'head block missing' });
    const head = createBlockFromRLP(headRlp, { common });
    await state.setStateRoot(head.header.stateRoot);
    return { chain: new Chain(common, store, trieDb, state, storedGenesis, head, options), created: false };
  }

  get head(): Block {
    return this.headBlock;
  }

  get genesisBlock(): Block {
    return this.genesis;
  }

  /** Persists a built block with its receipts and trie nodes in one write, then moves the head. */
  async commit(block: Block, receipts: readonly TxReceipt[]): Promise<void> {
    if (!equalsBytes(block.header.parentHash, this.headBlock.hash())) {
      throw new ExecutionError(
        { code: 'UNKNOWN_BLOCK', block: bytesToHex(block.header.parentHash) },
        'block does not extend the head',
      );
    }
    const { ops, release } = this.trieDb.drain();
    const hash = block.hash();
    const txHashes = block.transactions.map((tx) => tx.hash());
    try {
      await this.store.kv.write([
        ...ops,
        ...this.store.blockOps({
          hash,
          number: block.header.number,
          rlp: block.serialize(),
          receipts: encodeReceipts(receipts),
          txHashes,
        }),
      ]);
    } finally {
      release();
    }
    this.remember(block, [...receipts]);
    this.recentHashes.set(block.header.number, hash);
    txHashes.forEach((txHash, index) => {
      this.recentTxs.set(bytesToHex(txHash), { number: block.header.number, index });
    });
    this.headBlock = block;
    this.headReader = undefined;
    // Sealing flushed every write to the trie: what the caches hold is only what the trie has.
    // With them go the storage tries kept per account, which moving to the same root drops.
    if (dropCachesPast(this.state, this.opts.stateCacheBounds)) {
      await this.state.setStateRoot(block.header.stateRoot, false);
    }
  }

  /**
   * Puts the head state manager back at the head's state root, dropping
   * whatever a failed build or commit left in it.
   */
  async resetState(): Promise<void> {
    this.trieDb.discard();
    await this.state.setStateRoot(this.headBlock.header.stateRoot, true);
  }

  /**
   * Makes `target` (a canonical ancestor) the head again, dropping the blocks
   * above it from the canonical chain in one write (devnet's evm_revert).
   * The caller makes sure no block is being built meanwhile.
   */
  async rewind(target: Block): Promise<void> {
    const canonical = await this.blockByNumber(target.header.number);
    if (canonical === undefined || !equalsBytes(canonical.hash(), target.hash())) {
      throw new ExecutionError(
        { code: 'UNKNOWN_BLOCK', block: bytesToHex(target.hash()) },
        'can only rewind to a canonical block',
      );
    }
    const dropped: Block[] = [];
    for (let n = this.headBlock.header.number; n > target.header.number; n--) {
      const block = await this.blockByNumber(n);
      if (block === undefined)
        throw new ExecutionError({ code: 'CORRUPT_DATABASE', reason: `canonical block ${n} missing` });
      dropped.push(block);
    }
    const txHashes = (b: Block) => b.transactions.map((tx) => tx.hash());
    await this.store.kv.write([
      ...dropped.flatMap((b) => this.store.unindexOps(b.header.number, txHashes(b))),
      this.store.headOp(target.hash()),
    ]);
    for (const b of dropped) {
      this.recentHashes.delete(b.header.number);
      for (const hash of txHashes(b)) this.recentTxs.delete(bytesToHex(hash));
    }
    this.headBlock = target;
    this.headReader = undefined;
    await this.resetState();
  }

  async blockByHash(hash: Uint8Array): Promise<Block | undefined> {
    const cached = this.cache.get(bytesToHex(hash));
    if (cached !== undefined) return cached.block;
    const rlp = await this.store.blockRlp(hash);
    if (rlp === undefined) return undefined;
    const block = createBlockFromRLP(rlp, { common: this.common });
    this.remember(block, undefined);
    return block;
  }

  async blockByNumber(number: bigint): Promise<Block | undefined> {
    if (number === this.headBlock.header.number) return this.headBlock;
    if (number > this.headBlock.header.number || number < 0n) return undefined;
    const hash = this.recentHashes.get(number) ?? (await this.store.canonicalHash(number));
    return hash === undefined ? undefined : this.blockByHash(hash);
  }

  async receipts(block: Block): Promise<TxReceipt[]> {
    const key = bytesToHex(block.hash());
    const cached = this.cache.get(key);
    if (cached?.receipts !== undefined) return cached.receipts;
    const bytes = await this.store.receipts(block.hash());
    if (bytes === undefined)
      throw new ExecutionError({ code: 'CORRUPT_DATABASE', reason: `receipts missing for ${key}` });
    const receipts = decodeReceipts(bytes);
    if (cached !== undefined) cached.receipts = receipts;
    return receipts;
  }

  async txLocation(txHash: Uint8Array): Promise<{ block: Block; index: number } | undefined> {
    const recent = this.recentTxs.get(bytesToHex(txHash));
    const loc =
      recent === undefined
        ? await this.store.txLocation(txHash)
        : { blockNumber: recent.number, index: recent.index };
    if (loc === undefined) return undefined;
    const block = await this.blockByNumber(loc.blockNumber);
    return block === undefined ? undefined : { block, index: loc.index };
  }

  /** A state manager of its own at `block`'s state root: the caller may run transactions on it. */
  async stateAt(block: Block): Promise<MerkleStateManager> {
    const state = this.state.shallowCopy(false);
    await state.setStateRoot(block.header.stateRoot);
    return state;
  }

  /** State at `block` for reads only (balances, code, storage); shared at the head. */
  async readerAt(block: Block): Promise<MerkleStateManager> {
    if (block !== this.headBlock) return this.stateAt(block);
    if (this.headReader !== undefined) {
      this.readerReads = (this.readerReads + 1) % READER_CHECK_EVERY;
      if (this.readerReads === 0) dropCachesPast(this.headReader, this.opts.stateCacheBounds);
      return this.headReader;
    }
    const state = await this.stateAt(block);
    if (block === this.headBlock) this.headReader = state;
    return state;
  }

  private remember(block: Block, receipts: TxReceipt[] | undefined): void {
    const key = bytesToHex(block.hash());
    const previous = this.cache.get(key);
    if (previous !== undefined) this.cachedTxs -= previous.block.transactions.length;
    this.cache.delete(key);
    this.cache.set(key, { block, receipts });
    this.cachedTxs += block.transactions.length;
    // The newest block stays, however many transactions it has.
    while (
      this.cache.size > 1 &&
      (this.cache.size > this.opts.blockCacheSize || this.cachedTxs > this.opts.blockCacheTxs)
    ) {
      const [oldest, entry] = this.cache.entries().next().value as [string, CachedBlock];
      this.cache.delete(oldest);
      this.cachedTxs -= entry.block.transactions.length;
    }
  }
}

export function createStateManager(common: Common, trieDb: TrieDatabase): MerkleStateManager {
  const trie = new MerklePatriciaTrie({
    db: trieDb,
    useKeyHashing: true,
    valueEncoding: ValueEncoding.Bytes,
    common,
  });
  return new MerkleStateManager({ trie, common, caches: new Caches() });
}

async function buildGenesis(
  common: Common,
  state: MerkleStateManager,
  genesis: Genesis,
  timestamp: bigint | undefined,
): Promise<Block> {
  const stateRoot = await applyGenesisAlloc(state, genesis);
  const header = genesisHeader(
    common,
    genesis,
    stateRoot,
    timestamp ?? BigInt(Math.floor(Date.now() / 1000)),
  );
  return createBlock({ header, withdrawals: [] }, { common });
}
