// Writing account fields, code and storage straight into the state: call
// overrides (undone after the call) and the devnet's set* helpers (kept, in
// the next block).
import type { StateManagerInterface } from '@ethereumjs/common';
import { Account, bigIntToBytes, createAddressFromString, setLengthLeft } from '@ethereumjs/util';
import type { StateOverrides } from '@openledger/core';

export async function applyStateEdits(sm: StateManagerInterface, edits: StateOverrides): Promise<void> {
  for (const [hex, o] of edits) {
    const address = createAddressFromString(hex);
    const account = (await sm.getAccount(address)) ?? new Account();
    if (o.balance !== undefined) account.balance = o.balance;
    if (o.nonce !== undefined) account.nonce = o.nonce;
    await sm.putAccount(address, account);
    if (o.code !== undefined) await sm.putCode(address, o.code);
    if (o.state !== undefined) await sm.clearStorage(address);
    for (const [slot, value] of [...(o.state ?? []), ...(o.stateDiff ?? [])]) {
      const key = setLengthLeft(bigIntToBytes(slot), 32);
      await sm.putStorage(address, key, value === 0n ? new Uint8Array() : bigIntToBytes(value));
    }
  }
}
