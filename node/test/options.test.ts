import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, DEV_MNEMONIC } from '@openledger/core';
import { devnetHelp, envName, parseDevnetArgs } from '../src/options.js';

const parse = (argv: string[], env: NodeJS.ProcessEnv = {}) => {
  const parsed = parseDevnetArgs(argv, env);
  assert.equal(parsed.help, false);
  return (parsed as Extract<typeof parsed, { help: false }>).options;
};

describe('devnet options', () => {
  it('defaults to what the README says', () => {
    const o = parse([]);
    assert.equal(o.rpcHost, '127.0.0.1');
    assert.equal(o.rpcPort, 8545);
    assert.equal(o.blockTime, 2);
    assert.equal(o.dataDir, resolve('.openledger/devnet'));
    assert.equal(o.chainId, undefined);
    assert.equal(o.accounts, 10);
    assert.equal(o.balance, 10_000n);
    assert.equal(o.mnemonic, DEV_MNEMONIC);
    assert.deepEqual(o.rpcCors, ['*']);
    assert.deepEqual(o.rpcApi, [
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
    ]);
    assert.equal(o.reset, false);
    assert.equal(o.logLevel, 'info');
  });

  it('has geth and reth limits by default and reads durations', () => {
    const l = parse([]).rpcLimits;
    assert.equal(l.gasCap, 50_000_000n);
    assert.equal(l.evmTimeoutMs, 5_000);
    assert.equal(l.maxBatch, 1_000);
    assert.equal(l.maxBodyBytes, 5 * 1024 * 1024);
    assert.equal(l.maxLogs, 20_000);
    assert.equal(l.maxLogsBlockRange, 10_000n);
    assert.equal(l.filterTimeoutMs, 5 * 60_000);
    const o = parse(['--rpc.evmtimeout', '250ms', '--rpc.filter-timeout', '2m', '--rpc.gascap', '0x1000']);
    assert.equal(o.rpcLimits.evmTimeoutMs, 250);
    assert.equal(o.rpcLimits.filterTimeoutMs, 120_000);
    assert.equal(o.rpcLimits.gasCap, 4096n);
    assert.equal(parse(['--rpc.evmtimeout', '0']).rpcLimits.evmTimeoutMs, 0);
    assert.equal(parse([], { OPENLEDGER_RPC_EVMTIMEOUT: '1.5' }).rpcLimits.evmTimeoutMs, 1_500);
    assert.throws(() => parse(['--rpc.evmtimeout', 'soon']), /invalid --rpc.evmtimeout "soon"/);
    assert.throws(() => parse(['--rpc.batch-request-limit', '0']), /expected 1 to/);
  });

  it('reads every flag, and its environment variable when the flag is absent', () => {
    const o = parse(['--rpc.port', '9545', '--block-time', '0', '--reset', '--chain-id', '777'], {
      OPENLEDGER_RPC_PORT: '1111',
      OPENLEDGER_ACCOUNTS: '3',
      OPENLEDGER_LOG_LEVEL: 'warn',
      OPENLEDGER_DB_SYNC: '1',
    });
    assert.equal(o.rpcPort, 9545, 'the flag wins over the environment');
    assert.equal(o.blockTime, 0);
    assert.equal(o.reset, true);
    assert.equal(o.chainId, 777n);
    assert.equal(o.accounts, 3);
    assert.equal(o.logLevel, 'warn');
    assert.equal(o.dbSync, true);
    assert.equal(envName('rpc.port'), 'OPENLEDGER_RPC_PORT');
    assert.equal(envName('block-time'), 'OPENLEDGER_BLOCK_TIME');
  });

  it('refuses bad values with the flag named', () => {
    const bad: [string[], RegExp][] = [
      [['--rpc.port', '70000'], /--rpc.port/],
      [['--rpc.port', 'abc'], /--rpc.port/],
      [['--block-time', '-1'], /--block-time/],
      [['--chain-id', '0'], /--chain-id/],
      [['--log-level', 'loud'], /--log-level/],
      [['--accounts', '1.5'], /--accounts/],
      [['--no-such-flag'], /no-such-flag/],
      [['--rpc.api', 'eth,admin'], /unknown namespace admin/],
    ];
    for (const [argv, message] of bad) {
      assert.throws(
        () => parseDevnetArgs(argv, {}),
        (err) => err instanceof ConfigError && message.test(err.message),
        argv.join(' '),
      );
    }
  });

  it('has help that lists every flag with its environment variable', () => {
    assert.deepEqual(parseDevnetArgs(['--help'], {}), { help: true });
    const help = devnetHelp();
    for (const flag of [
      '--rpc.host',
      '--rpc.port',
      '--block-time',
      '--data-dir',
      '--chain-id',
      '--genesis',
      '--reset',
    ]) {
      assert.ok(help.includes(flag), flag);
    }
    assert.ok(help.includes('OPENLEDGER_DATA_DIR'));
  });
});
