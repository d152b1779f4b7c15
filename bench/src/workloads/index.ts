// The workloads by name.
import { erc20Transfers } from './erc20-transfers.js';
import { ethCalls } from './eth-calls.js';
import { nativeTransfers } from './native-transfers.js';
import { balanceReads, logReads, proofReads } from './reads.js';
import type { Workload, WorkloadName } from './workload.js';

export const WORKLOADS: Record<WorkloadName, Workload> = {
  native: nativeTransfers,
  erc20: erc20Transfers,
  calls: ethCalls,
  balance: balanceReads,
  logs: logReads,
  proof: proofReads,
};

export type {
  Measurement,
  ReadWorkload,
  TxWorkload,
  Workload,
  WorkloadContext,
  WorkloadName,
  WorkloadSizes,
} from './workload.js';
export { WORKLOAD_NAMES } from './workload.js';
