// Foundry's cast (the platform binary, whose exit code is trustworthy) against a devnet process.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type DevnetHandle, startDevnet } from '@openledger/test-utils';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { devAccount } from './support/accounts.js';
import { cast, castNumber, castOk } from './support/cast.js';
import { DEV_ACCOUNT_BALANCE, DEVNET_CHAIN_ID } from './support/chain.js';
import { START_TIMEOUT, STOP_TIMEOUT, stopTestDevnet } from './support/devnet.js';
import { testToken } from './support/token.js';

const TEST = { timeout: 60_000 };
const alice = devAccount(0);
const bob = devAccount(1);
const carol = devAccount(2);

interface CastReceipt {
  status: string;
  transactionHash: string;
  blockHash: string;
  blockNumber: string;
  from: string;
  contractAddress: string | null;
}

describe('cast', () => {
  let devnet: DevnetHandle | undefined;
  let rpc: string[];
  let token: string;

  before(
    async () => {
      devnet = await startDevnet({ blockTime: 0 });
      rpc = ['--rpc-url', devnet.rpcUrl];
    },
    { timeout: START_TIMEOUT },
  );

  after(() => stopTestDevnet(devnet), { timeout: STOP_TIMEOUT });

  it('chain-id prints 16120', TEST, async () => {
    assert.equal(await castOk(['chain-id', ...rpc]), String(DEVNET_CHAIN_ID));
  });

  it('balance prints a dev account balance in wei', TEST, async () => {
    assert.equal(castNumber(await castOk(['balance', carol.address, ...rpc])), DEV_ACCOUNT_BALANCE);
  });

  it('send --private-key transfers value and receipt shows it', TEST, async () => {
    const to = privateKeyToAccount(generatePrivateKey()).address;
    const out = await castOk([
      'send',
      to,
      '--value',
      '1ether',
      '--private-key',
      alice.privateKey,
      '--json',
      ...rpc,
    ]);
    const sent = JSON.parse(out) as CastReceipt;
    assert.equal(BigInt(sent.status), 1n);
    assert.equal(castNumber(await castOk(['balance', to, ...rpc])), 10n ** 18n);

    const receipt = JSON.parse(
      await castOk(['receipt', sent.transactionHash, '--json', ...rpc]),
    ) as CastReceipt;
    assert.equal(receipt.transactionHash, sent.transactionHash);
    assert.equal(receipt.blockHash, sent.blockHash);
    assert.equal(BigInt(receipt.status), 1n);
    assert.equal(receipt.from.toLowerCase(), alice.address.toLowerCase());
    assert.match(await castOk(['receipt', sent.transactionHash, 'status', ...rpc]), /^(1\b|true)/);
  });

  it('send --unlocked --from uses eth_sendTransaction for a dev account', TEST, async () => {
    const to = privateKeyToAccount(generatePrivateKey()).address;
    const out = await castOk([
      'send',
      to,
      '--value',
      '0.5ether',
      '--unlocked',
      '--from',
      bob.address,
      '--json',
      ...rpc,
    ]);
    const receipt = JSON.parse(out) as CastReceipt;
    assert.equal(BigInt(receipt.status), 1n);
    assert.equal(receipt.from.toLowerCase(), bob.address.toLowerCase());
    assert.equal(castNumber(await castOk(['balance', to, ...rpc])), 5n * 10n ** 17n);
  });

  it('send --create deploys the ERC-20; call reads balanceOf', TEST, async () => {
    const { bytecode } = testToken();
    const out = await castOk([
      'send',
      '--private-key',
      alice.privateKey,
      '--json',
      ...rpc,
      '--create',
      bytecode,
      'constructor(string,string,uint256)',
      'Cast Token',
      'CTK',
      '1000000',
    ]);
    const receipt = JSON.parse(out) as CastReceipt;
    assert.equal(BigInt(receipt.status), 1n);
    assert.ok(receipt.contractAddress, 'contractAddress in receipt');
    token = receipt.contractAddress;

    const balanceOf = (who: string) => castOk(['call', token, 'balanceOf(address)(uint256)', who, ...rpc]);
    assert.equal(castNumber(await balanceOf(alice.address)), 1_000_000n);
    await castOk([
      'send',
      token,
      'transfer(address,uint256)',
      carol.address,
      '250',
      '--private-key',
      alice.privateKey,
      ...rpc,
    ]);
    assert.equal(castNumber(await balanceOf(carol.address)), 250n);
    assert.equal(castNumber(await balanceOf(alice.address)), 999_750n);
  });

  it('call exits non-zero with the revert reason', TEST, async () => {
    const result = await cast([
      'call',
      token,
      'transfer(address,uint256)',
      '0x0000000000000000000000000000000000000000',
      '1',
      '--from',
      alice.address,
      ...rpc,
    ]);
    assert.notEqual(result.code, 0, result.stdout);
    assert.match(result.stderr, /ERC20: transfer to the zero address/);
  });

  it('send exits non-zero when the node rejects the transaction', TEST, async () => {
    const result = await cast([
      'send',
      bob.address,
      '--value',
      '1ether',
      '--private-key',
      generatePrivateKey(),
      ...rpc,
    ]);
    assert.notEqual(result.code, 0, result.stdout);
    assert.match(result.stderr, /insufficient funds/i);
  });
});
