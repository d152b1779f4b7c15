// eth_subscribe / eth_unsubscribe for one WebSocket connection: newHeads,
// logs and newPendingTransactions, bounded per connection.
import type { MethodTable, RpcContext } from '../context.js';
import { InvalidParamsError, LimitExceededError } from '../errors.js';
import { formatHeader, formatTx, randomId } from '../format.js';
import { arity, bool, object } from '../params.js';
import { LogReader, logCriteria } from './logs.js';

export type Notify = (subscription: string, result: unknown) => void;

export interface ConnectionSubscriptions {
  methods: MethodTable;
  close(): void;
}

export function connectionSubscriptions(
  ctx: RpcContext,
  notify: Notify,
  maxSubscriptions: number,
): ConnectionSubscriptions {
  const active = new Map<string, () => void>();

  const subscribe = (off: () => void): string => {
    const id = randomId();
    active.set(id, off);
    return id;
  };

  const methods: MethodTable = {
    eth_subscribe: (params) => {
      arity(params, 1, 2);
      if (active.size >= maxSubscriptions) {
        throw new LimitExceededError(
          `too many subscriptions on this connection (at most ${maxSubscriptions})`,
        );
      }
      const kind = params[0];
      let id = '';
      switch (kind) {
        case 'newHeads':
          id = subscribe(
            ctx.backend.onBlock(({ block }) => notify(id, formatHeader(block.header, block.hash()))),
          );
          return id;
        case 'logs': {
          const criteria = logCriteria(params[1] === undefined ? {} : object(params[1], 'logs filter'));
          id = subscribe(
            ctx.backend.onBlock((produced) => {
              for (const log of LogReader.ofNewBlock(produced, criteria)) notify(id, log);
            }),
          );
          return id;
        }
        case 'newPendingTransactions': {
          const full = params[1] === undefined ? false : bool(params[1], 'includeTransactions');
          id = subscribe(
            ctx.backend.onPendingTx((pending) =>
              notify(
                id,
                full ? formatTx(pending.tx, pending.tx.getSenderAddress().bytes, undefined) : pending.hash,
              ),
            ),
          );
          return id;
        }
        default:
          throw new InvalidParamsError(`unsupported subscription type ${String(kind).slice(0, 50)}`);
      }
    },
    eth_unsubscribe: (params) => {
      arity(params, 1, 1);
      const off = typeof params[0] === 'string' ? active.get(params[0]) : undefined;
      if (off === undefined) return false;
      off();
      active.delete(params[0] as string);
      return true;
    },
  };

  return {
    methods,
    close: () => {
      for (const off of active.values()) off();
      active.clear();
    },
  };
}
