// Devnet impersonation (anvil_impersonateAccount): a transaction sent "from"
// an address whose key nobody here holds. It carries a marker signature,
// r = 1 and s = the sender's address, so that its hash differs per sender
// (two impersonated senders can send the same payload) and the sender can be
// read back from the transaction itself, in a block or the pool's journal.
// No key signs r = 1 in practice, and the pool refuses the marker from the
// network: only the devnet's own send path and journal replay trust it.

import type { Common } from '@ethereumjs/common';
import { createTx, type TypedTransaction, type TypedTxData } from '@ethereumjs/tx';
import { type Address, bigIntToBytes, createAddressFromBigInt, setLengthLeft } from '@ethereumjs/util';

/** The r of an impersonated transaction's signature. */
export const IMPERSONATED_R = 1n;

/** True when `tx` carries the impersonation marker (whoever made it). */
export function hasImpersonationMarker(tx: TypedTransaction): boolean {
  return tx.r === IMPERSONATED_R;
}

/** `data` as a transaction from `sender`, with the marker signature in place of one. */
export function impersonatedTx(data: TypedTxData, sender: Address, common: Common): TypedTransaction {
  const s = BigInt(sender.toString());
  const legacy = data.type === undefined || data.type === 0 || data.type === '0x0';
  // A legacy transaction's v carries the chain id (EIP-155); typed ones have a y parity.
  const v = legacy ? common.chainId() * 2n + 35n : 0n;
  const tx = createTx(
    { ...data, r: IMPERSONATED_R, s: setLengthLeft(bigIntToBytes(s), 32), v },
    { common, freeze: false },
  );
  return trustImpersonation(tx);
}

/**
 * Takes a transaction's marker at its word: its sender is the address in s.
 * Only for transactions this node impersonated itself (its send path, its
 * journal, its own blocks); a transaction without the marker is returned as is.
 */
export function trustImpersonation(tx: TypedTransaction): TypedTransaction {
  if (!hasImpersonationMarker(tx) || tx.s === undefined) return tx;
  const sender = createAddressFromBigInt(tx.s);
  if (Object.isFrozen(tx)) {
    // Decoded blocks freeze their transactions; a thawed copy carries the override.
    const copy = createTx(tx.toJSON() as TypedTxData, { common: tx.common, freeze: false });
    copy.getSenderAddress = () => sender;
    return copy;
  }
  tx.getSenderAddress = () => sender;
  return tx;
}
