// Workload 1: EIP-1559 native transfers, each to a fresh recipient.
import { parseGwei } from 'viem';
import { freshAddresses } from '../accounts.js';
import { presign } from '../signing.js';
import { measureTxs } from './measure-txs.js';
import { sendersAt, sendOptions, type TxWorkload } from './workload.js';

export const NATIVE_TRANSFER_GAS = 21_000n;

export const nativeTransfers: TxWorkload = {
  name: 'native',
  title: 'native transfers',
  kind: 'txs',
  needsToken: false,
  async prepare(ctx) {
    const value = parseGwei('1');
    const specs = freshAddresses(ctx.sizes.txs).map((to) => ({ to, value, gas: NATIVE_TRANSFER_GAS }));
    const txs = await presign(ctx.chainId, await sendersAt(ctx), specs);
    return () => measureTxs(ctx.client, txs, sendOptions(ctx));
  },
};
