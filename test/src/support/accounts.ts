// Dev accounts by index, without `undefined` in their type.
import { DEV_ACCOUNTS, type DevAccount } from '@openledger/test-utils';

export function devAccount(index: number): DevAccount {
  const account = DEV_ACCOUNTS[index];
  if (account === undefined) throw new Error(`no dev account ${index}`);
  return account;
}
