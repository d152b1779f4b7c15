// The composition root of `openledger devnet`: builds every service from the
// options and wires them together. Nothing else constructs services.
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createAddressFromString } from '@ethereumjs/util';
import {
  ConfigError,
  createDevGenesis,
  DEVNET_CHAIN_ID,
  type DevAccount,
  deriveDevAccounts,
  type Genesis,
  type Logger,
  parseGenesis,
} from '@openledger/core';
import { LevelStore } from '@openledger/db';
import {
  CallExecutor,
  Chain,
  createExecutionCommon,
  createHeadVM,
  defaultCallLimits,
} from '@openledger/execution';
import { createRpcApi, defaultRpcServerOptions, type RpcServer, startRpcServer } from '@openledger/rpc';
import {
  BlockProducer,
  defaultProducerOptions,
  defaultTxPoolOptions,
  TxJournal,
  TxPool,
} from '@openledger/sequencer';
import { DevSigner } from './dev-signer.js';
import { createNodeMetrics, startMetricsServer } from './metrics.js';
import type { DevnetOptions } from './options.js';
import { NodeBackend } from './rpc-backend.js';
import { type SeedSummary, seedDemo } from './seed-demo.js';
import { CLIENT_VERSION } from './version.js';

/** Fee recipient of sequenced blocks: the OP Stack's SequencerFeeVault predeploy. */
export const SEQUENCER_FEE_VAULT = '0x4200000000000000000000000000000000000011';

export interface RunningDevnet {
  rpc: RpcServer;
  /** Where Prometheus metrics are served, when on. */
  metricsUrl: string | undefined;
  chain: Chain;
  genesis: Genesis;
  accounts: DevAccount[];
  created: boolean;
  /** What --seed-demo wrote; undefined without it, or when the graph was not empty. */
  seeded: SeedSummary | undefined;
  stop(): Promise<void>;
}

async function loadGenesis(opts: DevnetOptions, accounts: DevAccount[]): Promise<Genesis> {
  if (opts.genesis === undefined) {
    return createDevGenesis({ chainId: opts.chainId ?? DEVNET_CHAIN_ID, accounts, balance: opts.balance });
  }
  let json: unknown;
  try {
    json = JSON.parse(await readFile(opts.genesis, 'utf8'));
  } catch (err) {
    throw new ConfigError(
      { code: 'INVALID_GENESIS', reason: String(err) },
      `cannot read genesis ${opts.genesis}: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  const genesis = parseGenesis(json);
  if (opts.chainId !== undefined && opts.chainId !== genesis.chainId) {
    throw new ConfigError(
      { code: 'INVALID_OPTION', option: 'chain-id', value: String(opts.chainId) },
      `--chain-id ${opts.chainId} differs from the genesis file's chain id ${genesis.chainId}`,
    );
  }
  return genesis;
}

async function openStore(dir: string, sync: boolean): Promise<LevelStore> {
  await mkdir(dir, { recursive: true });
  try {
    return await LevelStore.open(join(dir, 'chaindata'), { sync });
  } catch (err) {
    const cause =
      (err as { cause?: Error }).cause?.message ?? (err instanceof Error ? err.message : String(err));
    const busy = /lock/i.test(cause);
    throw new ConfigError(
      { code: 'INVALID_OPTION', option: 'data-dir', value: dir },
      busy
        ? `the data dir ${dir} is in use by another process`
        : `cannot open the database in ${dir}: ${cause}`,
    );
  }
}

function* rawsOf(pool: TxPool): Iterable<Uint8Array> {
  for (const entry of pool.all()) yield entry.raw;
}

/** Replays the pool's journal (transactions acknowledged before a stop or crash) and keeps journaling. */
async function restorePool(pool: TxPool, path: string, logger: Logger): Promise<{ journal: TxJournal }> {
  const { journal, replay } = TxJournal.open(path);
  let dropped = 0;
  for (const raw of replay) {
    // Mined meanwhile, replaced, or no longer valid: what fails is simply not restored.
    await pool.addRaw(raw, true).catch(() => dropped++);
  }
  journal.rewrite(rawsOf(pool));
  if (replay.length > 0) {
    logger.info({ restored: pool.size, dropped }, 'restored pending transactions from the journal');
  }
  pool.onAdded((entry) => journal.append(entry.raw));
  return { journal };
}

export async function startDevnet(opts: DevnetOptions, logger: Logger): Promise<RunningDevnet> {
  const accounts = deriveDevAccounts(opts.mnemonic, opts.accounts);
  const genesis = await loadGenesis(opts, accounts);
  if (opts.reset) await rm(opts.dataDir, { recursive: true, force: true });
  const kv = await openStore(opts.dataDir, opts.dbSync);
  const stops: (() => Promise<void> | void)[] = [() => kv.close()];
  let stopping: Promise<void> | undefined;
  const stopAll = () => {
    stopping ??= (async () => {
      for (const stop of [...stops].reverse()) await stop();
    })();
    return stopping;
  };
  try {
    const common = createExecutionCommon(genesis.chainId);
    const { chain, created } = await Chain.open(kv, common, genesis).catch((err) => {
      if (err instanceof ConfigError && err.type.code === 'DATA_DIR_MISMATCH') {
        throw new ConfigError({ ...err.type, dataDir: opts.dataDir }, `${opts.dataDir}: ${err.message}`);
      }
      throw err;
    });
    const vm = await createHeadVM(chain);
    const pool = new TxPool(defaultTxPoolOptions, {
      common,
      account: async (address) => {
        const account = await (await chain.readerAt(chain.head)).getAccount(address);
        return { nonce: account?.nonce ?? 0n, balance: account?.balance ?? 0n };
      },
      nextBaseFee: () => chain.head.header.calcNextBaseFee(),
      blockGasLimit: () => chain.head.header.gasLimit,
    });
    const restored = await restorePool(pool, join(opts.dataDir, 'txpool.journal'), logger);
    stops.push(() => restored.journal.close());
    const metrics =
      opts.metricsPort === undefined ? null : createNodeMetrics({ pool, dataDir: opts.dataDir });
    metrics?.producer.headNumber.set(Number(chain.head.header.number));
    let backend: NodeBackend | undefined;
    const producer = new BlockProducer(
      {
        ...defaultProducerOptions,
        blockTime: opts.blockTime,
        coinbase: createAddressFromString(SEQUENCER_FEE_VAULT),
      },
      {
        metrics: metrics?.producer ?? null,
        chain,
        vm,
        pool,
        logger: logger.child({ module: 'sequencer' }),
        onBlock: (produced) => {
          restored.journal.compact(() => rawsOf(pool), pool.size);
          backend?.blocks.emit(produced);
        },
      },
    );
    backend = new NodeBackend({
      onPoolCleared: () => restored.journal.rewrite([]),
      devnet: true,
      blockTime: opts.blockTime,
      chain,
      pool,
      producer,
      signer: new DevSigner(accounts, common),
      calls: new CallExecutor(chain, {
        ...defaultCallLimits,
        gasCap: opts.rpcLimits.gasCap,
        timeoutMs: opts.rpcLimits.evmTimeoutMs,
      }),
      clientVersion: CLIENT_VERSION,
      logger,
    });
    // Automine: restored transactions are mined before the first client can look.
    if (opts.blockTime === 0 && pool.hasExecutable(chain.head.header.calcNextBaseFee())) {
      await producer.mine();
    }
    // Before the RPC serves and the producer starts: the demo's blocks are built one step at a time.
    const seeded = opts.seedDemo
      ? await seedDemo({
          chain,
          common,
          pool,
          producer,
          accounts,
          logger: logger.child({ module: 'seed-demo' }),
        })
      : undefined;
    const { rpcLimits: limits } = opts;
    const api = createRpcApi(backend, logger, {
      metrics: metrics?.rpc ?? null,
      namespaces: opts.rpcApi,
      limits: {
        maxLogs: limits.maxLogs,
        maxLogsBlockRange: limits.maxLogsBlockRange,
        maxFilters: limits.maxFilters,
        filterTimeoutMs: limits.filterTimeoutMs,
      },
    });
    stops.push(() => api.close());
    const rpc = await startRpcServer(
      {
        ...defaultRpcServerOptions,
        host: opts.rpcHost,
        port: opts.rpcPort,
        corsOrigins: opts.rpcCors,
        virtualHosts: opts.rpcVhosts,
        maxBatch: limits.maxBatch,
        maxBodyBytes: limits.maxBodyBytes,
        maxConnectionsPerClient: limits.maxConnectionsPerClient,
        maxSubscriptionsPerConnection: limits.maxSubscriptionsPerConnection,
        maxRequestsInFlight: limits.maxRequestsInFlight,
      },
      api.handler,
      api.ctx,
      logger,
    );
    stops.push(() => rpc.close());
    let metricsUrl: string | undefined;
    if (metrics !== null && opts.metricsPort !== undefined) {
      const server = await startMetricsServer(metrics.registry, opts.metricsHost, opts.metricsPort);
      stops.push(() => server.close());
      metricsUrl = server.url;
    }
    producer.start();
    // Stopped first: the block being written finishes before the database closes.
    stops.push(() => producer.stop());
    return { rpc, metricsUrl, chain, genesis, accounts, created, seeded, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
