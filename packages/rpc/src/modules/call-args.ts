// The transaction-call object of eth_call, eth_estimateGas and eth_sendTransaction.
import { type Address, createZeroAddress, type PrefixedHexString } from '@ethereumjs/util';
import type { CallArgs } from '../backend.js';
import { InvalidParamsError } from '../errors.js';
import { address, data, looseQuantity, object } from '../params.js';

const opt = <T>(value: unknown, parse: (v: unknown) => T): T | undefined =>
  value === undefined || value === null ? undefined : parse(value);

function accessList(value: unknown): CallArgs['accessList'] {
  if (!Array.isArray(value)) throw new InvalidParamsError('invalid accessList: expected an array');
  return value.map((item, i) => {
    const entry = object(item, `accessList[${i}]`);
    const keys = entry.storageKeys ?? [];
    if (!Array.isArray(keys)) throw new InvalidParamsError(`invalid accessList[${i}].storageKeys`);
    return {
      address: address(entry.address, `accessList[${i}].address`).toString() as PrefixedHexString,
      storageKeys: keys.map((k, j) => {
        if (typeof k !== 'string' || !/^0x[0-9a-fA-F]{64}$/.test(k))
          throw new InvalidParamsError(`invalid accessList[${i}].storageKeys[${j}]`);
        return k as PrefixedHexString;
      }),
    };
  });
}

export function callArgs(value: unknown, name = 'transaction'): CallArgs {
  const obj = object(value, name);
  const input = opt(obj.input, (v) => data(v, `${name}.input`));
  const legacyData = opt(obj.data, (v) => data(v, `${name}.data`));
  if (input !== undefined && legacyData !== undefined && Buffer.compare(input, legacyData) !== 0) {
    throw new InvalidParamsError('both "data" and "input" are set and not equal; use "input"');
  }
  const from: Address = opt(obj.from, (v) => address(v, `${name}.from`)) ?? createZeroAddress();
  if (obj.gasPrice != null && (obj.maxFeePerGas != null || obj.maxPriorityFeePerGas != null)) {
    throw new InvalidParamsError('both gasPrice and (maxFeePerGas or maxPriorityFeePerGas) specified');
  }
  const authorizationList = opt(obj.authorizationList, (v) => {
    if (!Array.isArray(v)) throw new InvalidParamsError('invalid authorizationList: expected an array');
    return v as unknown[];
  });
  return {
    from,
    to: opt(obj.to, (v) => address(v, `${name}.to`)),
    gas: opt(obj.gas, (v) => looseQuantity(v, `${name}.gas`)),
    gasPrice: opt(obj.gasPrice, (v) => looseQuantity(v, `${name}.gasPrice`)),
    maxFeePerGas: opt(obj.maxFeePerGas, (v) => looseQuantity(v, `${name}.maxFeePerGas`)),
    maxPriorityFeePerGas: opt(obj.maxPriorityFeePerGas, (v) =>
      looseQuantity(v, `${name}.maxPriorityFeePerGas`),
    ),
    value: opt(obj.value, (v) => looseQuantity(v, `${name}.value`)) ?? 0n,
    data: input ?? legacyData ?? new Uint8Array(),
    accessList: opt(obj.accessList, accessList),
    authorizationList,
    nonce: opt(obj.nonce, (v) => looseQuantity(v, `${name}.nonce`)),
  };
}
