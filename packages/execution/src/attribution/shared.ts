// Checks and bookkeeping the attribution precompiles share.
import { type Address, createAddressFromBigInt, createAddressFromString } from '@ethereumjs/util';
import { LIMITS, PRECOMPILES, TREASURY } from '@openledger/sdk';
import { Revert } from './codec.js';
import { hexWord } from './layout.js';
import type { CallContext } from './precompile.js';
import { rewardBalanceSlot } from './records.js';
import type { SlotStore } from './store.js';

export const DATANETS = createAddressFromString(PRECOMPILES.datanets);
export const MODELS = createAddressFromString(PRECOMPILES.models);
export const INFERENCES = createAddressFromString(PRECOMPILES.inferences);
export const TRAINING = createAddressFromString(PRECOMPILES.training);
export const REWARDS = createAddressFromString(PRECOMPILES.rewards);
export const TREASURY_ADDRESS = createAddressFromString(TREASURY);

export const WEIGHT_TOTAL = BigInt(LIMITS.weightTotal);
export const BPS_TOTAL = BigInt(LIMITS.bpsTotal);
const UINT64_MAX = (1n << 64n) - 1n;
export const UINT128_MAX = (1n << 128n) - 1n;
/** A running total kept in 128 bits stops at the top instead of failing the call. */
export const saturate128 = (value: bigint): bigint => (value > UINT128_MAX ? UINT128_MAX : value);

export const toBig = (address: Address | string): bigint => BigInt(address.toString());
export const toAddress = (value: bigint): Address => createAddressFromBigInt(value);
export const hexAddress = (value: bigint): `0x${string}` => hexWord(value, 20);
export const hex32 = (value: bigint): `0x${string}` => hexWord(value, 32);

/** Takes the next id from the counter at `slot` of `account`. */
export async function nextId(store: SlotStore, account: Address, slot: bigint): Promise<bigint> {
  const id = (await store.load(account, slot)) + 1n;
  await store.store(account, slot, id);
  return id;
}

/** `id` when 1 <= id <= the counter's value; else the named error. */
export async function existing(
  store: SlotStore,
  account: Address,
  counterSlot: bigint,
  id: bigint,
  error: string,
): Promise<bigint> {
  if (!(await isKnown(store, account, counterSlot, id))) throw new Revert(error, id);
  return id;
}

/** Whether record `id` exists: 1 <= id <= the counter's value (ids are 64-bit in the records). */
export async function isKnown(
  store: SlotStore,
  account: Address,
  counterSlot: bigint,
  id: bigint,
): Promise<boolean> {
  return id !== 0n && id <= UINT64_MAX && id <= (await store.load(account, counterSlot));
}

/** A URI as UTF-8 bytes, at most LIMITS.maxUriBytes. */
export function uriBytes(uri: string): Uint8Array {
  const bytes = new TextEncoder().encode(uri);
  if (bytes.length > LIMITS.maxUriBytes)
    throw new Revert('StringTooLong', BigInt(bytes.length), BigInt(LIMITS.maxUriBytes));
  return bytes;
}

export function maxItems(count: number, max: number): void {
  if (count > max) throw new Revert('TooManyItems', BigInt(count), BigInt(max));
}

/** A page of a listing: [offset, offset + limit), limit capped at LIMITS.maxPage. */
export function page(offset: bigint, limit: bigint): { offset: bigint; limit: bigint } {
  const max = BigInt(LIMITS.maxPage);
  return { offset: offset > UINT64_MAX ? UINT64_MAX : offset, limit: limit > max ? max : limit };
}

/** A price or budget the records keep in 128 bits. */
export function amount128(value: bigint, error: string): bigint {
  if (value > UINT128_MAX) throw new Revert(error, value);
  return value;
}

/**
 * Datanet ids ascending (no duplicates), 1 to LIMITS.maxDatanets of them, each
 * existing, with weights > 0 summing to 1,000,000; else InvalidDatanetWeights.
 */
export async function checkDatanetWeights(
  store: SlotStore,
  ids: readonly bigint[],
  weights: readonly number[],
): Promise<void> {
  maxItems(ids.length, LIMITS.maxDatanets);
  if (ids.length === 0 || ids.length !== weights.length) throw new Revert('InvalidDatanetWeights');
  let total = 0n;
  let last = 0n;
  const count = await store.load(DATANETS, 0n);
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    const w = BigInt(weights[i]!);
    if (id <= last || id > count || w === 0n) throw new Revert('InvalidDatanetWeights');
    last = id;
    total += w;
  }
  if (total !== WEIGHT_TOTAL) throw new Revert('InvalidDatanetWeights');
}

/** Fee split bounds: the three shares sum to 10,000 bps; protocol 100..1,000; contributors >= 1,000. */
export function validSplit(first: number, contributors: number, protocol: number): boolean {
  return (
    first + contributors + protocol === LIMITS.bpsTotal &&
    protocol >= LIMITS.minProtocolBps &&
    protocol <= LIMITS.maxProtocolBps &&
    contributors >= LIMITS.minContributorsBps
  );
}

/** Adds to an account's reward balance (the OPEN itself must already sit in the Rewards account). */
export async function credit(ctx: CallContext, account: bigint, amount: bigint): Promise<void> {
  if (amount === 0n) return;
  const slot = rewardBalanceSlot(account);
  ctx.gas.keccak(64);
  await ctx.store.store(REWARDS, slot, (await ctx.store.load(REWARDS, slot)) + amount);
}
