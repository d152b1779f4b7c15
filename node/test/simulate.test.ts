// eth_simulateV1 against a devnet: blocks chained on the head with state
// carried between them, the spec's error codes, ether transfers traced as
// logs, and viem's simulateBlocks as a client; and the chain never changes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { compileSolidity, DEV_ACCOUNTS, type DevnetHandle, startDevnet } from '@openledger/test-utils';
import {
  type Abi,
  type Address,
  createPublicClient,
  createWalletClient,
  decodeFunctionResult,
  encodeAbiParameters,
  encodeFunctionData,
  type Hex,
  http,
  keccak256,
  pad,
  parseEther,
  sha256,
  toHex,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { devnetChain, rpcRequest, rpcResult } from './support/devnet-client.js';

const PROBE_SOURCE = `
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Probe {
    event Stored(address indexed by, uint256 value);

    uint256 public stored;

    function store(uint256 value) external payable {
        stored = value;
        emit Stored(msg.sender, value);
    }

    function forward(address payable to) external payable {
        emit Stored(msg.sender, msg.value);
        to.transfer(msg.value);
    }

    function fail(string calldata reason) external pure {
        revert(reason);
    }

    function halt() external pure {
        assembly { invalid() }
    }

    function context() external view returns (uint256 number, uint256 time, uint256 baseFee, address coinbase, bytes32 parent) {
        return (block.number, block.timestamp, block.basefee, block.coinbase, blockhash(block.number - 1));
    }
}
`;

/** Addresses with no key and no history: each test gives them what it needs. */
const SENDER = '0x00000000000000000000000000000000005e4de4';
const RECIPIENT = '0x000000000000000000000000000000000000beef';
const ETHER = '0xeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee';
const TRANSFER_TOPIC = keccak256(toHex('Transfer(address,address,uint256)'));

interface SimLog {
  address: string;
  topics: string[];
  data: string;
  blockHash: string;
  blockNumber: string;
  transactionHash: string;
  transactionIndex: string;
  logIndex: string;
}

interface SimCall {
  returnData: Hex;
  logs: SimLog[];
  gasUsed: string;
  maxUsedGas: string;
  status: string;
  error?: { code: number; message: string; data?: string };
}

interface SimBlock {
  number: string;
  hash: string;
  parentHash: string;
  timestamp: string;
  baseFeePerGas: string;
  gasLimit: string;
  gasUsed: string;
  miner: string;
  transactions: (string | Record<string, string>)[];
  calls: SimCall[];
}

describe('eth_simulateV1', { timeout: 120_000 }, () => {
  let devnet: DevnetHandle;
  let probe: Address;
  let abi: Abi;
  const alice = privateKeyToAccount(DEV_ACCOUNTS[0]!.privateKey);
  const call = (method: string, params: unknown[] = []) => rpcRequest(devnet.rpcUrl, method, params);
  const simulate = async (payload: unknown, block: unknown = 'latest') =>
    rpcResult<SimBlock[]>(devnet.rpcUrl, 'eth_simulateV1', [payload, block]);
  const errorOf = async (payload: unknown, block: unknown = 'latest') => {
    const reply = await call('eth_simulateV1', [payload, block]);
    assert.ok(reply.error, `an error, got ${JSON.stringify(reply.result)?.slice(0, 200)}`);
    return reply.error;
  };
  const data = (functionName: string, args: unknown[] = []) =>
    encodeFunctionData({ abi, functionName, args });
  const rich = { [SENDER]: { balance: toHex(parseEther('10')) } };
  const head = async () =>
    await rpcResult<{ number: Hex; hash: Hex; timestamp: Hex }>(devnet.rpcUrl, 'eth_getBlockByNumber', [
      'latest',
      false,
    ]);

  before(async () => {
    devnet = await startDevnet({ blockTime: 0 });
    const compiled = compileSolidity({ 'Probe.sol': PROBE_SOURCE }).Probe!;
    abi = compiled.abi;
    const chain = devnetChain(devnet.rpcUrl);
    const wallet = createWalletClient({ account: alice, chain, transport: http(devnet.rpcUrl) });
    const pub = createPublicClient({ chain, transport: http(devnet.rpcUrl) });
    const hash = await wallet.deployContract({ abi, bytecode: compiled.bytecode });
    probe = (await pub.waitForTransactionReceipt({ hash })).contractAddress!;
  });

  after(async () => {
    await devnet?.stop();
  });

  it('chains blocks on the head, carries state between them, and keeps none of it', async () => {
    const before = await head();
    const blocks = await simulate({
      blockStateCalls: [
        {
          stateOverrides: rich,
          calls: [
            { from: SENDER, to: probe, input: data('store', [7n]) },
            { from: SENDER, to: RECIPIENT, value: toHex(parseEther('1')) },
          ],
        },
        {
          calls: [
            { from: SENDER, to: probe, input: data('stored') },
            { from: SENDER, to: probe, input: data('context') },
          ],
        },
      ],
      returnFullTransactions: true,
    });
    assert.equal(blocks.length, 2);
    const [first, second] = blocks as [SimBlock, SimBlock];
    assert.equal(BigInt(first.number), BigInt(before.number) + 1n);
    assert.equal(BigInt(second.number), BigInt(before.number) + 2n);
    assert.equal(first.parentHash, before.hash);
    assert.equal(second.parentHash, first.hash);
    assert.equal(BigInt(first.timestamp), BigInt(before.timestamp) + 12n);
    assert.equal(BigInt(second.timestamp), BigInt(first.timestamp) + 12n);
    assert.equal(first.baseFeePerGas, '0x0', 'no validation: no base fee');
    assert.equal(BigInt(first.gasUsed), BigInt(first.calls[0]!.gasUsed) + 21_000n);

    // The nonce goes up with each call, from block to block.
    const txs = [...first.transactions, ...second.transactions] as Record<string, string>[];
    assert.deepEqual(
      txs.map((tx) => tx.nonce),
      ['0x0', '0x1', '0x2', '0x3'],
    );
    assert.equal(txs[0]!.from, SENDER);
    assert.equal(txs[0]!.blockHash, first.hash);
    assert.equal(txs[1]!.transactionIndex, '0x1');
    assert.equal(txs[1]!.type, '0x2');

    // The log of store(7), placed in its simulated block.
    const [log] = first.calls[0]!.logs;
    assert.equal(log?.address, probe.toLowerCase());
    assert.deepEqual(log?.topics, [keccak256(toHex('Stored(address,uint256)')), pad(SENDER)]);
    assert.equal(log?.data, pad(toHex(7n)));
    assert.equal(log?.blockHash, first.hash);
    assert.equal(log?.blockNumber, first.number);
    assert.equal(log?.transactionHash, txs[0]!.hash);
    assert.equal(log?.logIndex, '0x0');

    // The next block sees what the first stored, and itself as the head of the chain.
    assert.equal(BigInt(second.calls[0]!.returnData), 7n);
    const context = decodeFunctionResult({
      abi,
      functionName: 'context',
      data: second.calls[1]!.returnData,
    }) as [bigint, bigint, bigint, Address, Hex];
    assert.equal(context[0], BigInt(second.number));
    assert.equal(context[1], BigInt(second.timestamp));
    assert.equal(context[4], first.hash, 'BLOCKHASH of the simulated parent');

    // Nothing happened on the chain.
    assert.equal((await head()).hash, before.hash);
    assert.equal((await call('eth_getBalance', [RECIPIENT, 'latest'])).result, '0x0');
    assert.equal((await call('eth_getTransactionCount', [SENDER, 'latest'])).result, '0x0');
    assert.equal(BigInt((await call('eth_call', [{ to: probe, data: data('stored') }])).result as Hex), 0n);
  });

  it('reports a revert (code 3, with its data) and a halt (-32015) in the call results', async () => {
    const [block] = await simulate({
      blockStateCalls: [
        {
          calls: [
            { from: SENDER, to: probe, input: data('fail', ['nope']) },
            // A halt burns all its gas: without a limit, all that is left of the block.
            { from: SENDER, to: probe, input: data('halt'), gas: toHex(100_000n) },
            { from: SENDER, to: probe, input: data('stored') },
          ],
        },
      ],
    });
    const [reverted, halted, fine] = block!.calls as [SimCall, SimCall, SimCall];
    assert.equal(reverted.status, '0x0');
    assert.equal(reverted.returnData, '0x');
    assert.deepEqual(reverted.logs, []);
    assert.equal(reverted.error?.code, 3);
    assert.equal(reverted.error?.message, 'execution reverted: nope');
    assert.equal(
      reverted.error?.data,
      `0x08c379a0${encodeAbiParameters([{ type: 'string' }], ['nope']).slice(2)}`,
    );
    assert.equal(halted.status, '0x0');
    assert.equal(halted.error?.code, -32015);
    assert.equal(halted.gasUsed, toHex(100_000n));
    assert.match(halted.error?.message ?? '', /^vm execution error: invalid opcode/);
    assert.equal(fine.status, '0x1');
    assert.ok(BigInt(reverted.maxUsedGas) >= BigInt(reverted.gasUsed));
  });

  it('traces ether transfers as ERC-7528 logs, inner ones and in order, and drops those that reverted', async () => {
    const value = toHex(1000n);
    const forward = { from: SENDER, to: probe, value, input: data('forward', [RECIPIENT]) };
    const transfer = (from: string, to: string) => ({
      address: ETHER,
      topics: [TRANSFER_TOPIC, pad(from as Hex).toLowerCase(), pad(to as Hex).toLowerCase()],
      data: pad(value),
    });
    const strip = (logs: SimLog[]) => logs.map(({ address, topics, data }) => ({ address, topics, data }));
    const [traced] = await simulate({
      blockStateCalls: [
        {
          stateOverrides: rich,
          // The second forwards to the probe itself, which takes no ether: it reverts, transfers and all.
          calls: [forward, { ...forward, input: data('forward', [probe]) }],
        },
      ],
      traceTransfers: true,
    });
    const [ok, failed] = traced!.calls as [SimCall, SimCall];
    assert.deepEqual(strip(ok.logs), [
      transfer(SENDER, probe),
      {
        address: probe.toLowerCase(),
        topics: [keccak256(toHex('Stored(address,uint256)')), pad(SENDER)],
        data: pad(value),
      },
      transfer(probe, RECIPIENT),
    ]);
    assert.deepEqual(
      ok.logs.map((l) => l.logIndex),
      ['0x0', '0x1', '0x2'],
    );
    assert.equal(failed.status, '0x0');
    assert.deepEqual(failed.logs, []);

    const [plain] = await simulate({ blockStateCalls: [{ stateOverrides: rich, calls: [forward] }] });
    assert.equal(plain!.calls[0]!.logs.length, 1, 'without traceTransfers, only the contract log');
  });

  it('validates as a block would when asked: fees, nonces, funds and gas, with the spec codes', async () => {
    const transfer = { from: SENDER, to: RECIPIENT, value: '0x1' };
    // A validated block has the chain's next base fee, which a call must pay.
    assert.equal(
      (await errorOf({ blockStateCalls: [{ stateOverrides: rich, calls: [transfer] }], validation: true }))
        .code,
      -38012,
    );
    const [validated] = await simulate({
      blockStateCalls: [
        {
          stateOverrides: rich,
          calls: [
            { ...transfer, maxFeePerGas: toHex(10n ** 10n), nonce: '0x0' },
            { ...transfer, maxFeePerGas: toHex(10n ** 10n) },
          ],
        },
      ],
      validation: true,
    });
    assert.ok(BigInt(validated!.baseFeePerGas) > 0n);
    assert.deepEqual(
      validated!.calls.map((c) => c.status),
      ['0x1', '0x1'],
    );
    const nonced = { [SENDER]: { balance: toHex(parseEther('1')), nonce: '0x5' } };
    const withNonce = (nonce: string) => ({
      blockStateCalls: [
        { stateOverrides: nonced, calls: [{ ...transfer, maxFeePerGas: toHex(10n ** 10n), nonce }] },
      ],
      validation: true,
    });
    assert.equal((await errorOf(withNonce('0x4'))).code, -38010);
    assert.equal((await errorOf(withNonce('0x6'))).code, -38011);
    // Without validation a nonce is not checked.
    assert.equal((await simulate({ ...withNonce('0x6'), validation: false }))[0]!.calls[0]!.status, '0x1');

    // Funds, intrinsic gas and the block's gas are checked with or without validation.
    const funds = await errorOf({ blockStateCalls: [{ calls: [transfer] }] });
    assert.equal(funds.code, -38014);
    assert.match(funds.message, /^insufficient funds for gas \* price \+ value/);
    assert.equal(
      (await errorOf({ blockStateCalls: [{ calls: [{ ...transfer, value: '0x0', gas: '0x0' }] }] })).code,
      -38013,
    );
    const full = await errorOf({
      blockStateCalls: [
        {
          blockOverrides: { gasLimit: toHex(30_000n) },
          stateOverrides: rich,
          calls: [
            { ...transfer, gas: toHex(21_000n) },
            { ...transfer, gas: toHex(21_000n) },
          ],
        },
      ],
    });
    assert.equal(full.code, -38015);
  });

  it('numbers blocks in order, fills gaps, and bounds the number of blocks', async () => {
    const { number, timestamp } = await head();
    const base = BigInt(number);
    const gapped = await simulate({
      blockStateCalls: [{ blockOverrides: { number: toHex(base + 4n) } }, {}],
    });
    assert.deepEqual(
      gapped.map((b) => BigInt(b.number) - base),
      [1n, 2n, 3n, 4n, 5n],
    );
    assert.deepEqual(
      gapped.map((b) => BigInt(b.timestamp) - BigInt(timestamp)),
      [12n, 24n, 36n, 48n, 60n],
    );
    const timed = await simulate({
      blockStateCalls: [{ blockOverrides: { time: toHex(BigInt(timestamp) + 1n) } }],
    });
    assert.equal(BigInt(timed[0]!.timestamp), BigInt(timestamp) + 1n);

    const backwards = await errorOf({
      blockStateCalls: [
        { blockOverrides: { number: toHex(base + 3n) } },
        { blockOverrides: { number: toHex(base + 2n) } },
      ],
    });
    assert.equal(backwards.code, -38020);
    assert.equal(backwards.message, `block numbers must be in order: ${base + 2n} <= ${base + 3n}`);
    const sameTime = { time: toHex(BigInt(timestamp) + 5n) };
    assert.equal(
      (await errorOf({ blockStateCalls: [{ blockOverrides: sameTime }, { blockOverrides: sameTime }] })).code,
      -38021,
    );
    assert.equal((await errorOf({ blockStateCalls: Array.from({ length: 257 }, () => ({})) })).code, -38026);
    assert.equal(
      (await errorOf({ blockStateCalls: [{ blockOverrides: { number: toHex(base + 257n) } }] })).code,
      -38026,
    );
    assert.equal(
      (await simulate({ blockStateCalls: [{ blockOverrides: { number: toHex(base + 256n) } }] })).length,
      256,
    );
  });

  it('answers -32602 for a malformed payload and -32000 for an unknown block', async () => {
    for (const payload of [
      {},
      { blockStateCalls: [] },
      { blockStateCalls: {} },
      { blockStateCalls: [{ calls: [{ from: 'nobody' }] }] },
      { blockStateCalls: [{ calls: {} }] },
      { blockStateCalls: [{ blockOverrides: { number: 'ten' } }] },
      { blockStateCalls: [{ extra: 1 }] },
      { blockStateCalls: [{}], validation: 'yes' },
      { blockStateCalls: [{ calls: [{ blobVersionedHashes: [pad('0x01')] }] }] },
    ]) {
      assert.equal((await errorOf(payload)).code, -32602, JSON.stringify(payload));
    }
    const unknown = await errorOf({ blockStateCalls: [{}] }, '0xffffff');
    assert.deepEqual(unknown, { code: -32000, message: 'header not found' });
  });

  it('moves a precompile to another address for its block (movePrecompileToAddress)', async () => {
    const moved = '0x0000000000000000000000000000000000123456';
    const sha = '0x0000000000000000000000000000000000000002';
    const [block] = await simulate({
      blockStateCalls: [
        {
          stateOverrides: { [sha]: { movePrecompileToAddress: moved } },
          calls: [
            { from: SENDER, to: moved, input: '0x1234' },
            { from: SENDER, to: sha, input: '0x1234' },
          ],
        },
      ],
    });
    assert.equal(block!.calls[0]!.returnData, sha256('0x1234'));
    assert.equal(block!.calls[1]!.returnData, '0x');
    const notPrecompile = await errorOf({
      blockStateCalls: [{ stateOverrides: { [RECIPIENT]: { movePrecompileToAddress: moved } } }],
    });
    assert.deepEqual(notPrecompile, { code: -32000, message: `account ${RECIPIENT} is not a precompile` });
  });

  it("serves viem's simulateBlocks", async () => {
    const client = createPublicClient({ chain: devnetChain(devnet.rpcUrl), transport: http(devnet.rpcUrl) });
    const blocks = await client.simulateBlocks({
      blocks: [
        {
          stateOverrides: [{ address: SENDER, balance: parseEther('1') }],
          calls: [
            { account: SENDER, to: probe, abi, functionName: 'store', args: [42n] },
            { account: SENDER, to: probe, abi, functionName: 'fail', args: ['no'] },
          ],
        },
        { calls: [{ account: SENDER, to: probe, abi, functionName: 'stored' }] },
      ],
      traceTransfers: true,
    });
    assert.equal(blocks.length, 2);
    const [stored, failed] = blocks[0]!.calls;
    assert.equal(stored?.status, 'success');
    assert.equal(stored?.logs?.[0]?.address, probe.toLowerCase());
    assert.equal(failed?.status, 'failure');
    assert.match(String(failed?.error), /no/);
    assert.equal(blocks[1]!.calls[0]?.result, 42n);
    assert.equal(blocks[1]!.parentHash, blocks[0]!.hash);
    assert.equal(await client.readContract({ address: probe, abi, functionName: 'stored' }), 0n);
  });
});
