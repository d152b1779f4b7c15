// The override objects of eth_call, eth_estimateGas and debug_traceCall (geth's
// names): state per account, and the header fields a call sees.
import type { AccountOverride, BlockOverrides, CallOverrides, StateOverrides } from '@openledger/core';
import { InvalidParamsError } from '../errors.js';
import { address, data, hash, looseQuantity, object } from '../params.js';

/** Accounts, and storage slots, one override may name. */
const MAX_OVERRIDDEN = 1_000;

const ACCOUNT_FIELDS = new Set(['balance', 'nonce', 'code', 'state', 'stateDiff']);
const BLOCK_FIELDS = new Set([
  'number',
  'difficulty',
  'time',
  'gasLimit',
  'coinbase',
  'feeRecipient',
  'random',
  'prevRandao',
  'baseFee',
  'baseFeePerGas',
  'blobBaseFee',
]);

function storage(value: unknown, name: string, budget: { slots: number }): Map<bigint, bigint> {
  const out = new Map<bigint, bigint>();
  for (const [slot, v] of Object.entries(object(value, name))) {
    if (++budget.slots > MAX_OVERRIDDEN)
      throw new InvalidParamsError(`too many storage slots overridden: at most ${MAX_OVERRIDDEN}`);
    out.set(
      BigInt(`0x${Buffer.from(hash(slot, `${name} slot`)).toString('hex')}`),
      BigInt(`0x${Buffer.from(hash(v, `${name} value`)).toString('hex')}`),
    );
  }
  return out;
}

export function stateOverrides(value: unknown): StateOverrides | undefined {
  if (value === undefined || value === null) return undefined;
  const entries = Object.entries(object(value, 'state override'));
  if (entries.length > MAX_OVERRIDDEN)
    throw new InvalidParamsError(`too many accounts overridden: at most ${MAX_OVERRIDDEN}`);
  const budget = { slots: 0 };
  const out: StateOverrides = new Map();
  for (const [who, raw] of entries) {
    const key = address(who, 'state override address').toString();
    const fields = object(raw, `state override of ${key}`);
    for (const field of Object.keys(fields)) {
      if (!ACCOUNT_FIELDS.has(field))
        throw new InvalidParamsError(`unsupported state override field ${field.slice(0, 40)}`);
    }
    if (fields.state != null && fields.stateDiff != null) {
      throw new InvalidParamsError(`account ${key} has both 'state' and 'stateDiff'`);
    }
    const o: AccountOverride = {};
    if (fields.balance != null) o.balance = looseQuantity(fields.balance, 'balance');
    if (fields.nonce != null) o.nonce = looseQuantity(fields.nonce, 'nonce');
    if (fields.code != null) o.code = data(fields.code, 'code', 24_576 * 2);
    if (fields.state != null) o.state = storage(fields.state, 'state', budget);
    if (fields.stateDiff != null) o.stateDiff = storage(fields.stateDiff, 'stateDiff', budget);
    out.set(key, o);
  }
  return out;
}

export function blockOverrides(value: unknown): BlockOverrides | undefined {
  if (value === undefined || value === null) return undefined;
  const fields = object(value, 'block override');
  for (const field of Object.keys(fields)) {
    if (!BLOCK_FIELDS.has(field))
      throw new InvalidParamsError(`unsupported block override field ${field.slice(0, 40)}`);
  }
  const o: BlockOverrides = {};
  const q = (v: unknown, name: string) => (v == null ? undefined : looseQuantity(v, name));
  const number = q(fields.number, 'number');
  const time = q(fields.time, 'time');
  const gasLimit = q(fields.gasLimit, 'gasLimit');
  const baseFee = q(fields.baseFeePerGas ?? fields.baseFee, 'baseFeePerGas');
  if (number !== undefined) o.number = number;
  if (time !== undefined) o.time = time;
  if (gasLimit !== undefined) o.gasLimit = gasLimit;
  if (baseFee !== undefined) o.baseFee = baseFee;
  const coinbase = fields.feeRecipient ?? fields.coinbase;
  if (coinbase != null) o.coinbase = address(coinbase, 'feeRecipient');
  const randao = fields.prevRandao ?? fields.random;
  if (randao != null) o.prevRandao = hash(randao, 'prevRandao');
  return o;
}

/** A call's state and block overrides, each optional. */
export function callOverrides(state: unknown, block: unknown): CallOverrides {
  const out: CallOverrides = {};
  const s = stateOverrides(state);
  const b = blockOverrides(block);
  if (s !== undefined) out.state = s;
  if (b !== undefined) out.block = b;
  return out;
}
