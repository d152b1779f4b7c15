import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bytesToHex, createAddressFromString, createZeroAddress } from '@ethereumjs/util';
import { ConfigError, createDevGenesis } from '@openledger/core';
import { MemoryStore } from '@openledger/db';
import { PendingBlock } from '../src/builder.js';
import { Chain } from '../src/chain.js';
import { createExecutionCommon } from '../src/common.js';
import { cachedCounts } from '../src/read-cache.js';
import { createHeadVM } from '../src/vm.js';
import { accounts, CHAIN_ID, devGenesis, openDevChain, transfer } from './helpers.js';

const [alice, bob] = accounts as [(typeof accounts)[0], (typeof accounts)[0]];

describe('Chain', () => {
  it('creates genesis with the dev alloc', async () => {
    const chain = await openDevChain();
    assert.equal(chain.head.header.number, 0n);
    const account = await chain.state.getAccount(createAddressFromString(alice.address));
    assert.equal(account?.balance, 10_000n * 10n ** 18n);
  });

  it('builds, commits and reopens a block with the same head and state', async () => {
    const kv = new MemoryStore();
    const chain = await openDevChain(kv);
    const vm = await createHeadVM(chain);
    const pending = await PendingBlock.start(vm, chain.head, {
      timestamp: chain.head.header.timestamp + 1n,
      coinbase: createZeroAddress(),
    });
    const tx = transfer(chain, alice, 0n, bob.address, 5n);
    const added = await pending.add(tx);
    assert.equal(added.included, true);
    const bad = await pending.add(transfer(chain, alice, 0n, bob.address, 5n));
    assert.equal(bad.included, false, 'a reused nonce is not included');
    const { block, receipts } = await pending.seal();
    await chain.commit(block, receipts);
    assert.equal(receipts[0]?.status, 1);
    assert.equal(receipts[0]?.gasUsed, 21_000n);
    assert.equal(block.header.gasUsed, 21_000n);

    const reopened = await openDevChain(kv, { ...devGenesis(), timestamp: undefined });
    assert.equal(bytesToHex(reopened.head.hash()), bytesToHex(block.hash()));
    const bobAccount = await reopened.state.getAccount(createAddressFromString(bob.address));
    assert.equal(bobAccount?.balance, 10_000n * 10n ** 18n + 5n);
    const loc = await reopened.txLocation(tx.hash());
    assert.equal(loc?.index, 0);
    assert.equal(loc?.block.header.number, 1n);
    const stored = await reopened.receipts(loc!.block);
    assert.equal(bytesToHex(stored[0]!.from), alice.address);
  });

  it('refuses a data dir made with another genesis', async () => {
    const kv = new MemoryStore();
    await openDevChain(kv);
    const other = createDevGenesis({ chainId: CHAIN_ID, accounts: accounts.slice(0, 1), balance: 10_000n });
    await assert.rejects(
      openDevChain(kv, other),
      (err) => err instanceof ConfigError && err.type.code === 'DATA_DIR_MISMATCH',
    );
  });

  it('abandoning a block leaves the state untouched', async () => {
    const chain = await openDevChain();
    const vm = await createHeadVM(chain);
    const before = await chain.state.getStateRoot();
    const pending = await PendingBlock.start(vm, chain.head, {
      timestamp: 1n,
      coinbase: createZeroAddress(),
    });
    await pending.add(transfer(chain, alice, 0n, bob.address, 5n));
    await pending.abandon();
    assert.deepEqual(await chain.state.getStateRoot(), before);
  });

  it('bounds what it keeps in memory: blocks by their transactions, the head state by its cached entries', async () => {
    const genesis = devGenesis();
    const contracts = [
      '0x00000000000000000000000000000000000c0de1',
      '0x00000000000000000000000000000000000c0de2',
    ];
    for (const address of contracts)
      genesis.alloc.set(address, { balance: 0n, code: new Uint8Array([0x00]) });
    const { chain } = await Chain.open(new MemoryStore(), createExecutionCommon(CHAIN_ID), genesis, {
      blockCacheTxs: 2,
      stateCacheBounds: { entries: 3, codes: 1 },
    });
    const vm = await createHeadVM(chain);
    let nonce = 0n;
    const build = async (count: number) => {
      const pending = await PendingBlock.start(vm, chain.head, {
        timestamp: chain.head.header.timestamp + 1n,
        coinbase: createZeroAddress(),
      });
      for (let i = 0; i < count; i++) await pending.add(transfer(chain, alice, nonce++, bob.address, 5n));
      const { block, receipts } = await pending.seal();
      await chain.commit(block, receipts);
      return block;
    };
    const cached = () => (chain as unknown as { cache: Map<string, unknown> }).cache;
    const first = await build(2);
    assert.equal(cached().has(bytesToHex(first.hash())), true);
    assert.deepEqual(
      cachedCounts(chain.state),
      { entries: 0, codes: 0 },
      'alice, bob and the fee recipients are past 3 entries: dropped',
    );
    await build(1);
    assert.equal(
      cached().has(bytesToHex(first.hash())),
      false,
      'three transactions cached: the oldest block goes',
    );
    assert.equal((await chain.blockByNumber(1n))?.transactions.length, 2, 'and is read from the store again');
    const bobAccount = await chain.state.getAccount(createAddressFromString(bob.address));
    assert.equal(bobAccount?.balance, 10_000n * 10n ** 18n + 15n, 'the state reads the trie again');
    await build(3);
    assert.equal(cached().size, 1, 'the newest block stays, however many transactions it has');
    // The shared head reader: counted every 1,024 reads, dropped past the bound.
    const reader = await chain.readerAt(chain.head);
    const absent = [
      '0x00000000000000000000000000000000000000a1',
      '0x00000000000000000000000000000000000000a2',
    ];
    for (const address of [...accounts.map((a) => a.address), ...absent]) {
      await reader.getAccount(createAddressFromString(address));
    }
    assert.ok(cachedCounts(reader).entries > 3);
    for (let i = 0; i < 1_024; i++) assert.equal(await chain.readerAt(chain.head), reader);
    assert.deepEqual(cachedCounts(reader), { entries: 0, codes: 0 });
    // Codes have a bound of their own (each up to 24 KiB): two codes are past 1, with entries still under 3.
    for (const address of contracts) await reader.getCode(createAddressFromString(address));
    assert.deepEqual(cachedCounts(reader), { entries: 2, codes: 2 });
    for (let i = 0; i < 1_024; i++) await chain.readerAt(chain.head);
    assert.deepEqual(cachedCounts(reader), { entries: 0, codes: 0 });
  });
});
