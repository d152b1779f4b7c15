import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ChainStore } from '../src/chain-store.js';
import { type KeyValueStore, LevelStore, MemoryStore } from '../src/kv.js';
import { TrieDatabase } from '../src/trie-db.js';

const bytes = (...b: number[]) => Uint8Array.from(b);

async function withLevel(fn: (store: LevelStore, dir: string) => Promise<void>) {
  const dir = await mkdtemp(join(tmpdir(), 'openledger-db-'));
  const store = await LevelStore.open(dir);
  try {
    await fn(store, dir);
  } finally {
    await store.close().catch(() => {});
    await rm(dir, { recursive: true, force: true });
  }
}

async function basics(store: KeyValueStore) {
  await store.write([
    { type: 'put', key: bytes(1), value: bytes(10) },
    { type: 'put', key: bytes(2), value: bytes(20) },
  ]);
  await store.write([{ type: 'del', key: bytes(1) }]);
  assert.equal(await store.get(bytes(1)), undefined);
  assert.deepEqual([...((await store.get(bytes(2))) ?? [])], [20]);
  assert.equal(await store.get(bytes(3)), undefined);
  assert.deepEqual(
    (await store.keys({ gte: bytes(0), lt: bytes(9), limit: 10 })).map((k) => [...k]),
    [[2]],
  );
}

describe('stores', () => {
  it('MemoryStore gets what a batch put, undefined for what it deleted or never had', async () => {
    await basics(new MemoryStore());
  });

  it('LevelStore does the same', async () => {
    await withLevel((store) => basics(store));
  });
});

describe('LevelStore on disk', () => {
  it('keeps what was written across a reopen', async () => {
    await withLevel(async (store, dir) => {
      await store.write([{ type: 'put', key: bytes(7), value: bytes(77) }]);
      await store.close();
      const again = await LevelStore.open(dir);
      assert.deepEqual([...((await again.get(bytes(7))) ?? [])], [77]);
      await again.close();
    });
  });

  it('refuses a second opener of the same directory', async () => {
    await withLevel(async (_store, dir) => {
      await assert.rejects(LevelStore.open(dir));
    });
  });
});

describe('TrieDatabase', () => {
  it('holds node writes in memory until the block batch takes them', async () => {
    const kv = new MemoryStore();
    const trie = new TrieDatabase(kv);
    await trie.put('aa', bytes(1));
    assert.deepEqual([...((await trie.get('aa')) ?? [])], [1]);
    assert.equal(
      (await kv.keys({ gte: bytes(0), lt: bytes(255), limit: 10 })).length,
      0,
      'nothing on disk yet',
    );
    const { ops, release } = trie.drain();
    assert.equal(ops.length, 1);
    // Between drain and the batch landing, readers still see the node.
    assert.deepEqual([...((await trie.get('aa')) ?? [])], [1]);
    await kv.write(ops);
    release();
    assert.deepEqual([...((await trie.get('aa')) ?? [])], [1], 'now served from the store');
    assert.equal(trie.pendingCount, 0);
  });

  it('discards writes of an abandoned block', async () => {
    const trie = new TrieDatabase(new MemoryStore());
    await trie.batch([{ type: 'put', key: 'bb', value: bytes(2) }]);
    trie.discard();
    assert.equal(await trie.get('bb'), undefined);
  });
});

describe('ChainStore', () => {
  it('indexes a block, its receipts and transactions, and moves the head in one batch', async () => {
    const kv = new MemoryStore();
    const store = new ChainStore(kv);
    const hash = new Uint8Array(32).fill(9);
    const txHash = new Uint8Array(32).fill(5);
    await kv.write(
      store.blockOps({
        hash,
        number: 3n,
        rlp: bytes(1, 2),
        receipts: bytes(3),
        txHashes: [new Uint8Array(32), txHash],
      }),
    );
    assert.deepEqual(await store.head(), hash);
    assert.deepEqual(await store.canonicalHash(3n), hash);
    assert.deepEqual([...((await store.blockRlp(hash)) ?? [])], [1, 2]);
    assert.deepEqual([...((await store.receipts(hash)) ?? [])], [3]);
    assert.deepEqual(await store.txLocation(txHash), { blockNumber: 3n, index: 1 });
    assert.equal(await store.txLocation(new Uint8Array(32).fill(1)), undefined);
  });
});
