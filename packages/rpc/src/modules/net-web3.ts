// net_ and web3_ methods.
import { bytesToHex } from '@ethereumjs/util';
import { keccak_256 } from '@noble/hashes/sha3.js';
import type { MethodTable, RpcContext } from '../context.js';
import { arity, data } from '../params.js';

export function netWeb3Methods(ctx: RpcContext, peerCount: () => number): MethodTable {
  return {
    web3_clientVersion: (params) => {
      arity(params, 0, 0);
      return ctx.backend.clientVersion;
    },
    web3_sha3: (params) => {
      arity(params, 1, 1);
      return bytesToHex(keccak_256(data(params[0], 'data')));
    },
    net_version: (params) => {
      arity(params, 0, 0);
      return ctx.backend.chainId.toString();
    },
    net_listening: (params) => {
      arity(params, 0, 0);
      return true;
    },
    net_peerCount: (params) => {
      arity(params, 0, 0);
      return `0x${peerCount().toString(16)}`;
    },
  };
}
