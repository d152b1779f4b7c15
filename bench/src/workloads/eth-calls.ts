// Workload 3: concurrent eth_call of BenchToken.balanceOf over distinct owners.
import { freshAddresses } from '../accounts.js';
import { balanceOfData } from '../erc20.js';
import { callPlan } from './measure-calls.js';
import { type ReadWorkload, requireToken } from './workload.js';

export const ethCalls: ReadWorkload = {
  name: 'calls',
  title: 'eth_call balanceOf',
  kind: 'calls',
  needsToken: true,
  async prepare(ctx) {
    const token = requireToken(ctx);
    // Holders (non-zero balances) and fresh owners (zero), so both storage paths are read.
    const owners = [...ctx.accounts.map((a) => a.address), ...freshAddresses(64)];
    const calls = Array.from({ length: ctx.sizes.calls }, (_, i) => ({
      to: token,
      data: balanceOfData(owners[i % owners.length] ?? token),
    }));
    const opts = { concurrency: ctx.sizes.callConcurrency, timeoutMs: ctx.sizes.timeoutMs };
    return callPlan(ctx.client, calls, opts);
  },
};
