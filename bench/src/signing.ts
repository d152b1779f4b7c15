// Pre-signing workloads: EIP-1559 transactions spread round-robin over the senders, nonces consecutive.
import { type Address, type Hex, keccak256, parseGwei } from 'viem';
import type { PrivateKeyAccount } from 'viem/accounts';

export const MAX_FEE_PER_GAS = parseGwei('100');
export const MAX_PRIORITY_FEE_PER_GAS = parseGwei('1');

export type TxSpec = { to: Address; value: bigint; gas: bigint; data?: Hex };
export type Sender = { account: PrivateKeyAccount; nextNonce: number };
export type SignedTx = { sender: Address; nonce: number; gas: bigint; raw: Hex; hash: Hex };

/**
 * Signs spec i with sender i mod n, so the list is interleaved across senders and
 * each sender's nonces appear in increasing order. Advances each sender's nextNonce.
 */
export async function presign(
  chainId: number,
  senders: Sender[],
  specs: readonly TxSpec[],
): Promise<SignedTx[]> {
  if (senders.length === 0) throw new Error('no senders');
  const signed: SignedTx[] = [];
  for (const [i, spec] of specs.entries()) {
    const sender = senders[i % senders.length] as Sender;
    const nonce = sender.nextNonce++;
    const raw = await sender.account.signTransaction({
      type: 'eip1559',
      chainId,
      nonce,
      to: spec.to,
      value: spec.value,
      gas: spec.gas,
      maxFeePerGas: MAX_FEE_PER_GAS,
      maxPriorityFeePerGas: MAX_PRIORITY_FEE_PER_GAS,
      ...(spec.data === undefined ? {} : { data: spec.data }),
    });
    signed.push({ sender: sender.account.address, nonce, gas: spec.gas, raw, hash: keccak256(raw) });
  }
  return signed;
}

/** A contract creation, signed by one sender (used for setup, not measured). */
export async function signDeployment(
  chainId: number,
  sender: Sender,
  data: Hex,
  gas: bigint,
): Promise<SignedTx> {
  const nonce = sender.nextNonce++;
  const raw = await sender.account.signTransaction({
    type: 'eip1559',
    chainId,
    nonce,
    gas,
    data,
    maxFeePerGas: MAX_FEE_PER_GAS,
    maxPriorityFeePerGas: MAX_PRIORITY_FEE_PER_GAS,
  });
  return { sender: sender.account.address, nonce, gas, raw, hash: keccak256(raw) };
}
