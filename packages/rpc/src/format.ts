// Blocks, transactions, receipts and logs as the execution-apis OpenRPC
// schemas spell them: quantities without leading zeros, nulls where the
// spec has them, every field of the forks this chain runs.
import { randomBytes } from 'node:crypto';
import type { Block, BlockHeader } from '@ethereumjs/block';
import { Capability, type TypedTransaction } from '@ethereumjs/tx';
import { bytesToHex, intToHex } from '@ethereumjs/util';
import type { AccountProof, LogData, ReceiptData } from './backend.js';

export function qty(value: bigint | number): string {
  return typeof value === 'number' ? intToHex(value) : `0x${value.toString(16)}`;
}

/** A random 128-bit filter or subscription id, a quantity as geth's (no leading zeros). */
export function randomId(): string {
  return qty(BigInt(`0x${randomBytes(16).toString('hex')}`));
}

export function formatHeader(header: BlockHeader, hash: Uint8Array): Record<string, unknown> {
  const out: Record<string, unknown> = {
    number: qty(header.number),
    hash: bytesToHex(hash),
    parentHash: bytesToHex(header.parentHash),
    nonce: bytesToHex(header.nonce),
    sha3Uncles: bytesToHex(header.uncleHash),
    logsBloom: bytesToHex(header.logsBloom),
    transactionsRoot: bytesToHex(header.transactionsTrie),
    stateRoot: bytesToHex(header.stateRoot),
    receiptsRoot: bytesToHex(header.receiptTrie),
    miner: header.coinbase.toString(),
    difficulty: qty(header.difficulty),
    extraData: bytesToHex(header.extraData),
    gasLimit: qty(header.gasLimit),
    gasUsed: qty(header.gasUsed),
    timestamp: qty(header.timestamp),
    mixHash: bytesToHex(header.mixHash),
  };
  if (header.baseFeePerGas !== undefined) out.baseFeePerGas = qty(header.baseFeePerGas);
  if (header.withdrawalsRoot !== undefined) out.withdrawalsRoot = bytesToHex(header.withdrawalsRoot);
  if (header.blobGasUsed !== undefined) out.blobGasUsed = qty(header.blobGasUsed);
  if (header.excessBlobGas !== undefined) out.excessBlobGas = qty(header.excessBlobGas);
  if (header.parentBeaconBlockRoot !== undefined)
    out.parentBeaconBlockRoot = bytesToHex(header.parentBeaconBlockRoot);
  if (header.requestsHash !== undefined) out.requestsHash = bytesToHex(header.requestsHash);
  return out;
}

export function formatBlock(
  block: Block,
  fullTxs: boolean,
  senders: readonly Uint8Array[] | undefined,
): Record<string, unknown> {
  const hash = block.hash();
  const out = formatHeader(block.header, hash);
  out.size = qty(block.serialize().length);
  out.transactions = block.transactions.map((tx, index) =>
    fullTxs
      ? formatTx(tx, senders?.[index] ?? tx.getSenderAddress().bytes, { block, index })
      : bytesToHex(tx.hash()),
  );
  out.uncles = [];
  if (block.withdrawals !== undefined) out.withdrawals = [];
  return out;
}

export interface TxPosition {
  block: Block;
  index: number;
}

export function formatTx(
  tx: TypedTransaction,
  sender: Uint8Array,
  at: TxPosition | undefined,
): Record<string, unknown> {
  const json = tx.toJSON();
  const out: Record<string, unknown> = {
    blockHash: at === undefined ? null : bytesToHex(at.block.hash()),
    blockNumber: at === undefined ? null : qty(at.block.header.number),
  };
  out.blockTimestamp = at === undefined ? null : qty(at.block.header.timestamp);
  out.from = bytesToHex(sender);
  out.gas = qty(tx.gasLimit);
  if (tx.supports(Capability.EIP1559FeeMarket)) {
    const fee = tx as TypedTransaction & { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint };
    const baseFee = at?.block.header.baseFeePerGas;
    // In a block, gasPrice is what the transaction paid; pending, its cap.
    out.gasPrice = qty(
      baseFee === undefined ? fee.maxFeePerGas : tx.getEffectivePriorityFee(baseFee) + baseFee,
    );
    out.maxFeePerGas = qty(fee.maxFeePerGas);
    out.maxPriorityFeePerGas = qty(fee.maxPriorityFeePerGas);
  } else {
    out.gasPrice = qty((tx as TypedTransaction & { gasPrice: bigint }).gasPrice);
  }
  out.hash = bytesToHex(tx.hash());
  out.input = bytesToHex(tx.data);
  out.nonce = qty(tx.nonce);
  out.to = tx.to === undefined ? null : tx.to.toString();
  out.transactionIndex = at === undefined ? null : qty(at.index);
  out.value = qty(tx.value);
  out.type = qty(tx.type);
  if (tx.supports(Capability.EIP2930AccessLists)) out.accessList = json.accessList ?? [];
  if (json.chainId !== undefined && (tx.type !== 0 || tx.supports(Capability.EIP155ReplayProtection))) {
    out.chainId = qty(BigInt(json.chainId));
  }
  if (tx.type === 4) {
    const list = (json as { authorizationList?: Record<string, string>[] }).authorizationList ?? [];
    out.authorizationList = list.map((a) => ({
      chainId: qty(BigInt(a.chainId ?? 0)),
      address: a.address,
      nonce: qty(BigInt(a.nonce ?? 0)),
      yParity: qty(BigInt(a.yParity ?? 0)),
      r: qty(BigInt(a.r ?? 0)),
      s: qty(BigInt(a.s ?? 0)),
    }));
  }
  out.v = qty(tx.v ?? 0n);
  out.r = qty(tx.r ?? 0n);
  out.s = qty(tx.s ?? 0n);
  if (tx.type !== 0) out.yParity = qty(tx.v ?? 0n);
  return out;
}

export function formatLog(
  log: LogData,
  at: { block: Block; txHash: Uint8Array; txIndex: number; logIndex: number },
): Record<string, unknown> {
  return {
    address: bytesToHex(log[0]),
    topics: log[1].map((t) => bytesToHex(t)),
    data: bytesToHex(log[2]),
    blockNumber: qty(at.block.header.number),
    transactionHash: bytesToHex(at.txHash),
    transactionIndex: qty(at.txIndex),
    blockHash: bytesToHex(at.block.hash()),
    blockTimestamp: qty(at.block.header.timestamp),
    logIndex: qty(at.logIndex),
    removed: false,
  };
}

/** Index of the first log of each transaction in the block. */
export function firstLogIndexes(receipts: readonly ReceiptData[]): number[] {
  const out: number[] = [];
  let next = 0;
  for (const r of receipts) {
    out.push(next);
    next += r.logs.length;
  }
  return out;
}

export function formatReceipt(
  block: Block,
  index: number,
  receipt: ReceiptData,
  firstLogIndex: number,
  logsBloom: Uint8Array,
): Record<string, unknown> {
  const tx = block.transactions[index]!;
  const txHash = tx.hash();
  return {
    blockHash: bytesToHex(block.hash()),
    blockNumber: qty(block.header.number),
    contractAddress: receipt.contractAddress === undefined ? null : bytesToHex(receipt.contractAddress),
    cumulativeGasUsed: qty(receipt.cumulativeGasUsed),
    effectiveGasPrice: qty(receipt.effectiveGasPrice),
    from: bytesToHex(receipt.from),
    gasUsed: qty(receipt.gasUsed),
    logs: receipt.logs.map((log, i) =>
      formatLog(log, { block, txHash, txIndex: index, logIndex: firstLogIndex + i }),
    ),
    logsBloom: bytesToHex(logsBloom),
    status: qty(receipt.status),
    to: tx.to === undefined ? null : tx.to.toString(),
    transactionHash: bytesToHex(txHash),
    transactionIndex: qty(index),
    type: qty(receipt.type),
  };
}

/** An EIP-1186 proof as eth_getProof answers it; `keys` are the storage keys as the answer shows them. */
export function formatProof(address: string, proof: AccountProof, keys: readonly string[]) {
  return {
    address,
    accountProof: proof.accountProof,
    balance: qty(proof.balance),
    codeHash: proof.codeHash,
    nonce: qty(proof.nonce),
    storageHash: proof.storageHash,
    storageProof: proof.storageProof.map((p, i) => ({ key: keys[i]!, value: qty(p.value), proof: p.proof })),
  };
}
