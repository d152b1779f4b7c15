import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  createChainCommon,
  DEFAULT_BLOCK_GAS_LIMIT,
  DEVNET_CHAIN_ID,
  HARDFORK,
} from '../src/chain-config.js';
import { ConfigError } from '../src/errors.js';
import { createDevGenesis, DEV_MNEMONIC, deriveDevAccounts, parseGenesis } from '../src/genesis.js';

describe('dev accounts', () => {
  it('derive the well-known accounts of the dev mnemonic (as anvil and hardhat)', () => {
    const accounts = deriveDevAccounts(DEV_MNEMONIC, 10);
    assert.equal(accounts.length, 10);
    assert.equal(accounts[0]?.address, '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266');
    assert.equal(accounts[9]?.address, '0xa0ee7a142d267c1f36714e4a8f75612f20a79720');
    assert.equal(
      accounts[9]?.privateKey,
      '0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6',
    );
  });

  it('refuse an invalid mnemonic without echoing it', () => {
    assert.throws(
      () => deriveDevAccounts('not a real mnemonic at all', 1),
      (err) => err instanceof ConfigError && !err.message.includes('real mnemonic'),
    );
  });

  it('fund each account with the balance in whole OPEN', () => {
    const genesis = createDevGenesis({
      chainId: DEVNET_CHAIN_ID,
      accounts: deriveDevAccounts(DEV_MNEMONIC, 2),
      balance: 7n,
    });
    assert.equal(genesis.alloc.size, 2);
    assert.equal(genesis.alloc.get('0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266')?.balance, 7n * 10n ** 18n);
    assert.equal(genesis.gasLimit, DEFAULT_BLOCK_GAS_LIMIT);
  });
});

describe('parseGenesis', () => {
  it('reads a geth-style genesis', () => {
    const genesis = parseGenesis({
      config: { chainId: 424242 },
      timestamp: '0x10',
      gasLimit: '0x1c9c380',
      extraData: '0x1234',
      alloc: {
        '70997970C51812dc3A010C7d01b50e0d17dc79C8': { balance: '0xde0b6b3a7640000' },
        '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC': {
          balance: '1',
          nonce: '0x2',
          code: '0x6000',
          storage: { '0x01': '0x02' },
        },
      },
    });
    assert.equal(genesis.chainId, 424242n);
    assert.equal(genesis.timestamp, 16n);
    assert.equal(genesis.gasLimit, 30_000_000n);
    assert.deepEqual([...genesis.extraData], [0x12, 0x34]);
    assert.equal(genesis.alloc.get('0x70997970c51812dc3a010c7d01b50e0d17dc79c8')?.balance, 10n ** 18n);
    const contract = genesis.alloc.get('0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc');
    assert.equal(contract?.nonce, 2n);
    assert.deepEqual([...(contract?.code ?? [])], [0x60, 0x00]);
    assert.equal(contract?.storage?.get(1n), 2n);
  });

  it('takes null fields as absent, as geth writes them', () => {
    const genesis = parseGenesis({
      config: { chainId: 7 },
      baseFeePerGas: null,
      timestamp: null,
      alloc: null,
    });
    assert.equal(genesis.baseFeePerGas, 1_000_000_000n);
    assert.equal(genesis.timestamp, 0n);
    assert.equal(genesis.alloc.size, 0);
  });

  it('names what is wrong', () => {
    const bad: [unknown, RegExp][] = [
      [null, /not a JSON object/],
      [{}, /missing "config"/],
      [{ config: { chainId: -1 } }, /config.chainId/],
      [{ config: { chainId: 1 }, alloc: { nothex: {} } }, /not an address/],
      [{ config: { chainId: 1 }, alloc: { ['0x' + '11'.repeat(20)]: { balance: 'lots' } } }, /balance/],
      [{ config: { chainId: 1 }, alloc: { ['0x' + '11'.repeat(20)]: { code: '0x123' } } }, /code/],
    ];
    for (const [json, message] of bad) {
      assert.throws(
        () => parseGenesis(json),
        (err) => err instanceof ConfigError && message.test(err.message),
        String(message),
      );
    }
  });
});

describe('chain common', () => {
  it('runs the chosen hardfork from block 0 with the chain id', () => {
    const common = createChainCommon({ chainId: 16120n });
    assert.equal(common.hardfork(), HARDFORK);
    assert.equal(common.chainId(), 16120n);
    assert.equal(common.hardforkBlock('london'), 0n);
    assert.ok(common.isActivatedEIP(7702));
  });
});
