// What the actions take: the clients they run on, transaction and block options, enum inputs.
import type { Account, BlockTag, Chain, Client, Transport } from 'viem';
import { LIMITS } from '../addresses.js';

/** A client that signs and sends: a viem `WalletClient` (or any client) with an account and a chain. */
export type OpenLedgerWalletClient = Client<Transport, Chain, Account>;

/** A client that reads: a viem `PublicClient` (or any client). */
export type OpenLedgerPublicClient = Client<Transport, Chain | undefined>;

/** Optional transaction fields of every write; without `gas`, viem estimates it, which surfaces a refusal before sending. */
export interface TransactionOptions {
  gas?: bigint;
  nonce?: number;
  maxFeePerGas?: bigint;
  maxPriorityFeePerGas?: bigint;
}

/** The block a read is made at: `blockNumber` if given, else `blockTag`, else `latest`. */
export interface ReadOptions {
  blockNumber?: bigint;
  blockTag?: BlockTag;
}

/** A status, policy or kind: its name (`'ownerApproved'`) or its value (`1`), from the tables in addresses.ts. */
export type EnumInput<T extends Record<string, number>> = keyof T | T[keyof T];

/** The transaction fields of a write's parameters, with the client's account and chain. */
export function transaction(client: OpenLedgerWalletClient, options: TransactionOptions) {
  return {
    account: client.account,
    chain: client.chain,
    ...(options.gas === undefined ? {} : { gas: options.gas }),
    ...(options.nonce === undefined ? {} : { nonce: options.nonce }),
    ...(options.maxFeePerGas === undefined ? {} : { maxFeePerGas: options.maxFeePerGas }),
    ...(options.maxPriorityFeePerGas === undefined
      ? {}
      : { maxPriorityFeePerGas: options.maxPriorityFeePerGas }),
  };
}

/** The block fields of a read's parameters, as viem's readContract takes them (one or neither). */
export function block(
  options: ReadOptions,
): { blockNumber: bigint } | { blockTag: BlockTag } | { blockNumber?: undefined } {
  if (options.blockNumber !== undefined) return { blockNumber: options.blockNumber };
  if (options.blockTag !== undefined) return { blockTag: options.blockTag };
  return {};
}

/** A name or value of one of the tables in addresses.ts, as the value the ABI takes. */
export function enumValue<T extends Record<string, number>>(table: T, value: EnumInput<T>): number {
  return typeof value === 'number' ? value : table[value as keyof T]!;
}

/** One page of a listing: `limit` items (at most 1,000, the default) from `offset` (default 0). */
export interface PageParameters extends ReadOptions {
  offset?: bigint;
  limit?: bigint;
}

/** `offset` and `limit` as a listing's last two arguments. */
export const pageArgs = (params: PageParameters): [bigint, bigint] => [
  params.offset ?? 0n,
  params.limit ?? BigInt(LIMITS.maxPage),
];
