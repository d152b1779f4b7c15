// The dev accounts that sign every benchmark transaction, and fresh recipients.
import { DEV_ACCOUNTS } from '@openledger/test-utils';
import { type Address, type Hex, keccak256, stringToHex } from 'viem';
import { type PrivateKeyAccount, privateKeyToAccount } from 'viem/accounts';

/** The ten accounts of the mnemonic "test test ... junk", funded by both the devnet and anvil. */
export function devAccounts(): PrivateKeyAccount[] {
  return DEV_ACCOUNTS.map((a) => privateKeyToAccount(a.privateKey));
}

/** `count` addresses nobody has used: derived from a random tag, so every run gets new ones. */
export function freshAddresses(count: number): Address[] {
  const tag = `${Date.now()}-${Math.random()}`;
  return Array.from({ length: count }, (_, i) => addressFrom(keccak256(stringToHex(`bench:${tag}:${i}`))));
}

function addressFrom(hash: Hex): Address {
  return `0x${hash.slice(-40)}` as Address;
}
