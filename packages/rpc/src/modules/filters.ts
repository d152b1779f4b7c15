// eth_getLogs and the polling filters (eth_newFilter and friends). Filters
// are bounded in number, expire when nobody polls them, and buffer at most
// a bounded number of changes.
import { bytesToHex } from '@ethereumjs/util';
import type { MethodTable, RpcContext } from '../context.js';
import { LimitExceededError, ServerError } from '../errors.js';
import { randomId } from '../format.js';
import { rawArray } from '../json.js';
import { arity } from '../params.js';
import { type LogQuery, LogReader, logQuery } from './logs.js';

/** Hashes a block or pending-tx filter buffers between polls. */
const MAX_BUFFERED = 10_000;

type Filter =
  | { kind: 'logs'; query: LogQuery; next: bigint; lastPoll: number }
  | { kind: 'blocks' | 'pending'; hashes: string[]; lastPoll: number };

export class FilterManager {
  private readonly ctx: RpcContext;
  private readonly logs: LogReader;
  private readonly filters = new Map<string, Filter>();
  private readonly unsubscribe: (() => void)[] = [];

  constructor(ctx: RpcContext) {
    this.ctx = ctx;
    this.logs = new LogReader(ctx);
    this.unsubscribe.push(
      ctx.backend.onBlock(({ block }) => this.push('blocks', bytesToHex(block.hash()))),
      ctx.backend.onPendingTx((tx) => this.push('pending', tx.hash)),
    );
  }

  close(): void {
    for (const off of this.unsubscribe) off();
    this.filters.clear();
  }

  private push(kind: 'blocks' | 'pending', hash: string): void {
    for (const filter of this.filters.values()) {
      if (filter.kind !== kind) continue;
      filter.hashes.push(hash);
      if (filter.hashes.length > MAX_BUFFERED) filter.hashes.splice(0, filter.hashes.length - MAX_BUFFERED);
    }
  }

  private expire(): void {
    const cutoff = Date.now() - this.ctx.limits.filterTimeoutMs;
    for (const [id, filter] of this.filters) if (filter.lastPoll < cutoff) this.filters.delete(id);
  }

  private install(filter: Filter): string {
    this.expire();
    if (this.filters.size >= this.ctx.limits.maxFilters) {
      throw new LimitExceededError(`too many filters installed (at most ${this.ctx.limits.maxFilters})`);
    }
    const id = randomId();
    this.filters.set(id, filter);
    return id;
  }

  private get(id: unknown): Filter {
    this.expire();
    const filter = typeof id === 'string' ? this.filters.get(id) : undefined;
    if (filter === undefined) throw new ServerError('filter not found');
    filter.lastPoll = Date.now();
    return filter;
  }

  methods(): MethodTable {
    return {
      eth_getLogs: async (params) => {
        arity(params, 1, 1);
        return rawArray(await this.logs.query(logQuery(params[0])));
      },
      eth_newFilter: async (params) => {
        arity(params, 1, 1);
        const query = logQuery(params[0]);
        const head = this.ctx.backend.head().header.number;
        const from =
          'tag' in query.from && query.from.tag !== 'earliest'
            ? head + 1n
            : await this.logs.number(query.from, head);
        return this.install({ kind: 'logs', query, next: from, lastPoll: Date.now() });
      },
      eth_newBlockFilter: (params) => {
        arity(params, 0, 0);
        return this.install({ kind: 'blocks', hashes: [], lastPoll: Date.now() });
      },
      eth_newPendingTransactionFilter: (params) => {
        arity(params, 0, 1);
        return this.install({ kind: 'pending', hashes: [], lastPoll: Date.now() });
      },
      eth_uninstallFilter: (params) => {
        arity(params, 1, 1);
        return typeof params[0] === 'string' && this.filters.delete(params[0]);
      },
      eth_getFilterChanges: async (params) => {
        arity(params, 1, 1);
        const filter = this.get(params[0]);
        if (filter.kind !== 'logs') return filter.hashes.splice(0, filter.hashes.length);
        const head = this.ctx.backend.head().header.number;
        const to =
          'number' in filter.query.to && filter.query.to.number < head ? filter.query.to.number : head;
        if (filter.next > to) return [];
        // Poll at most one range's worth; the rest comes with the next poll.
        const end =
          to - filter.next + 1n > this.ctx.limits.maxLogsBlockRange
            ? filter.next + this.ctx.limits.maxLogsBlockRange - 1n
            : to;
        const logs = await this.logs.range(filter.next, end, filter.query);
        filter.next = end + 1n;
        return rawArray(logs);
      },
      eth_getFilterLogs: async (params) => {
        arity(params, 1, 1);
        const filter = this.get(params[0]);
        if (filter.kind !== 'logs') throw new ServerError('filter not found');
        return rawArray(await this.logs.query(filter.query));
      },
    };
  }
}
