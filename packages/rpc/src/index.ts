export * from './backend.js';
export * from './context.js';
export * from './errors.js';
export * from './format.js';
export * from './handler.js';
export * from './metrics.js';
export * from './server.js';

import type { Logger } from '@openledger/core';
import type { RpcBackend } from './backend.js';
import { defaultRpcLimits, RpcContext, type RpcLimits } from './context.js';
import { RpcHandler } from './handler.js';
import type { RpcMetrics } from './metrics.js';
import { debugRawMethods } from './modules/debug-raw.js';
import { debugTraceMethods } from './modules/debug-trace.js';
import { devMethods } from './modules/dev.js';
import { ethBlockMethods } from './modules/eth-blocks.js';
import { ethFeeMethods } from './modules/eth-fees.js';
import { ethStateMethods } from './modules/eth-state.js';
import { FilterManager } from './modules/filters.js';
import { netWeb3Methods } from './modules/net-web3.js';
import { olMethods } from './modules/ol.js';
import { ethSimulateMethods } from './modules/simulate.js';
import { txpoolMethods } from './modules/txpool.js';

export interface RpcApi {
  ctx: RpcContext;
  handler: RpcHandler;
  close(): void;
}

/** The namespaces this node has; `evm`, `anvil`, `hardhat` (devnet helpers) and `personal` need a devnet backend. */
export const RPC_NAMESPACES = [
  'eth',
  'net',
  'web3',
  'ol',
  'txpool',
  'debug',
  'evm',
  'anvil',
  'hardhat',
  'personal',
] as const;
export type RpcNamespace = (typeof RPC_NAMESPACES)[number];

export interface RpcApiOptions {
  limits: RpcLimits;
  metrics: RpcMetrics | null;
  /** Namespaces served; a method of any other answers "does not exist". */
  namespaces: readonly RpcNamespace[];
}

export const defaultRpcApiOptions: RpcApiOptions = {
  limits: defaultRpcLimits,
  metrics: null,
  namespaces: ['eth', 'net', 'web3'],
};

/** The methods of the enabled namespaces, over `backend`. */
export function createRpcApi(
  backend: RpcBackend,
  logger: Logger,
  options: Partial<RpcApiOptions> = {},
): RpcApi {
  const opts = { ...defaultRpcApiOptions, ...options };
  const ctx = new RpcContext(backend, opts.limits);
  const filters = new FilterManager(ctx);
  const handler = new RpcHandler(
    [
      ethBlockMethods(ctx),
      ethStateMethods(ctx),
      ethSimulateMethods(ctx),
      ethFeeMethods(ctx),
      filters.methods(),
      netWeb3Methods(ctx, () => 0),
      txpoolMethods(ctx),
      debugRawMethods(ctx),
      debugTraceMethods(ctx),
      backend.attribution === undefined ? {} : olMethods(ctx, backend.attribution),
      backend.dev === undefined ? {} : devMethods(backend.dev, () => backend.head().header.number),
    ],
    logger.child({ module: 'rpc' }),
    { metrics: opts.metrics, namespaces: new Set(opts.namespaces) },
  );
  return { ctx, handler, close: () => filters.close() };
}
