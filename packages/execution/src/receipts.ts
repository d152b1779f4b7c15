// Receipts as the node stores them: the consensus receipt plus what RPC needs
// without recomputing it (sender, gas used, contract address, gas price).
import { RLP } from '@ethereumjs/rlp';
import { bigIntToUnpaddedBytes, bytesToBigInt, bytesToInt, intToUnpaddedBytes } from '@ethereumjs/util';

/** [address, topics, data], as EthereumJS's `Log`. */
export type Log = [address: Uint8Array, topics: Uint8Array[], data: Uint8Array];

export interface TxReceipt {
  type: number;
  status: 0 | 1;
  cumulativeGasUsed: bigint;
  gasUsed: bigint;
  effectiveGasPrice: bigint;
  logs: Log[];
  from: Uint8Array;
  /** The created contract's address, for a creation that succeeded. */
  contractAddress: Uint8Array | undefined;
}

export function encodeReceipts(receipts: readonly TxReceipt[]): Uint8Array {
  return RLP.encode(
    receipts.map((r) => [
      intToUnpaddedBytes(r.type),
      intToUnpaddedBytes(r.status),
      bigIntToUnpaddedBytes(r.cumulativeGasUsed),
      bigIntToUnpaddedBytes(r.gasUsed),
      bigIntToUnpaddedBytes(r.effectiveGasPrice),
      r.logs,
      r.from,
      r.contractAddress ?? new Uint8Array(),
    ]),
  );
}

export function decodeReceipts(bytes: Uint8Array): TxReceipt[] {
  const list = RLP.decode(bytes) as unknown as [
    Uint8Array,
    Uint8Array,
    Uint8Array,
    Uint8Array,
    Uint8Array,
    Log[],
    Uint8Array,
    Uint8Array,
  ][];
  return list.map(([type, status, cumulative, gasUsed, price, logs, from, created]) => ({
    type: bytesToInt(type),
    status: bytesToInt(status) === 1 ? 1 : 0,
    cumulativeGasUsed: bytesToBigInt(cumulative),
    gasUsed: bytesToBigInt(gasUsed),
    effectiveGasPrice: bytesToBigInt(price),
    logs,
    from,
    contractAddress: created.length === 0 ? undefined : created,
  }));
}
