// debug_getRaw*: blocks, headers, transactions and receipts in their
// consensus encodings.
import { RLP } from '@ethereumjs/rlp';
import { bigIntToUnpaddedBytes, bytesToHex, intToBytes } from '@ethereumjs/util';
import type { ReceiptData } from '../backend.js';
import { logsBloom } from '../bloom.js';
import type { MethodTable, RpcContext } from '../context.js';
import { ServerError } from '../errors.js';
import { arity, blockRef, hash } from '../params.js';

/** A receipt as the receipts trie holds it: type byte, then rlp(status, cumulative gas, bloom, logs). */
export function encodeConsensusReceipt(receipt: ReceiptData): Uint8Array {
  const body = RLP.encode([
    receipt.status === 1 ? Uint8Array.of(1) : new Uint8Array(),
    bigIntToUnpaddedBytes(receipt.cumulativeGasUsed),
    logsBloom(receipt.logs),
    receipt.logs,
  ]);
  return receipt.type === 0 ? body : Uint8Array.from([...intToBytes(receipt.type), ...body]);
}

export function debugRawMethods(ctx: RpcContext): MethodTable {
  const { backend } = ctx;
  const block = async (ref: unknown) => {
    const found = await ctx.findBlock(blockRef(ref));
    if (found === undefined) throw new ServerError('block not found');
    return found;
  };
  return {
    // A sequencer builds its own blocks: it never rejects one from elsewhere.
    debug_getBadBlocks: (params) => {
      arity(params, 0, 0);
      return [];
    },
    debug_getRawHeader: async (params) => {
      arity(params, 1, 1);
      return bytesToHex((await block(params[0])).header.serialize());
    },
    debug_getRawBlock: async (params) => {
      arity(params, 1, 1);
      return bytesToHex((await block(params[0])).serialize());
    },
    debug_getRawReceipts: async (params) => {
      arity(params, 1, 1);
      const receipts = await backend.receipts(await block(params[0]));
      return receipts.map((r) => bytesToHex(encodeConsensusReceipt(r)));
    },
    debug_getRawTransaction: async (params) => {
      arity(params, 1, 1);
      const txHash = hash(params[0], 'transaction hash');
      const loc = await backend.txLocation(txHash);
      if (loc !== undefined) return bytesToHex(loc.block.transactions[loc.index]!.serialize());
      const pending = backend.pendingTx(bytesToHex(txHash));
      return pending === undefined ? '0x' : bytesToHex(pending.tx.serialize());
    },
  };
}
