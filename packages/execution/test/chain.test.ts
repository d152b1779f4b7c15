import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bytesToHex, createAddressFromString, createZeroAddress } from '@ethereumjs/util';
import { ConfigError, createDevGenesis } from '@openledger/core';
import { MemoryStore } from '@openledger/db';
import { PendingBlock } from '../src/builder.js';
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
});
