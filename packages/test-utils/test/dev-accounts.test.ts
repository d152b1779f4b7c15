import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getAddress } from 'viem';
import { mnemonicToAccount, privateKeyToAccount } from 'viem/accounts';
import { DEV_ACCOUNTS, DEV_MNEMONIC } from '../src/dev-accounts.js';

describe('DEV_ACCOUNTS', () => {
  it("are the ten accounts m/44'/60'/0'/0/i of the dev mnemonic", () => {
    assert.equal(DEV_ACCOUNTS.length, 10);
    DEV_ACCOUNTS.forEach((account, i) => {
      const derived = mnemonicToAccount(DEV_MNEMONIC, { addressIndex: i });
      assert.equal(account.address, derived.address, `address ${i}`);
      assert.equal(privateKeyToAccount(account.privateKey).address, derived.address, `private key ${i}`);
    });
  });

  it('are checksummed and distinct', () => {
    for (const account of DEV_ACCOUNTS) assert.equal(account.address, getAddress(account.address));
    assert.equal(new Set(DEV_ACCOUNTS.map((a) => a.address)).size, DEV_ACCOUNTS.length);
  });
});
