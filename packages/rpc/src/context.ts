// What every method module shares: the backend, limits, and block resolution.
import type { Block } from '@ethereumjs/block';
import { bytesToHex, equalsBytes } from '@ethereumjs/util';
import type { RpcBackend } from './backend.js';
import { ServerError } from './errors.js';
import type { BlockRef } from './params.js';

export interface RpcLimits {
  /** Largest block range one eth_getLogs may scan. */
  maxLogsBlockRange: bigint;
  /** Most logs one eth_getLogs or filter poll returns (reth: 20,000). */
  maxLogs: number;
  /** Installed filters at once; the oldest idle ones expire first. */
  maxFilters: number;
  /** A filter nobody polled for this long is removed (geth: 5 minutes). */
  filterTimeoutMs: number;
}

export const defaultRpcLimits: RpcLimits = {
  maxLogsBlockRange: 10_000n,
  maxLogs: 20_000,
  maxFilters: 1_000,
  filterTimeoutMs: 5 * 60_000,
};

export type Method = (params: readonly unknown[]) => Promise<unknown> | unknown;
export type MethodTable = Record<string, Method>;

export class RpcContext {
  readonly backend: RpcBackend;
  readonly limits: RpcLimits;

  constructor(backend: RpcBackend, limits: RpcLimits) {
    this.backend = backend;
    this.limits = limits;
  }

  /** The block a parameter names, or undefined when it does not exist (yet). */
  async findBlock(ref: BlockRef): Promise<Block | undefined> {
    const b = this.backend;
    if ('tag' in ref) {
      switch (ref.tag) {
        case 'earliest':
          return b.blockByNumber(0n);
        case 'safe':
          return b.safe();
        case 'finalized':
          return b.finalized();
        default:
          return b.head();
      }
    }
    if ('number' in ref) return b.blockByNumber(ref.number);
    const block = await b.blockByHash(ref.hash);
    if (block !== undefined && ref.requireCanonical) {
      const canonical = await b.blockByNumber(block.header.number);
      if (canonical === undefined || !equalsBytes(canonical.hash(), block.hash())) {
        throw new ServerError(`block ${bytesToHex(ref.hash)} is not canonical`);
      }
    }
    return block;
  }

  /** Like findBlock, for methods that need the state: a missing block is an error (geth's words and code). */
  async requireBlock(ref: BlockRef): Promise<Block> {
    const block = await this.findBlock(ref);
    if (block === undefined) throw new ServerError('header not found');
    return block;
  }
}
