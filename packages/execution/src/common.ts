// The Common the node executes with: the chain's rules, native crypto, and
// every EthereumJS parameter set merged once (see ChainCommon).
import { paramsBlock } from '@ethereumjs/block';
import { paramsEVM } from '@ethereumjs/evm';
import { paramsTx } from '@ethereumjs/tx';
import { paramsVM } from '@ethereumjs/vm';
import { type ChainCommon, createChainCommon } from '@openledger/core';
import { nativeCrypto } from './crypto.js';

export function createExecutionCommon(chainId: bigint): ChainCommon {
  const common = createChainCommon({ chainId, customCrypto: nativeCrypto() });
  common.premerge(paramsTx, paramsBlock, paramsEVM, paramsVM);
  return common;
}
