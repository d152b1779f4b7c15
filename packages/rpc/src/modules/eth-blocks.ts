// eth_ methods that read blocks, transactions and receipts.
import type { Block } from '@ethereumjs/block';
import { bytesToHex } from '@ethereumjs/util';
import { logsBloom } from '../bloom.js';
import type { MethodTable, RpcContext } from '../context.js';
import { firstLogIndexes, formatBlock, formatReceipt, formatTx, qty } from '../format.js';
import { arity, blockRef, bool, hash, quantity } from '../params.js';

export function ethBlockMethods(ctx: RpcContext): MethodTable {
  const { backend } = ctx;

  const senders = async (block: Block) => (await backend.receipts(block)).map((r) => r.from);

  const blockJson = async (block: Block | undefined, full: boolean) =>
    block === undefined ? null : formatBlock(block, full, full ? await senders(block) : undefined);

  const txAt = async (block: Block | undefined, index: bigint) => {
    if (block === undefined || index >= BigInt(block.transactions.length)) return null;
    const i = Number(index);
    const receipts = await backend.receipts(block);
    return formatTx(block.transactions[i]!, receipts[i]!.from, { block, index: i });
  };

  const receiptsJson = async (block: Block) => {
    const receipts = await backend.receipts(block);
    const first = firstLogIndexes(receipts);
    return receipts.map((r, i) => formatReceipt(block, i, r, first[i]!, logsBloom(r.logs)));
  };

  return {
    eth_blockNumber: (params) => {
      arity(params, 0, 0);
      return qty(backend.head().header.number);
    },
    eth_getBlockByNumber: async (params) => {
      arity(params, 2, 2);
      return blockJson(await ctx.findBlock(blockRef(params[0])), bool(params[1], 'hydrated'));
    },
    eth_getBlockByHash: async (params) => {
      arity(params, 2, 2);
      return blockJson(await backend.blockByHash(hash(params[0], 'block hash')), bool(params[1], 'hydrated'));
    },
    eth_getBlockTransactionCountByNumber: async (params) => {
      arity(params, 1, 1);
      const block = await ctx.findBlock(blockRef(params[0]));
      return block === undefined ? null : qty(block.transactions.length);
    },
    eth_getBlockTransactionCountByHash: async (params) => {
      arity(params, 1, 1);
      const block = await backend.blockByHash(hash(params[0], 'block hash'));
      return block === undefined ? null : qty(block.transactions.length);
    },
    eth_getUncleCountByBlockNumber: async (params) => {
      arity(params, 1, 1);
      return (await ctx.findBlock(blockRef(params[0]))) === undefined ? null : '0x0';
    },
    eth_getUncleCountByBlockHash: async (params) => {
      arity(params, 1, 1);
      return (await backend.blockByHash(hash(params[0], 'block hash'))) === undefined ? null : '0x0';
    },
    eth_getUncleByBlockNumberAndIndex: async (params) => {
      arity(params, 2, 2);
      blockRef(params[0]);
      quantity(params[1], 'index');
      return null;
    },
    eth_getUncleByBlockHashAndIndex: async (params) => {
      arity(params, 2, 2);
      hash(params[0], 'block hash');
      quantity(params[1], 'index');
      return null;
    },
    eth_getTransactionByHash: async (params) => {
      arity(params, 1, 1);
      const txHash = hash(params[0], 'transaction hash');
      const loc = await backend.txLocation(txHash);
      if (loc !== undefined) return txAt(loc.block, BigInt(loc.index));
      const pending = backend.pendingTx(bytesToHex(txHash));
      if (pending === undefined) return null;
      return formatTx(pending.tx, pending.tx.getSenderAddress().bytes, undefined);
    },
    eth_getTransactionByBlockNumberAndIndex: async (params) => {
      arity(params, 2, 2);
      return txAt(await ctx.findBlock(blockRef(params[0])), quantity(params[1], 'index'));
    },
    eth_getTransactionByBlockHashAndIndex: async (params) => {
      arity(params, 2, 2);
      return txAt(await backend.blockByHash(hash(params[0], 'block hash')), quantity(params[1], 'index'));
    },
    eth_getTransactionReceipt: async (params) => {
      arity(params, 1, 1);
      const loc = await backend.txLocation(hash(params[0], 'transaction hash'));
      if (loc === undefined) return null;
      const receipts = await backend.receipts(loc.block);
      const receipt = receipts[loc.index]!;
      return formatReceipt(
        loc.block,
        loc.index,
        receipt,
        firstLogIndexes(receipts)[loc.index]!,
        logsBloom(receipt.logs),
      );
    },
    eth_getBlockReceipts: async (params) => {
      arity(params, 1, 1);
      const block = await ctx.findBlock(blockRef(params[0]));
      return block === undefined ? null : receiptsJson(block);
    },
  };
}
