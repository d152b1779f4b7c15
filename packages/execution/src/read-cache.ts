// Caches that outlive a call's revert. EthereumJS records every cache entry
// made inside a checkpoint, reads included, so reverting a call (as eth_call
// always does) throws away what it read, and the next call walks the trie
// again for the same accounts, slots and code. On a state that is only ever
// read and reverted, a value read from the trie is the value at the state's
// root whatever checkpoint is open, so the read-through entry can be kept:
// it is written to the cache without a record in the checkpoint's diff.
// Writes are recorded as before and reverted as before (their pre-state is
// the kept read). Only for the call executor's VM, whose state is never
// committed; the VM building blocks keeps EthereumJS's behaviour.
//
// The account cache holds accounts RLP-encoded and decodes one on every
// read, several times per call; the decoded fields are kept per encoding
// (an encoding is never changed in place, a write stores a new one) and
// each read gets an Account of its own, which the EVM is free to change.
import type { MerkleStateManager } from '@ethereumjs/statemanager';
import { Account, type Address, createAccountFromRLP } from '@ethereumjs/util';

interface DiffRecordingCache {
  _saveCachePreState(...keys: string[]): void;
}

interface AccountCache {
  get(address: Address): { accountRLP: Uint8Array | undefined } | undefined;
}

/** getAccount that decodes each cached encoding once. */
function decodeOnce(state: MerkleStateManager, cache: AccountCache): MerkleStateManager['getAccount'] {
  const original = state.getAccount.bind(state);
  const decoded = new WeakMap<Uint8Array, Account>();
  return async (address: Address) => {
    const encoded = cache.get(address)?.accountRLP;
    if (encoded === undefined) return original(address);
    let fields = decoded.get(encoded);
    if (fields === undefined) {
      fields = createAccountFromRLP(encoded);
      decoded.set(encoded, fields);
    }
    return new Account(fields.nonce, fields.balance, fields.storageRoot, fields.codeHash);
  };
}

type ReadMethod = 'getAccount' | 'getStorage' | 'getCode';
const READS: readonly ReadMethod[] = ['getAccount', 'getStorage', 'getCode'];

/** Entries the kept reads have put in a state's caches since they were last dropped. */
const kept = new WeakMap<MerkleStateManager, CacheCounts>();

export function keepReadsAcrossReverts(state: MerkleStateManager): void {
  const caches = (state as unknown as { _caches?: Record<string, DiffRecordingCache | undefined> })._caches;
  if (caches === undefined) return;
  let reading = 0;
  const counts: CacheCounts = { entries: 0, codes: 0 };
  kept.set(state, counts);
  for (const name of ['account', 'storage', 'code']) {
    const cache = caches[name];
    if (cache === undefined) continue;
    const save = cache._saveCachePreState.bind(cache);
    cache._saveCachePreState = (...keys: string[]) => {
      if (reading === 0) save(...keys);
      else if (name === 'code') counts.codes++;
      else counts.entries++;
    };
  }
  const setStateRoot = state.setStateRoot.bind(state);
  state.setStateRoot = async (root: Uint8Array, clearCache = true) => {
    await setStateRoot(root, clearCache);
    if (clearCache) counts.entries = counts.codes = 0;
  };
  const accounts = caches.account as unknown as AccountCache | undefined;
  if (accounts !== undefined) state.getAccount = decodeOnce(state, accounts);
  for (const method of READS) {
    const original = (state[method] as (...args: unknown[]) => Promise<unknown>).bind(state);
    (state as unknown as Record<ReadMethod, (...args: unknown[]) => Promise<unknown>>)[method] = async (
      ...args: unknown[]
    ) => {
      reading++;
      try {
        return await original(...args);
      } finally {
        reading--;
      }
    };
  }
}

/** What a state manager's caches hold: accounts and storage slots, and contract codes (up to 24 KiB each). */
export interface CacheCounts {
  entries: number;
  codes: number;
}

/** How much the call VM's kept reads may hold before they are dropped. */
export const defaultReadCacheBounds: CacheCounts = { entries: 100_000, codes: 1_000 };

function exceeds(counts: CacheCounts, bounds: CacheCounts): boolean {
  return counts.entries > bounds.entries || counts.codes > bounds.codes;
}

/**
 * Kept reads only grow while the state's root stays (a node with no new
 * blocks answering calls over many accounts). Past the bounds they are all
 * dropped, between calls, when no checkpoint holds a write; the next calls
 * read the trie again. Returns whether they were. They are counted as they
 * enter, because counting the caches (cachedCounts) walks the storage cache,
 * too slow for every call.
 */
export function trimReadCaches(state: MerkleStateManager, bounds = defaultReadCacheBounds): boolean {
  const counts = kept.get(state);
  if (counts === undefined || !exceeds(counts, bounds)) return false;
  state.clearCaches();
  counts.entries = 0;
  counts.codes = 0;
  return true;
}

interface StateCaches {
  account?: { size(): number };
  code?: { size(): number };
  storage?: { _orderedMapCache?: Iterable<[string, Map<string, unknown>]>; size(): number };
}

/** What a state manager's caches hold (storage slots counted one by one: the storage cache counts accounts). */
export function cachedCounts(state: MerkleStateManager): CacheCounts {
  const caches = (state as unknown as { _caches?: StateCaches })._caches;
  if (caches === undefined) return { entries: 0, codes: 0 };
  let slots = 0;
  const storage = caches.storage;
  if (storage?._orderedMapCache !== undefined) {
    for (const [, perAccount] of storage._orderedMapCache) slots += perAccount.size;
  } else {
    slots = storage?.size() ?? 0;
  }
  return { entries: (caches.account?.size() ?? 0) + slots, codes: caches.code?.size() ?? 0 };
}

/** Drops a state manager's caches when they hold more than `bounds`; returns whether it did. */
export function dropCachesPast(state: MerkleStateManager, bounds: CacheCounts): boolean {
  if (!exceeds(cachedCounts(state), bounds)) return false;
  state.clearCaches();
  return true;
}
