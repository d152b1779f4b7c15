// The devnet's flags: each has an environment variable (OPENLEDGER_ + the
// flag in upper case, dots and dashes as underscores), and flags win.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  ConfigError,
  DEV_MNEMONIC,
  DEVNET_CHAIN_ID,
  LOG_LEVELS,
  type LogFormat,
  type LogLevel,
} from '@openledger/core';
import { RPC_NAMESPACES, type RpcNamespace } from '@openledger/rpc';

export interface DevnetOptions {
  rpcHost: string;
  rpcPort: number;
  rpcCors: string[];
  rpcApi: RpcNamespace[];
  rpcVhosts: string[];
  blockTime: number;
  dataDir: string;
  chainId: bigint | undefined;
  accounts: number;
  balance: bigint;
  mnemonic: string;
  genesis: string | undefined;
  reset: boolean;
  /** Prometheus metrics port; undefined: metrics off. */
  metricsPort: number | undefined;
  metricsHost: string;
  logLevel: LogLevel;
  /** undefined: readable lines on a terminal, JSON lines otherwise. */
  logFormat: LogFormat | undefined;
  dbSync: boolean;
  /** Write a demo attribution graph at start (when the graph is empty). */
  seedDemo: boolean;
  rpcLimits: RpcLimitOptions;
}

/** The RPC's bounds; each has a flag (geth's or reth's name where they have one). */
export interface RpcLimitOptions {
  gasCap: bigint;
  evmTimeoutMs: number;
  maxBatch: number;
  maxBodyBytes: number;
  maxLogs: number;
  maxLogsBlockRange: bigint;
  maxFilters: number;
  filterTimeoutMs: number;
  maxConnectionsPerClient: number;
  maxSubscriptionsPerConnection: number;
  maxRequestsInFlight: number;
}

interface FlagSpec {
  type: 'string' | 'boolean';
  help: string;
  default?: string;
}

export const devnetFlags: Record<string, FlagSpec> = {
  'rpc.host': {
    type: 'string',
    default: '127.0.0.1',
    help: 'interface the JSON-RPC server (HTTP and WebSocket) binds to',
  },
  'rpc.port': { type: 'string', default: '8545', help: 'JSON-RPC port (HTTP and WebSocket)' },
  'rpc.api': {
    type: 'string',
    default: RPC_NAMESPACES.join(','),
    help: 'comma-separated JSON-RPC namespaces to serve',
  },
  'rpc.vhosts': {
    type: 'string',
    default: 'localhost',
    help: 'comma-separated Host names accepted (IP addresses always are; "*": any)',
  },
  'rpc.cors': {
    type: 'string',
    default: '*',
    help: 'comma-separated browser origins allowed to call the RPC ("*": any)',
  },
  'block-time': {
    type: 'string',
    default: '2',
    help: 'seconds between blocks; 0 mines a block as soon as transactions arrive',
  },
  'data-dir': { type: 'string', default: '.openledger/devnet', help: 'where the chain is stored (LevelDB)' },
  'chain-id': { type: 'string', help: `chain id (default ${DEVNET_CHAIN_ID}, or the genesis file's)` },
  accounts: { type: 'string', default: '10', help: 'number of prefunded dev accounts' },
  balance: { type: 'string', default: '10000', help: 'balance of each dev account, in OPEN' },
  mnemonic: { type: 'string', default: DEV_MNEMONIC, help: 'BIP-39 mnemonic the dev accounts derive from' },
  genesis: {
    type: 'string',
    help: 'geth-style genesis JSON file (its alloc replaces the dev accounts prefunding)',
  },
  reset: { type: 'boolean', help: 'delete the data dir and start a new chain' },
  'seed-demo': {
    type: 'boolean',
    help: 'write a demo attribution graph (datanets, a trained LoRA, inferences) if the graph is empty',
  },
  'metrics.port': {
    type: 'string',
    help: 'serve Prometheus metrics at http://<metrics.host>:<port>/metrics (default off)',
  },
  'metrics.host': { type: 'string', default: '127.0.0.1', help: 'interface the metrics server binds to' },
  'log-level': { type: 'string', default: 'info', help: `one of ${LOG_LEVELS.join(', ')}` },
  'log-format': { type: 'string', help: 'json or pretty (default: pretty on a terminal, json otherwise)' },
  'db.sync': { type: 'boolean', help: 'fsync every block write (survives power loss, not only crashes)' },
  'rpc.gascap': {
    type: 'string',
    default: '50000000',
    help: 'gas cap of eth_call, eth_estimateGas and traces',
  },
  'rpc.evmtimeout': {
    type: 'string',
    default: '5s',
    help: 'time limit of one eth_call or gas estimate (e.g. 5s, 500ms; 0: none)',
  },
  'rpc.batch-request-limit': { type: 'string', default: '1000', help: 'most requests in one JSON-RPC batch' },
  'rpc.max-request-size': {
    type: 'string',
    default: String(5 * 1024 * 1024),
    help: 'largest HTTP body or WebSocket message, in bytes',
  },
  'rpc.max-logs-per-response': {
    type: 'string',
    default: '20000',
    help: 'most logs one eth_getLogs returns',
  },
  'rpc.max-blocks-per-filter': {
    type: 'string',
    default: '10000',
    help: 'largest block range of one eth_getLogs',
  },
  'rpc.max-filters': { type: 'string', default: '1000', help: 'filters installed at once' },
  'rpc.filter-timeout': {
    type: 'string',
    default: '5m',
    help: 'a filter not polled for this long is removed',
  },
  'rpc.max-connections-per-client': {
    type: 'string',
    default: '256',
    help: 'TCP connections one client address may hold',
  },
  'rpc.max-subscriptions-per-connection': {
    type: 'string',
    default: '1000',
    help: 'eth_subscribe subscriptions per WebSocket',
  },
  'rpc.max-requests-in-flight': {
    type: 'string',
    default: '2048',
    help: 'HTTP requests handled at once; more get 503',
  },
  help: { type: 'boolean', help: 'show this help' },
};

export function envName(flag: string): string {
  return `OPENLEDGER_${flag.replace(/[.-]/g, '_').toUpperCase()}`;
}

export function devnetHelp(): string {
  const lines = [
    'Usage: openledger devnet [flags]',
    '',
    'Runs a local OpenLedger chain with prefunded dev accounts.',
    '',
    'Flags:',
  ];
  for (const [name, spec] of Object.entries(devnetFlags)) {
    const value = spec.type === 'string' ? ' <value>' : '';
    const def = spec.default === undefined || name === 'mnemonic' ? '' : ` (default ${spec.default})`;
    lines.push(`  --${name}${value}`.padEnd(46) + `${spec.help}${def}`);
    if (name !== 'help') lines.push(`${''.padEnd(46)}env: ${envName(name)}`);
  }
  return lines.join('\n');
}

function invalid(option: string, value: string, why: string): never {
  throw new ConfigError(
    { code: 'INVALID_OPTION', option, value },
    `invalid --${option} ${JSON.stringify(value)}: ${why}`,
  );
}

function integer(option: string, value: string, min: number, max: number): number {
  if (!/^\d+$/.test(value)) invalid(option, value, 'expected a whole number');
  const n = Number(value);
  if (n < min || n > max) invalid(option, value, `expected ${min} to ${max}`);
  return n;
}

function bigint(option: string, value: string): bigint {
  if (!/^(\d+|0x[0-9a-fA-F]+)$/.test(value)) invalid(option, value, 'expected a whole number');
  return BigInt(value);
}

/** A duration: `5s`, `500ms`, `5m`, or a number of seconds. */
function duration(option: string, value: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(value);
  if (m === null) invalid(option, value, 'expected a duration such as 5s, 500ms or 2m');
  const n = Number(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 'm' ? 60_000 : 1_000);
  if (n > 24 * 3_600_000) invalid(option, value, 'expected at most 24 hours');
  return Math.round(n);
}

function list(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function namespaces(value: string): RpcNamespace[] {
  const names = list(value);
  for (const name of names) {
    if (!(RPC_NAMESPACES as readonly string[]).includes(name)) {
      invalid('rpc.api', value, `unknown namespace ${name}; known: ${RPC_NAMESPACES.join(', ')}`);
    }
  }
  return names as RpcNamespace[];
}

export type ParsedDevnet = { help: true } | { help: false; options: DevnetOptions };

export function parseDevnetArgs(argv: string[], env: NodeJS.ProcessEnv): ParsedDevnet {
  const options = Object.fromEntries(
    Object.entries(devnetFlags).map(([name, spec]) => [name, { type: spec.type }]),
  );
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: argv, options, strict: true, allowPositionals: false }) as {
      values: Record<string, string | boolean | undefined>;
    });
  } catch (err) {
    throw new ConfigError(
      { code: 'INVALID_OPTION', option: '', value: '' },
      err instanceof Error ? err.message : String(err),
    );
  }
  if (values.help === true) return { help: true };
  const get = (name: string): string | undefined => {
    const v = values[name];
    if (typeof v === 'string') return v;
    return env[envName(name)] ?? devnetFlags[name]?.default;
  };
  const flag = (name: string): boolean => {
    if (values[name] === true) return true;
    const v = env[envName(name)];
    return v === '1' || v === 'true';
  };
  /** A whole-number flag (or its variable, or its default) within [min, max]. */
  const count = (name: string, min: number, max: number): number => integer(name, get(name)!, min, max);
  const logLevel = get('log-level')!;
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel))
    invalid('log-level', logLevel, `expected one of ${LOG_LEVELS.join(', ')}`);
  const metricsPort = get('metrics.port');
  const logFormat = get('log-format');
  if (logFormat !== undefined && logFormat !== 'json' && logFormat !== 'pretty')
    invalid('log-format', logFormat, 'expected json or pretty');
  const blockTime = get('block-time')!;
  if (!/^\d+(\.\d+)?$/.test(blockTime) || Number(blockTime) > 3600)
    invalid('block-time', blockTime, 'expected seconds from 0 to 3600');
  const chainId = get('chain-id');
  const parsedChainId = chainId === undefined ? undefined : bigint('chain-id', chainId);
  if (parsedChainId !== undefined && (parsedChainId < 1n || parsedChainId >= 2n ** 53n)) {
    invalid('chain-id', chainId!, 'expected 1 to 2^53 - 1 (what wallets accept)');
  }
  return {
    help: false,
    options: {
      rpcHost: get('rpc.host')!,
      rpcPort: count('rpc.port', 0, 65535),
      rpcApi: namespaces(get('rpc.api')!),
      rpcVhosts: list(get('rpc.vhosts')!),
      rpcCors: get('rpc.cors')!
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0),
      blockTime: Number(blockTime),
      dataDir: resolve(get('data-dir')!),
      chainId: parsedChainId,
      accounts: count('accounts', 0, 1000),
      balance: bigint('balance', get('balance')!),
      mnemonic: get('mnemonic')!,
      genesis: get('genesis'),
      reset: flag('reset'),
      metricsPort: metricsPort === undefined ? undefined : integer('metrics.port', metricsPort, 0, 65535),
      metricsHost: get('metrics.host')!,
      logLevel: logLevel as LogLevel,
      logFormat: logFormat as LogFormat | undefined,
      dbSync: flag('db.sync'),
      seedDemo: flag('seed-demo'),
      rpcLimits: {
        gasCap: bigint('rpc.gascap', get('rpc.gascap')!),
        evmTimeoutMs: duration('rpc.evmtimeout', get('rpc.evmtimeout')!),
        maxBatch: count('rpc.batch-request-limit', 1, 100_000),
        maxBodyBytes: count('rpc.max-request-size', 1_024, 1 << 30),
        maxLogs: count('rpc.max-logs-per-response', 1, 10_000_000),
        maxLogsBlockRange: BigInt(count('rpc.max-blocks-per-filter', 1, 100_000_000)),
        maxFilters: count('rpc.max-filters', 1, 1_000_000),
        filterTimeoutMs: Math.max(1_000, duration('rpc.filter-timeout', get('rpc.filter-timeout')!)),
        maxConnectionsPerClient: count('rpc.max-connections-per-client', 1, 1_000_000),
        maxSubscriptionsPerConnection: count('rpc.max-subscriptions-per-connection', 1, 1_000_000),
        maxRequestsInFlight: count('rpc.max-requests-in-flight', 1, 1_000_000),
      },
    },
  };
}
