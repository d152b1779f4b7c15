#!/usr/bin/env node
// The `openledger` command line: parses flags, starts the role, prints what
// a user needs to connect, and stops cleanly on SIGINT/SIGTERM.
import './v8-flags.js';
import { bytesToHex, hexToBytes, toChecksumAddress } from '@ethereumjs/util';
import { ConfigError, createLogger, DEV_DERIVATION_PATH, NATIVE_CURRENCY } from '@openledger/core';
import { type RunningDevnet, startDevnet } from './devnet.js';
import { type DevnetOptions, devnetHelp, parseDevnetArgs } from './options.js';
import { VERSION } from './version.js';

const USAGE = `openledger ${VERSION}: an OpenLedger L2 node

Usage: openledger <command> [flags]

Commands:
  devnet     a local chain with prefunded dev accounts and JSON-RPC (see openledger devnet --help)
  version    print the version
`;

function banner(opts: DevnetOptions, node: RunningDevnet): string {
  const ONE = 10n ** 18n;
  const lines: string[] = ['', `OpenLedger devnet v${VERSION}`, ''];
  if (node.accounts.length > 0) {
    lines.push('Available Accounts', '==================');
    node.accounts.forEach((a, i) => {
      const balance = node.genesis.alloc.get(a.address.toLowerCase())?.balance ?? 0n;
      lines.push(`(${i}) ${toChecksumAddress(a.address)} (${balance / ONE} ${NATIVE_CURRENCY.symbol})`);
    });
    lines.push('', 'Private Keys', '==================');
    node.accounts.forEach((a, i) => {
      lines.push(`(${i}) ${bytesToHex(hexToBytes(a.privateKey as `0x${string}`))}`);
    });
    lines.push(
      '',
      'Wallet',
      '==================',
      `Mnemonic:          ${opts.mnemonic}`,
      `Derivation path:   ${DEV_DERIVATION_PATH}/`,
      '',
    );
  }
  const head = node.chain.head.header.number;
  lines.push(
    `Chain ID:          ${node.genesis.chainId}`,
    `Native currency:   ${NATIVE_CURRENCY.symbol} (${NATIVE_CURRENCY.decimals} decimals)`,
    `Block time:        ${opts.blockTime === 0 ? 'automine (a block as soon as transactions arrive)' : `${opts.blockTime}s`}`,
    `Data dir:          ${opts.dataDir} (${node.created ? 'new chain' : `continuing at block ${head}`})`,
    '',
    `Listening on ${node.rpc.url} (HTTP) and ${node.rpc.wsUrl} (WebSocket)`,
  );
  if (node.metricsUrl !== undefined) lines.push(`Metrics at ${node.metricsUrl}`);
  if (node.seeded !== undefined) {
    const s = node.seeded;
    lines.push(
      '',
      'Demo attribution graph (--seed-demo)',
      '==================',
      `${s.datanets} datanets, ${s.contributions} contributions, ${s.models} models (one a LoRA adapter trained by job 1),`,
      `${s.inferences} inferences with attributions. Try: cast rpc ol_getInference 1 --rpc-url ${node.rpc.url}`,
    );
  }
  lines.push('');
  return lines.join('\n');
}

async function runDevnet(argv: string[]): Promise<number> {
  const parsed = parseDevnetArgs(argv, process.env);
  if (parsed.help) {
    process.stdout.write(`${devnetHelp()}\n`);
    return 0;
  }
  const opts = parsed.options;
  const logger = createLogger({
    level: opts.logLevel,
    format: opts.logFormat ?? (process.stderr.isTTY ? 'pretty' : 'json'),
  });
  const node = await startDevnet(opts, logger);
  process.stdout.write(`${banner(opts, node)}\n`);
  return new Promise<number>((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        process.stderr.write(`${signal} again: exiting without waiting\n`);
        process.exit(1);
      }
      stopping = true;
      logger.info({ signal }, 'shutting down');
      node.stop().then(
        () => resolve(0),
        (err) => {
          logger.error({ err }, 'error while shutting down');
          resolve(1);
        },
      );
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'devnet':
      return runDevnet(rest);
    case 'version':
    case '--version':
      process.stdout.write(`${VERSION}\n`);
      return 0;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`unknown command ${JSON.stringify(command)}\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    if (err instanceof ConfigError) process.stderr.write(`error: ${err.message}\n`);
    else process.stderr.write(`fatal: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
