// The devnet as a viem chain, and the facts every e2e test relies on.
import type { DevnetHandle } from '@openledger/test-utils';
import { type Chain, defineChain, parseEther } from 'viem';

export const DEVNET_CHAIN_ID = 16120;
export const DEV_ACCOUNT_BALANCE = parseEther('10000');
export const BLOCK_GAS_LIMIT = 30_000_000n;

export function devnetChain(devnet: Pick<DevnetHandle, 'rpcUrl' | 'wsUrl'>): Chain {
  return defineChain({
    id: DEVNET_CHAIN_ID,
    name: 'OpenLedger devnet',
    nativeCurrency: { name: 'OPEN', symbol: 'OPEN', decimals: 18 },
    rpcUrls: { default: { http: [devnet.rpcUrl], webSocket: [devnet.wsUrl] } },
  });
}
