import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { createTx, type TypedTransaction } from '@ethereumjs/tx';
import { type Address, createAddressFromString, hexToBytes } from '@ethereumjs/util';
import { createChainCommon, DEV_MNEMONIC, deriveDevAccounts } from '@openledger/core';
import { createExecutionCommon } from '@openledger/execution';
import { TxPoolError, type TxPoolErrorType } from '../src/errors.js';
import { type AccountState, defaultTxPoolOptions, TxPool } from '../src/txpool.js';

const common = createExecutionCommon(16120n);
const [alice, bob] = deriveDevAccounts(DEV_MNEMONIC, 2) as [
  { address: string; privateKey: string },
  { address: string; privateKey: string },
];
const GWEI = 1_000_000_000n;
const RICH = 10n ** 24n;

interface TxOpts {
  nonce?: bigint;
  tip?: bigint;
  maxFee?: bigint;
  gas?: bigint;
  value?: bigint;
  key?: string;
  chainId?: bigint;
  type?: number;
}

function tx(o: TxOpts = {}): TypedTransaction {
  const chainCommon = o.chainId === undefined ? common : createChainCommon({ chainId: o.chainId });
  const data =
    o.type === 0
      ? { type: 0, gasPrice: o.maxFee ?? 10n * GWEI }
      : { type: 2, maxPriorityFeePerGas: o.tip ?? GWEI, maxFeePerGas: o.maxFee ?? 10n * GWEI };
  return createTx(
    {
      ...data,
      nonce: o.nonce ?? 0n,
      gasLimit: o.gas ?? 21_000n,
      to: createAddressFromString(bob.address),
      value: o.value ?? 1n,
      ...(o.type === 0 ? {} : { chainId: chainCommon.chainId() }),
    },
    { common: chainCommon },
  ).sign(hexToBytes((o.key ?? alice.privateKey) as `0x${string}`));
}

async function rejects(promise: Promise<unknown>, code: TxPoolErrorType['code'], message?: string) {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof TxPoolError, `expected TxPoolError, got ${err}`);
    assert.equal(err.type.code, code);
    if (message !== undefined) assert.match(err.message, new RegExp(message));
    return true;
  });
}

describe('TxPool', () => {
  let accounts: Map<string, AccountState>;
  let baseFee: bigint;
  let pool: TxPool;

  beforeEach(() => {
    accounts = new Map([[alice.address, { nonce: 0n, balance: RICH }]]);
    baseFee = GWEI;
    pool = new TxPool(defaultTxPoolOptions, {
      common,
      account: async (a: Address) => accounts.get(a.toString()) ?? { nonce: 0n, balance: 0n },
      nextBaseFee: () => baseFee,
      blockGasLimit: () => 30_000_000n,
    });
  });

  it('admits a valid transaction and reports it pending', async () => {
    const t = tx();
    const entry = await pool.addRaw(t.serialize());
    assert.equal(entry.sender, alice.address);
    assert.equal(pool.get(entry.hash)?.nonce, 0n);
    assert.equal(pool.pendingNonce(alice.address, 0n), 1n);
  });

  it('rejects with the error wallets expect', async () => {
    await rejects(pool.add(tx({ gas: 20_000n })), 'INTRINSIC_GAS', 'intrinsic gas too low');
    await rejects(pool.add(tx({ gas: 30_000_001n })), 'GAS_LIMIT', 'exceeds block gas limit');
    await rejects(
      pool.add(tx({ maxFee: GWEI / 2n, tip: 1n })),
      'FEE_CAP_TOO_LOW',
      'max fee per gas less than block base fee',
    );
    await rejects(
      pool.add(tx({ key: bob.privateKey })),
      'INSUFFICIENT_FUNDS',
      'insufficient funds for gas \\* price \\+ value',
    );
    await rejects(pool.addRaw(tx({ chainId: 1n }).serialize()), 'INVALID_CHAIN_ID');
    await rejects(
      pool.addRaw(new Uint8Array([0x03, 0xc0])),
      'UNSUPPORTED_TYPE',
      'transaction type not supported',
    );
    await rejects(pool.addRaw(new Uint8Array([0x02, 0x01, 0x02])), 'DECODE');
    await rejects(pool.addRaw(new Uint8Array(128 * 1024 + 1)), 'OVERSIZED');
    accounts.set(alice.address, { nonce: 5n, balance: RICH });
    await rejects(pool.add(tx({ nonce: 4n })), 'NONCE_TOO_LOW', 'nonce too low');
    assert.equal(pool.size, 0, 'nothing rejected was kept');
  });

  it('rejects a duplicate as already known', async () => {
    const t = tx();
    await pool.add(t);
    await rejects(pool.addRaw(t.serialize()), 'ALREADY_KNOWN', 'already known');
  });

  it('replaces only with a fee bump of at least 10%', async () => {
    await pool.add(tx({ tip: 10n * GWEI, maxFee: 100n * GWEI }));
    await rejects(
      pool.add(tx({ tip: 10n * GWEI, maxFee: 100n * GWEI, value: 2n })),
      'REPLACEMENT_UNDERPRICED',
    );
    await rejects(pool.add(tx({ tip: 10n * GWEI, maxFee: 110n * GWEI })), 'REPLACEMENT_UNDERPRICED');
    const replacement = await pool.add(tx({ tip: 11n * GWEI, maxFee: 110n * GWEI }));
    assert.equal(pool.size, 1);
    assert.equal(pool.get(replacement.hash)?.tx.value, 1n);
  });

  it('holds nonce gaps as queued until the gap fills', async () => {
    await pool.add(tx({ nonce: 2n }));
    let content = pool.content();
    assert.equal(content.pending.size, 0);
    assert.equal(content.queued.get(alice.address)?.length, 1);
    assert.equal(pool.hasExecutable(baseFee), false);
    await pool.add(tx({ nonce: 0n }));
    await pool.add(tx({ nonce: 1n }));
    content = pool.content();
    assert.deepEqual(
      content.pending.get(alice.address)?.map((e) => e.nonce),
      [0n, 1n, 2n],
    );
    assert.equal(pool.pendingNonce(alice.address, 0n), 3n);
  });

  it('keeps the executable run right through appends, gap fills, drops and blocks', async () => {
    const run = () => pool.content().pending.get(alice.address)?.length ?? 0;
    for (const n of [0n, 1n, 2n, 4n, 5n]) await pool.add(tx({ nonce: n }));
    assert.equal(run(), 3);
    assert.equal(pool.pendingNonce(alice.address, 0n), 3n);
    const three = await pool.add(tx({ nonce: 3n }));
    assert.equal(run(), 6, 'nonce 3 reconnects 4 and 5');
    assert.equal(pool.isExecutable(three), true);
    pool.drop(three.hash);
    assert.equal(run(), 3);
    pool.onBlock([{ sender: alice.address, nonce: 1n }]);
    assert.equal(run(), 1, 'only nonce 2 is left before the gap');
    assert.equal(pool.pendingNonce(alice.address, 2n), 3n);
  });

  it('bounds queued transactions per sender', async () => {
    const opts = { ...defaultTxPoolOptions, maxQueuedPerAccount: 2 };
    const small = new TxPool(opts, {
      common,
      account: async () => ({ nonce: 0n, balance: RICH }),
      nextBaseFee: () => baseFee,
      blockGasLimit: () => 30_000_000n,
    });
    await small.add(tx({ nonce: 5n }));
    await small.add(tx({ nonce: 6n }));
    await rejects(small.add(tx({ nonce: 7n })), 'ACCOUNT_FULL');
  });

  it('bounds the pool as a whole', async () => {
    const small = new TxPool(
      { ...defaultTxPoolOptions, maxTotal: 2 },
      {
        common,
        account: async () => ({ nonce: 0n, balance: RICH }),
        nextBaseFee: () => baseFee,
        blockGasLimit: () => 30_000_000n,
      },
    );
    await small.add(tx({ nonce: 0n }));
    await small.add(tx({ nonce: 1n }));
    await rejects(small.add(tx({ nonce: 2n })), 'POOL_FULL', 'txpool is full');
  });

  it('selects by effective tip, then nonce per sender', async () => {
    accounts.set(bob.address, { nonce: 0n, balance: RICH });
    await pool.add(tx({ nonce: 0n, tip: 1n * GWEI }));
    await pool.add(tx({ nonce: 1n, tip: 5n * GWEI }));
    await pool.add(tx({ key: bob.privateKey, nonce: 0n, tip: 2n * GWEI }));
    const selection = pool.select(baseFee);
    const order: string[] = [];
    for (let e = selection.next(); e !== undefined; e = selection.next())
      order.push(`${e.sender === alice.address ? 'a' : 'b'}${e.nonce}`);
    // Bob's 2 gwei beats Alice's first (1 gwei); Alice's nonce 1 must wait for her nonce 0.
    assert.deepEqual(order, ['b0', 'a0', 'a1']);
  });

  it('skips transactions whose fee cap is below the base fee at selection time', async () => {
    await pool.add(tx({ maxFee: 2n * GWEI, tip: GWEI }));
    assert.equal(pool.select(3n * GWEI).next(), undefined);
    assert.equal(pool.hasExecutable(3n * GWEI), false);
    assert.notEqual(pool.select(GWEI).next(), undefined);
  });

  it('forgets what a block included and promotes what follows', async () => {
    await pool.add(tx({ nonce: 0n }));
    await pool.add(tx({ nonce: 1n }));
    pool.onBlock([{ sender: alice.address, nonce: 0n }]);
    assert.equal(pool.size, 1);
    assert.equal(pool.select(baseFee).next()?.nonce, 1n);
  });

  it('admits legacy transactions', async () => {
    const entry = await pool.add(tx({ type: 0 }));
    assert.equal(entry.tx.type, 0);
  });
});
