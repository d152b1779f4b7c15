// viem against a devnet process: transfers, a contract, logs, reverts, fees and blocks
// (watching events and blocks: viem-events.test.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEV_ACCOUNTS, type DevnetHandle } from '@openledger/test-utils';
import {
  type Address,
  BaseError,
  ContractFunctionRevertedError,
  erc20Abi,
  type Hash,
  type Hex,
  keccak256,
  numberToHex,
  parseAbiItem,
  parseEther,
  toRlp,
  zeroAddress,
} from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { devAccount } from './support/accounts.js';
import { BLOCK_GAS_LIMIT, DEV_ACCOUNT_BALANCE, DEVNET_CHAIN_ID } from './support/chain.js';
import { rpcResult } from './support/json-rpc.js';
import { testToken } from './support/token.js';
import {
  mined as minedWith,
  SUPPLY,
  sendTokens as sendWith,
  type ViemClients,
  withViemDevnet,
} from './support/viem-clients.js';

const TEST = { timeout: 30_000 };
const transferEvent = parseAbiItem('event Transfer(address indexed from, address indexed to, uint256 value)');
const alice = devAccount(0);
const bob = devAccount(1);
const frank = devAccount(5);

describe('viem', () => {
  let devnet: DevnetHandle | undefined;
  let c: ViemClients;
  const methods: string[] = [];
  const token = testToken();
  let tokenAddress: Address;
  let tokenBlock: bigint;
  const mined = (hash: Hash) => minedWith(c, hash);
  const sendTokens = (to: Address, value: bigint) => sendWith(c, tokenAddress, to, value);

  withViemDevnet(methods, async (clients, handle) => {
    c = clients;
    devnet = handle;
  });

  it('reports chain id 16120 (0x3ef8)', TEST, async () => {
    assert.equal(await c.publicClient.getChainId(), DEVNET_CHAIN_ID);
    assert.equal(await rpcResult(devnet!.rpcUrl, 'eth_chainId'), '0x3ef8');
  });

  it('funds the ten dev accounts with 10,000 OPEN', TEST, async () => {
    for (const { address } of DEV_ACCOUNTS) {
      assert.equal(await c.publicClient.getBalance({ address }), DEV_ACCOUNT_BALANCE, address);
    }
  });

  it('sends a transfer with automatic nonce, gas and fees', TEST, async () => {
    const to = privateKeyToAccount(generatePrivateKey()).address;
    const value = parseEther('1.5');
    const before = await c.publicClient.getBalance({ address: alice.address });
    const hash = await c.walletClient.sendTransaction({ to, value });
    const receipt = await mined(hash);

    assert.equal(receipt.gasUsed, 21_000n);
    assert.equal(receipt.from, alice.address.toLowerCase());
    assert.equal(receipt.to, to.toLowerCase());
    assert.equal(await c.publicClient.getBalance({ address: to }), value);
    const spent = before - (await c.publicClient.getBalance({ address: alice.address }));
    assert.equal(
      spent,
      value + receipt.gasUsed * receipt.effectiveGasPrice,
      'sender pays value + gasUsed * effectiveGasPrice',
    );

    const tx = await c.publicClient.getTransaction({ hash });
    assert.equal(tx.type, 'eip1559');
    assert.equal(tx.chainId, DEVNET_CHAIN_ID);
    assert.equal(tx.blockHash, receipt.blockHash);
    assert.equal(tx.value, value);
    const block = await c.publicClient.getBlock({ blockNumber: receipt.blockNumber });
    assert.ok(
      block.baseFeePerGas !== null && receipt.effectiveGasPrice >= block.baseFeePerGas,
      'pays at least the base fee',
    );
    assert.deepEqual(block.transactions, [hash], 'automine: one block per transaction');
    assert.equal(await c.publicClient.getTransactionCount({ address: alice.address }), 1);
  });

  it('estimates 21,000 gas for a plain transfer', TEST, async () => {
    const gas = await c.publicClient.estimateGas({ account: alice.address, to: bob.address, value: 1n });
    assert.equal(gas, 21_000n);
  });

  it('deploys the ERC-20 and reads it with readContract', TEST, async () => {
    const hash = await c.walletClient.deployContract({
      abi: token.abi,
      bytecode: token.bytecode,
      args: ['Test Token', 'TST', SUPPLY],
    });
    const receipt = await mined(hash);
    assert.ok(receipt.contractAddress, 'receipt has contractAddress');
    tokenAddress = receipt.contractAddress;
    tokenBlock = receipt.blockNumber;
    const code = await c.publicClient.getCode({ address: tokenAddress });
    assert.ok(code !== undefined && code.length > 2, 'code at the contract address');

    const read = <T>(functionName: 'name' | 'symbol' | 'decimals' | 'totalSupply') =>
      c.publicClient.readContract({ address: tokenAddress, abi: erc20Abi, functionName }) as Promise<T>;
    assert.equal(await read<string>('name'), 'Test Token');
    assert.equal(await read<string>('symbol'), 'TST');
    assert.equal(await read<number>('decimals'), 18);
    assert.equal(await read<bigint>('totalSupply'), SUPPLY);
    const balance = await c.publicClient.readContract({
      address: tokenAddress,
      abi: erc20Abi,
      functionName: 'balanceOf',
      args: [alice.address],
    });
    assert.equal(balance, SUPPLY);
  });

  it('transfers tokens and finds the Transfer logs with getLogs', TEST, async () => {
    const receipt = await sendTokens(bob.address, 1000n);
    assert.equal(receipt.logs.length, 1);
    const balance = await c.publicClient.readContract({
      address: tokenAddress,
      abi: erc20Abi,
      functionName: 'balanceOf',
      args: [bob.address],
    });
    assert.equal(balance, 1000n);

    const toBob = await c.publicClient.getLogs({
      address: tokenAddress,
      event: transferEvent,
      args: { to: bob.address },
      fromBlock: tokenBlock,
      toBlock: 'latest',
    });
    assert.equal(toBob.length, 1);
    const [log] = toBob as [(typeof toBob)[0]];
    assert.deepEqual(log.args, { from: alice.address, to: bob.address, value: 1000n });
    assert.equal(log.transactionHash, receipt.transactionHash);
    assert.equal(log.blockHash, receipt.blockHash);
    assert.equal(log.blockNumber, receipt.blockNumber);
    assert.equal(log.logIndex, 0);
    assert.equal(log.removed, false);

    const all = await c.publicClient.getLogs({ address: tokenAddress, event: transferEvent, fromBlock: 0n });
    assert.deepEqual(
      all.map((l) => l.args),
      [
        { from: zeroAddress, to: alice.address, value: SUPPLY },
        { from: alice.address, to: bob.address, value: 1000n },
      ],
    );
    const mints = await c.publicClient.getLogs({
      address: tokenAddress,
      event: transferEvent,
      args: { from: zeroAddress },
      fromBlock: 0n,
    });
    assert.equal(mints.length, 1, 'filter on the first indexed topic');
    const byHash = await c.publicClient.getLogs({ blockHash: receipt.blockHash });
    assert.equal(byHash.length, 1, 'getLogs by blockHash');
  });

  it('estimates gas for a token transfer', TEST, async () => {
    const gas = await c.publicClient.estimateContractGas({
      account: alice.address,
      address: tokenAddress,
      abi: erc20Abi,
      functionName: 'transfer',
      args: [bob.address, 1n],
    });
    assert.ok(gas > 21_000n && gas < 100_000n, `estimate ${gas}`);
    const receipt = await sendTokens(bob.address, 1n);
    assert.ok(receipt.gasUsed <= gas, `gasUsed ${receipt.gasUsed} <= estimate ${gas}`);
  });

  it('decodes reverts: custom error and require message (code 3 with data)', TEST, async () => {
    const revertOf = async (promise: Promise<unknown>) => {
      const err = await promise.then(
        () => assert.fail('call should revert'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof BaseError, String(err));
      const revert = err.walk((e) => e instanceof ContractFunctionRevertedError);
      assert.ok(revert instanceof ContractFunctionRevertedError, `no revert data in: ${err.message}`);
      return revert;
    };
    const custom = await revertOf(
      c.publicClient.simulateContract({
        account: frank.address,
        address: tokenAddress,
        abi: token.abi,
        functionName: 'transfer',
        args: [bob.address, 5n],
      }),
    );
    assert.equal(custom.data?.errorName, 'InsufficientBalance');
    assert.deepEqual(custom.data?.args, [frank.address, 0n, 5n]);

    const required = await revertOf(
      c.publicClient.simulateContract({
        account: alice.address,
        address: tokenAddress,
        abi: token.abi,
        functionName: 'transfer',
        args: [zeroAddress, 1n],
      }),
    );
    assert.equal(required.reason, 'ERC20: transfer to the zero address');

    await assert.rejects(
      c.publicClient.estimateContractGas({
        account: frank.address,
        address: tokenAddress,
        abi: token.abi,
        functionName: 'transfer',
        args: [bob.address, 5n],
      }),
      /InsufficientBalance/,
    );
  });

  it('getFeeHistory returns base fees, gas ratios and reward percentiles', TEST, async () => {
    const latest = await c.publicClient.getBlockNumber({ cacheTime: 0 });
    const history = await c.publicClient.getFeeHistory({ blockCount: 4, rewardPercentiles: [25, 75] });
    assert.equal(history.oldestBlock, latest - 3n);
    assert.equal(history.baseFeePerGas.length, 5, 'blockCount + 1 base fees');
    assert.equal(history.gasUsedRatio.length, 4);
    assert.equal(history.reward?.length, 4);
    for (let i = 0; i < 4; i++) {
      const block = await c.publicClient.getBlock({
        blockNumber: history.oldestBlock + BigInt(i),
        includeTransactions: true,
      });
      assert.equal(history.baseFeePerGas[i], block.baseFeePerGas, `base fee of block ${block.number}`);
      assert.ok(
        Math.abs((history.gasUsedRatio[i] ?? -1) - Number(block.gasUsed) / Number(block.gasLimit)) < 1e-9,
      );
      // Each block here holds one transaction, so every percentile is that transaction's effective tip.
      const [tx] = block.transactions;
      assert.ok(tx !== undefined && tx.maxFeePerGas !== undefined && tx.maxPriorityFeePerGas !== undefined);
      const baseFee = block.baseFeePerGas ?? 0n;
      const tip =
        tx.maxFeePerGas - baseFee < tx.maxPriorityFeePerGas
          ? tx.maxFeePerGas - baseFee
          : tx.maxPriorityFeePerGas;
      assert.deepEqual(history.reward?.[i], [tip, tip], `rewards of block ${block.number}`);
    }
    const next = history.baseFeePerGas[4];
    assert.ok(next !== undefined && next > 0n, 'base fee of the next block');
  });

  it('getBlock returns complete, consistent blocks whose hash matches their header', TEST, async () => {
    const block = await c.publicClient.getBlock({ blockTag: 'latest', includeTransactions: true });
    assert.ok(block.number !== null && block.number > 0n && block.hash !== null);
    const parent = await c.publicClient.getBlock({ blockNumber: block.number - 1n });
    assert.equal(block.parentHash, parent.hash);
    assert.ok(block.timestamp >= parent.timestamp);
    assert.equal(block.gasLimit, BLOCK_GAS_LIMIT);
    assert.equal(block.difficulty, 0n);
    assert.deepEqual(block.uncles, []);
    assert.match(block.logsBloom ?? '', /^0x[0-9a-f]{512}$/);
    assert.match(block.stateRoot, /^0x[0-9a-f]{64}$/);
    assert.match(block.miner, /^0x[0-9a-fA-F]{40}$/);
    assert.ok(block.size > 0n);
    assert.equal(block.transactions.length, 1);
    const [tx] = block.transactions;
    assert.equal(tx?.blockHash, block.hash);
    assert.equal(tx?.transactionIndex, 0);
    const receipt = await c.publicClient.getTransactionReceipt({ hash: tx.hash });
    assert.equal(block.gasUsed, receipt.gasUsed);

    const byHash = await c.publicClient.getBlock({ blockHash: block.hash, includeTransactions: true });
    assert.deepEqual(byHash, block);
    assert.equal(await c.publicClient.getBlockTransactionCount({ blockHash: block.hash }), 1);
    const genesis = await c.publicClient.getBlock({ blockNumber: 0n });
    assert.equal(genesis.parentHash, `0x${'00'.repeat(32)}`);

    for (const number of [0n, block.number]) {
      const raw = await rpcResult<Record<string, Hex | undefined>>(devnet!.rpcUrl, 'eth_getBlockByNumber', [
        numberToHex(number),
        false,
      ]);
      assert.equal(
        headerHash(raw),
        raw.hash,
        `keccak256(rlp(header)) of block ${number} from its JSON fields`,
      );
    }
  });
});

/** The block hash recomputed from the JSON-RPC header fields (London .. Prague layout). */
function headerHash(raw: Record<string, Hex | undefined>): Hex {
  const field = (name: string): Hex => {
    const value = raw[name];
    assert.ok(value !== undefined, `block field ${name} is missing`);
    return value;
  };
  const quantity = (name: string): Hex => {
    const value = BigInt(field(name));
    return value === 0n ? '0x' : numberToHex(value);
  };
  const fields: Hex[] = [
    field('parentHash'),
    field('sha3Uncles'),
    field('miner'),
    field('stateRoot'),
    field('transactionsRoot'),
    field('receiptsRoot'),
    field('logsBloom'),
    quantity('difficulty'),
    quantity('number'),
    quantity('gasLimit'),
    quantity('gasUsed'),
    quantity('timestamp'),
    field('extraData'),
    field('mixHash'),
    field('nonce'),
    quantity('baseFeePerGas'),
  ];
  // Later forks append fields; the node's JSON must carry every one its header has.
  if (raw.withdrawalsRoot !== undefined) fields.push(raw.withdrawalsRoot);
  if (raw.blobGasUsed !== undefined) fields.push(quantity('blobGasUsed'), quantity('excessBlobGas'));
  if (raw.parentBeaconBlockRoot !== undefined) fields.push(raw.parentBeaconBlockRoot);
  if (raw.requestsHash !== undefined) fields.push(raw.requestsHash);
  return keccak256(toRlp(fields));
}
