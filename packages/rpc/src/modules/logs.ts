// Log queries: the criteria of eth_getLogs, filters and `logs` subscriptions,
// with the bloom as a first cut so empty blocks cost no receipt reads.
import type { Block } from '@ethereumjs/block';
import { bytesToHex, equalsBytes } from '@ethereumjs/util';
import type { NewBlock, ReceiptData } from '../backend.js';
import { bloomMayContain } from '../bloom.js';
import type { RpcContext } from '../context.js';
import { InvalidParamsError, LimitExceededError, ServerError } from '../errors.js';
import { firstLogIndexes, formatLog } from '../format.js';
import { address, type BlockRef, blockRef, hash, object } from '../params.js';

export interface LogCriteria {
  addresses: Uint8Array[];
  /** Per position: undefined matches anything, else one of the listed topics. */
  topics: (Uint8Array[] | undefined)[];
}

export interface LogQuery extends LogCriteria {
  from: BlockRef;
  to: BlockRef;
  blockHash: Uint8Array | undefined;
}

const MAX_TOPICS = 4;
const MAX_CRITERIA_VALUES = 1_000;

export function logCriteria(obj: Record<string, unknown>): LogCriteria {
  const addresses: Uint8Array[] = [];
  if (obj.address !== undefined && obj.address !== null) {
    const list = Array.isArray(obj.address) ? obj.address : [obj.address];
    if (list.length > MAX_CRITERIA_VALUES) throw new InvalidParamsError('too many addresses in filter');
    for (const a of list) addresses.push(address(a, 'filter address').bytes);
  }
  const topics: (Uint8Array[] | undefined)[] = [];
  if (obj.topics !== undefined && obj.topics !== null) {
    if (!Array.isArray(obj.topics)) throw new InvalidParamsError('invalid topics: expected an array');
    if (obj.topics.length > MAX_TOPICS)
      throw new InvalidParamsError(`invalid topics: at most ${MAX_TOPICS} positions`);
    for (const position of obj.topics) {
      if (position === null) topics.push(undefined);
      else if (Array.isArray(position)) {
        if (position.length > MAX_CRITERIA_VALUES) throw new InvalidParamsError('too many topics in filter');
        topics.push(position.length === 0 ? undefined : position.map((t) => hash(t, 'topic')));
      } else topics.push([hash(position, 'topic')]);
    }
  }
  return { addresses, topics };
}

export function logQuery(value: unknown): LogQuery {
  const obj = object(value ?? {}, 'filter');
  const criteria = logCriteria(obj);
  const blockHash =
    obj.blockHash === undefined || obj.blockHash === null ? undefined : hash(obj.blockHash, 'blockHash');
  if (blockHash !== undefined && (obj.fromBlock != null || obj.toBlock != null)) {
    throw new InvalidParamsError('cannot specify both blockHash and fromBlock/toBlock');
  }
  return {
    ...criteria,
    from: blockRef(obj.fromBlock ?? 'latest', 'fromBlock'),
    to: blockRef(obj.toBlock ?? 'latest', 'toBlock'),
    blockHash,
  };
}

function blockMayMatch(block: Block, c: LogCriteria): boolean {
  const bloom = block.header.logsBloom;
  if (c.addresses.length > 0 && !c.addresses.some((a) => bloomMayContain(bloom, a))) return false;
  for (const position of c.topics) {
    if (position !== undefined && !position.some((t) => bloomMayContain(bloom, t))) return false;
  }
  return true;
}

function logMatches(log: ReceiptData['logs'][number], c: LogCriteria): boolean {
  if (c.addresses.length > 0 && !c.addresses.some((a) => equalsBytes(a, log[0]))) return false;
  for (let i = 0; i < c.topics.length; i++) {
    const wanted = c.topics[i];
    if (wanted === undefined) continue;
    const topic = log[1][i];
    if (topic === undefined || !wanted.some((t) => equalsBytes(t, topic))) return false;
  }
  return true;
}

/** Formatted logs of one block that match; appends to `out`. */
function blockLogs(
  block: Block,
  receipts: readonly ReceiptData[],
  c: LogCriteria,
  out: Record<string, unknown>[],
): void {
  const first = firstLogIndexes(receipts);
  receipts.forEach((receipt, txIndex) => {
    receipt.logs.forEach((log, i) => {
      if (!logMatches(log, c)) return;
      const txHash = block.transactions[txIndex]!.hash();
      out.push(formatLog(log, { block, txHash, txIndex, logIndex: first[txIndex]! + i }));
    });
  });
}

/** Criteria every log matches. */
const ANY_LOG: LogCriteria = { addresses: [], topics: [] };

/** Logs a block's formatted-log cache may hold in all, at most (about 400 bytes each). */
const MAX_CACHED_LOGS = 50_000;
/** Block hash -> every log of the block as JSON text, in order; oldest entries leave first. */
const formatted = new Map<string, string[]>();
let cachedLogs = 0;

/** Every log of a block as JSON text, formatted once per block while it stays cached. */
function blockLogTexts(block: Block, receipts: readonly ReceiptData[]): string[] {
  const key = bytesToHex(block.hash());
  const hit = formatted.get(key);
  if (hit !== undefined) return hit;
  const all: Record<string, unknown>[] = [];
  blockLogs(block, receipts, ANY_LOG, all);
  const texts = all.map((log) => JSON.stringify(log));
  if (texts.length <= MAX_CACHED_LOGS) {
    formatted.set(key, texts);
    cachedLogs += texts.length;
    for (const [oldest, logs] of formatted) {
      if (cachedLogs <= MAX_CACHED_LOGS) break;
      formatted.delete(oldest);
      cachedLogs -= logs.length;
    }
  }
  return texts;
}

/** Matching logs of one block as JSON text; appends to `out`. */
function blockLogJson(block: Block, receipts: readonly ReceiptData[], c: LogCriteria, out: string[]): void {
  let texts: string[] | undefined;
  let k = 0;
  for (const receipt of receipts) {
    for (const log of receipt.logs) {
      if (logMatches(log, c)) {
        texts ??= blockLogTexts(block, receipts);
        out.push(texts[k]!);
      }
      k++;
    }
  }
}

export class LogReader {
  private readonly ctx: RpcContext;

  constructor(ctx: RpcContext) {
    this.ctx = ctx;
  }

  /** Logs in blocks [from, to] (numbers) as JSON texts, bounded in range and result count. */
  async range(from: bigint, to: bigint, c: LogCriteria): Promise<string[]> {
    const { limits, backend } = this.ctx;
    if (from > to) throw new InvalidParamsError('invalid block range params: fromBlock is after toBlock');
    if (to - from + 1n > limits.maxLogsBlockRange) {
      throw new LimitExceededError(`query exceeds max block range ${limits.maxLogsBlockRange}`);
    }
    const out: string[] = [];
    for (let n = from; n <= to; n++) {
      const block = await backend.blockByNumber(n);
      if (block === undefined) break;
      if (!blockMayMatch(block, c)) continue;
      blockLogJson(block, await backend.receipts(block), c, out);
      if (out.length > limits.maxLogs)
        throw new LimitExceededError(`query exceeds max results ${limits.maxLogs}`);
    }
    return out;
  }

  async query(q: LogQuery): Promise<string[]> {
    if (q.blockHash !== undefined) {
      const block = await this.ctx.backend.blockByHash(q.blockHash);
      if (block === undefined) throw new ServerError(`unknown block ${bytesToHex(q.blockHash)}`);
      const out: string[] = [];
      if (blockMayMatch(block, q)) blockLogJson(block, await this.ctx.backend.receipts(block), q, out);
      return out;
    }
    const head = this.ctx.backend.head().header.number;
    const from = await this.number(q.from, head);
    const to = await this.number(q.to, head);
    return this.range(from, to > head ? head : to, q);
  }

  async number(ref: BlockRef, head: bigint): Promise<bigint> {
    if ('number' in ref) return ref.number;
    if ('tag' in ref && ref.tag === 'earliest') return 0n;
    if ('tag' in ref) return head;
    return (await this.ctx.requireBlock(ref)).header.number;
  }

  /** Matching logs of a block just produced (for filters and subscriptions). */
  static ofNewBlock(produced: NewBlock, c: LogCriteria): Record<string, unknown>[] {
    const out: Record<string, unknown>[] = [];
    if (blockMayMatch(produced.block, c)) blockLogs(produced.block, produced.receipts, c, out);
    return out;
  }
}
