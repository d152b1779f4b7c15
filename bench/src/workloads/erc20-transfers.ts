// Workload 2: BenchToken transfers, each to a fresh recipient (a zero-to-nonzero balance write).
import { freshAddresses } from '../accounts.js';
import { transferData } from '../erc20.js';
import { presign } from '../signing.js';
import { measureTxs } from './measure-txs.js';
import { requireToken, sendersAt, sendOptions, type TxWorkload } from './workload.js';

/** A transfer to a fresh recipient uses about 52k gas; the limit leaves headroom. */
export const ERC20_TRANSFER_GAS = 60_000n;

export const erc20Transfers: TxWorkload = {
  name: 'erc20',
  title: 'ERC-20 transfers',
  kind: 'txs',
  needsToken: true,
  async prepare(ctx) {
    const token = requireToken(ctx);
    const specs = freshAddresses(ctx.sizes.txs).map((recipient) => ({
      to: token,
      value: 0n,
      gas: ERC20_TRANSFER_GAS,
      data: transferData(recipient, 1n),
    }));
    const txs = await presign(ctx.chainId, await sendersAt(ctx), specs);
    return () => measureTxs(ctx.client, txs, sendOptions(ctx));
  },
};
