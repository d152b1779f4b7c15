// txpool_ methods (geth's namespace): the pool's content and counts.
import { toChecksumAddress } from '@ethereumjs/util';
import type { PendingTx } from '../backend.js';
import type { MethodTable, RpcContext } from '../context.js';
import { formatTx, qty } from '../format.js';
import { address, arity } from '../params.js';

type BySender = Map<string, PendingTx[]>;

function byNonce(txs: readonly PendingTx[], render: (tx: PendingTx) => unknown): Record<string, unknown> {
  return Object.fromEntries(txs.map((p) => [p.tx.nonce.toString(), render(p)]));
}

function grouped(
  groups: BySender,
  render: (tx: PendingTx) => unknown,
): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    [...groups].map(([sender, txs]) => [toChecksumAddress(sender), byNonce(txs, render)]),
  );
}

const full = (p: PendingTx) => formatTx(p.tx, p.tx.getSenderAddress().bytes, undefined);

/** geth's one-line summary: "0xto: 1 wei + 21000 gas × 1000000000 wei". */
function summary(p: PendingTx): string {
  const tx = p.tx as PendingTx['tx'] & { maxFeePerGas?: bigint; gasPrice?: bigint };
  const price = tx.maxFeePerGas ?? tx.gasPrice ?? 0n;
  const to = tx.to === undefined ? 'contract creation' : toChecksumAddress(tx.to.toString());
  return `${to}: ${tx.value} wei + ${tx.gasLimit} gas × ${price} wei`;
}

export function txpoolMethods(ctx: RpcContext): MethodTable {
  const { backend } = ctx;
  return {
    txpool_status: (params) => {
      arity(params, 0, 0);
      const { pending, queued } = backend.poolContent();
      const count = (groups: BySender) => [...groups.values()].reduce((n, txs) => n + txs.length, 0);
      return { pending: qty(count(pending)), queued: qty(count(queued)) };
    },
    txpool_content: (params) => {
      arity(params, 0, 0);
      const { pending, queued } = backend.poolContent();
      return { pending: grouped(pending, full), queued: grouped(queued, full) };
    },
    txpool_contentFrom: (params) => {
      arity(params, 1, 1);
      const sender = address(params[0], 'address').toString();
      const { pending, queued } = backend.poolContent();
      return {
        pending: byNonce(pending.get(sender) ?? [], full),
        queued: byNonce(queued.get(sender) ?? [], full),
      };
    },
    txpool_inspect: (params) => {
      arity(params, 0, 0);
      const { pending, queued } = backend.poolContent();
      return { pending: grouped(pending, summary), queued: grouped(queued, summary) };
    },
  };
}
