// Devnet only: signs eth_sendTransaction requests with the dev accounts' keys.
import type { Common } from '@ethereumjs/common';
import { createTx, type TypedTransaction, type TypedTxData } from '@ethereumjs/tx';
import { hexToBytes } from '@ethereumjs/util';
import type { DevAccount } from '@openledger/core';
import type { CallArgs } from '@openledger/rpc';

export interface FilledFields {
  nonce: bigint;
  gasLimit: bigint;
  /** Suggested priority fee and the next block's base fee, for requests that name no fees. */
  tip: bigint;
  baseFee: bigint;
}

export class DevSigner {
  private readonly keys = new Map<string, Uint8Array>();
  private readonly common: Common;

  constructor(accounts: readonly DevAccount[], common: Common) {
    for (const a of accounts)
      this.keys.set(a.address.toLowerCase(), hexToBytes(a.privateKey as `0x${string}`));
    this.common = common;
  }

  get addresses(): string[] {
    return [...this.keys.keys()];
  }

  sign(args: CallArgs, filled: FilledFields): TypedTransaction {
    const key = this.keys.get(args.from.toString());
    if (key === undefined) throw new Error(`no key for ${args.from.toString()}`);
    const base = {
      nonce: filled.nonce,
      gasLimit: filled.gasLimit,
      value: args.value,
      data: args.data,
      ...(args.to === undefined ? {} : { to: args.to }),
      chainId: this.common.chainId(),
    };
    let data: TypedTxData;
    if (args.gasPrice !== undefined) {
      data =
        args.accessList === undefined
          ? { ...base, type: 0, gasPrice: args.gasPrice }
          : { ...base, type: 1, gasPrice: args.gasPrice, accessList: args.accessList };
    } else {
      const tip = args.maxPriorityFeePerGas ?? filled.tip;
      const maxFee = args.maxFeePerGas ?? filled.baseFee * 2n + tip;
      data = {
        ...base,
        type: 2,
        maxPriorityFeePerGas: tip < maxFee ? tip : maxFee,
        maxFeePerGas: maxFee,
        accessList: args.accessList ?? [],
      };
    }
    return createTx(data, { common: this.common }).sign(key);
  }
}
