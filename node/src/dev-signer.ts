// Devnet only: signs eth_sendTransaction requests with the dev accounts' keys.
import type { Common } from '@ethereumjs/common';
import { createTx, type TypedTransaction, type TypedTxData } from '@ethereumjs/tx';
import { hashPersonalMessage, hexToBytes } from '@ethereumjs/util';
import { secp256k1 } from '@noble/curves/secp256k1.js';
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

  /** An EIP-191 personal-message signature (r ++ s ++ v, v 27 or 28), as eth_sign gives. */
  signMessage(address: string, message: Uint8Array): Uint8Array {
    const key = this.keys.get(address.toLowerCase());
    if (key === undefined) throw new Error(`no key for ${address}`);
    const recovered = secp256k1.sign(hashPersonalMessage(message), key, {
      format: 'recovered',
      prehash: false,
    });
    const out = new Uint8Array(65);
    out.set(recovered.subarray(1), 0);
    out[64] = recovered[0]! + 27;
    return out;
  }

  sign(args: CallArgs, filled: FilledFields): TypedTransaction {
    const key = this.keys.get(args.from.toString());
    if (key === undefined) throw new Error(`no key for ${args.from.toString()}`);
    return createTx(this.txData(args, filled), { common: this.common }).sign(key);
  }

  /** Whether this signer holds the key of `address`. */
  holds(address: string): boolean {
    return this.keys.has(address.toLowerCase());
  }

  /** The unsigned transaction a request and the filled fields make: legacy with a gas price, else EIP-1559. */
  txData(args: CallArgs, filled: FilledFields): TypedTxData {
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
    return data;
  }
}
