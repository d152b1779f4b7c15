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

export function keepReadsAcrossReverts(state: MerkleStateManager): void {
  const caches = (state as unknown as { _caches?: Record<string, DiffRecordingCache | undefined> })._caches;
  if (caches === undefined) return;
  let reading = 0;
  for (const name of ['account', 'storage', 'code']) {
    const cache = caches[name];
    if (cache === undefined) continue;
    const save = cache._saveCachePreState.bind(cache);
    cache._saveCachePreState = (...keys: string[]) => {
      if (reading === 0) save(...keys);
    };
  }
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
