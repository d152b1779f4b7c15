// Prometheus metrics (`--metrics.port`): the registry, every metric the node
// exports, and the HTTP server that serves them at /metrics.
import { readdir, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { RpcMetrics } from '@openledger/rpc';
import type { ProducerMetrics, TxPool } from '@openledger/sequencer';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export interface NodeMetrics {
  registry: Registry;
  rpc: RpcMetrics;
  producer: ProducerMetrics;
}

export interface MetricsSources {
  pool: TxPool;
  dataDir: string;
}

async function directorySize(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    if (entry.isFile()) total += (await stat(join(dir, entry.name)).catch(() => ({ size: 0 }))).size;
  }
  return total;
}

export function createNodeMetrics(sources: MetricsSources): NodeMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'openledger_process_' });
  const registers = [registry];
  new Gauge({
    name: 'openledger_txpool_transactions',
    help: 'Transactions in the pool: pending (executable now) or queued (behind a nonce gap)',
    labelNames: ['state'],
    registers,
    collect() {
      const { pending, queued } = sources.pool.counts();
      this.set({ state: 'pending' }, pending);
      this.set({ state: 'queued' }, queued);
    },
  });
  new Gauge({
    name: 'openledger_db_size_bytes',
    help: 'Size of the LevelDB files in the data dir',
    registers,
    async collect() {
      this.set(await directorySize(join(sources.dataDir, 'chaindata')));
    },
  });
  return {
    registry,
    rpc: {
      requests: new Counter({
        name: 'openledger_rpc_requests_total',
        help: 'JSON-RPC requests by method and outcome (ok, or the error code)',
        labelNames: ['method', 'outcome'],
        registers,
      }),
      duration: new Histogram({
        name: 'openledger_rpc_request_duration_seconds',
        help: 'JSON-RPC handling time by method',
        labelNames: ['method'],
        buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
        registers,
      }),
    },
    producer: {
      blockSeconds: new Histogram({
        name: 'openledger_block_production_seconds',
        help: 'Time to build, seal and write a block',
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5],
        registers,
      }),
      blockGasUsed: new Histogram({
        name: 'openledger_block_gas_used',
        help: 'Gas used per block',
        buckets: [0, 21_000, 100_000, 1e6, 5e6, 10e6, 15e6, 20e6, 25e6, 30e6],
        registers,
      }),
      blockTransactions: new Histogram({
        name: 'openledger_block_transactions',
        help: 'Transactions per block',
        buckets: [0, 1, 5, 10, 50, 100, 250, 500, 1000, 2500, 5000],
        registers,
      }),
      headNumber: new Gauge({
        name: 'openledger_head_block_number',
        help: 'Number of the head block',
        registers,
      }),
    },
  };
}

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

/** Serves the registry in Prometheus' text format at GET /metrics. */
export async function startMetricsServer(
  registry: Registry,
  host: string,
  port: number,
): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/metrics') {
      res.writeHead(404).end('not found: GET /metrics');
      return;
    }
    registry.metrics().then(
      (body) => res.writeHead(200, { 'Content-Type': registry.contentType }).end(body),
      () => res.writeHead(500).end('metrics unavailable'),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}/metrics`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
