// Parsers for JSON-RPC parameters: each returns a typed value or throws
// InvalidParamsError naming what was wrong.
import { type Address, createAddressFromString, hexToBytes } from '@ethereumjs/util';
import { InvalidParamsError } from './errors.js';

const QUANTITY = /^0x(0|[1-9a-fA-F][0-9a-fA-F]*)$/;
const DATA = /^0x([0-9a-fA-F]{2})*$/;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const HASH = /^0x[0-9a-fA-F]{64}$/;
/** 2^256: no quantity of the EVM is larger. */
const MAX_QUANTITY_DIGITS = 64;

export type Params = readonly unknown[];

export function quantity(value: unknown, name: string): bigint {
  if (typeof value !== 'string' || !QUANTITY.test(value) || value.length > 2 + MAX_QUANTITY_DIGITS) {
    throw new InvalidParamsError(`invalid ${name}: expected a hex quantity without leading zeros`);
  }
  return BigInt(value);
}

/** Lenient quantity for request objects: wallets send leading zeros ("0x01"). */
export function looseQuantity(value: unknown, name: string): bigint {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  if (typeof value !== 'string' || !/^0x[0-9a-fA-F]{1,64}$/.test(value)) {
    throw new InvalidParamsError(`invalid ${name}: expected a hex quantity`);
  }
  return BigInt(value);
}

export function data(value: unknown, name: string, maxBytes = 5 * 1024 * 1024): Uint8Array {
  if (typeof value !== 'string' || !DATA.test(value) || value.length > 2 + maxBytes * 2) {
    throw new InvalidParamsError(`invalid ${name}: expected 0x-prefixed hex bytes`);
  }
  return hexToBytes(value as `0x${string}`);
}

export function address(value: unknown, name: string): Address {
  if (typeof value !== 'string' || !ADDRESS.test(value))
    throw new InvalidParamsError(`invalid ${name}: expected a 20-byte address`);
  return createAddressFromString(value);
}

export function hash(value: unknown, name: string): Uint8Array {
  if (typeof value !== 'string' || !HASH.test(value))
    throw new InvalidParamsError(`invalid ${name}: expected a 32-byte hash`);
  return hexToBytes(value as `0x${string}`);
}

/** A 32-byte storage slot: geth accepts shorter hex and left-pads it. */
export function storageSlot(value: unknown, name: string): Uint8Array {
  if (typeof value !== 'string' || !/^0x[0-9a-fA-F]{1,64}$/.test(value)) {
    throw new InvalidParamsError(`invalid ${name}: expected a hex storage key of at most 32 bytes`);
  }
  const out = new Uint8Array(32);
  const bytes = hexToBytes(`0x${value.slice(2).padStart(64, '0')}`);
  out.set(bytes);
  return out;
}

export function bool(value: unknown, name: string): boolean {
  if (typeof value !== 'boolean') throw new InvalidParamsError(`invalid ${name}: expected a boolean`);
  return value;
}

export function object(value: unknown, name: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new InvalidParamsError(`invalid ${name}: expected an object`);
  return value as Record<string, unknown>;
}

export type BlockTag = 'latest' | 'pending' | 'earliest' | 'safe' | 'finalized';

/** A block: a tag, a number, or an EIP-1898 object ({blockHash, requireCanonical} or {blockNumber}). */
export type BlockRef =
  | { tag: BlockTag }
  | { number: bigint }
  | { hash: Uint8Array; requireCanonical: boolean };

export function blockRef(value: unknown, name = 'block'): BlockRef {
  if (value === undefined || value === null) return { tag: 'latest' };
  if (typeof value === 'string') {
    if (
      value === 'latest' ||
      value === 'pending' ||
      value === 'earliest' ||
      value === 'safe' ||
      value === 'finalized'
    ) {
      return { tag: value };
    }
    // A 32-byte hash where a block is expected names the block by hash (geth and ethers do this).
    if (HASH.test(value)) return { hash: hexToBytes(value as `0x${string}`), requireCanonical: false };
    return { number: quantity(value, name) };
  }
  if (typeof value === 'object' && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>;
    if (obj.blockHash !== undefined) {
      return {
        hash: hash(obj.blockHash, `${name}.blockHash`),
        requireCanonical:
          obj.requireCanonical === undefined ? false : bool(obj.requireCanonical, 'requireCanonical'),
      };
    }
    if (obj.blockNumber !== undefined) return blockRef(obj.blockNumber, `${name}.blockNumber`);
  }
  throw new InvalidParamsError(`invalid ${name}: expected a block number, tag or EIP-1898 object`);
}

export function arity(params: Params, min: number, max: number): void {
  if (params.length < min || params.length > max) {
    throw new InvalidParamsError(
      min === max
        ? `expected ${min} params, got ${params.length}`
        : `expected ${min} to ${max} params, got ${params.length}`,
    );
  }
}
