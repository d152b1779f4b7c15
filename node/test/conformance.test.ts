// Every eth_/net_/web3_ method the node serves, called on a chain with real
// activity (every transaction type, a deployment, events, a revert), and each
// result validated against the method's result schema in the execution-apis
// OpenRPC document (test/fixtures/execution-apis, CC0).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { orderedTrieRoot } from '@openledger/execution';
import { compileTestToken, DEV_ACCOUNTS, type DevnetHandle, startDevnet } from '@openledger/test-utils';
import {
  type Address,
  bytesToHex,
  createPublicClient,
  createWalletClient,
  encodeFunctionData,
  type Hash,
  type Hex,
  hexToBytes,
  http,
  keccak256,
  parseGwei,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { devnetChain } from './support/devnet-client.js';
import { assertConforms, inSpec } from './support/spec.js';

describe('JSON-RPC results conform to the execution-apis schemas', { timeout: 120_000 }, () => {
  let devnet: DevnetHandle;
  let id = 0;
  const rpc = async (method: string, params: unknown[] = []): Promise<unknown> => {
    const res = await fetch(devnet.rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }),
    });
    const body = (await res.json()) as { result?: unknown; error?: { message: string } };
    if (body.error !== undefined) throw new Error(`${method}: ${body.error.message}`);
    return body.result;
  };
  const conforms = async (method: string, params: unknown[] = []) => {
    const result = await rpc(method, params);
    // An empty list matches both branches of the spec's oneOf (hashes or logs), so no schema can accept it.
    if (Array.isArray(result) && result.length === 0 && method === 'eth_getFilterChanges') return result;
    assertConforms(method, params, result);
    return result;
  };
  const alice = privateKeyToAccount(DEV_ACCOUNTS[0]!.privateKey);
  const bob = DEV_ACCOUNTS[1]!.address as Address;
  const hashes: Record<string, Hash> = {};
  let token: Address;
  let tokenAbi: ReturnType<typeof compileTestToken>['abi'];

  before(async () => {
    devnet = await startDevnet({ blockTime: 0 });
    const chain = devnetChain(devnet.rpcUrl);
    const pub = createPublicClient({ chain, transport: http(devnet.rpcUrl) });
    const wallet = createWalletClient({ account: alice, chain, transport: http(devnet.rpcUrl) });
    const erc20 = compileTestToken();
    tokenAbi = erc20.abi;
    hashes.deploy = await wallet.deployContract({
      abi: erc20.abi,
      bytecode: erc20.bytecode,
      args: ['Test', 'TST', 10n ** 24n],
    });
    const deployed = await pub.waitForTransactionReceipt({ hash: hashes.deploy });
    token = deployed.contractAddress!;
    const transfer = encodeFunctionData({ abi: erc20.abi, functionName: 'transfer', args: [bob, 5n] });
    hashes.legacy = await wallet.sendTransaction({
      to: bob,
      value: 1n,
      type: 'legacy',
      gasPrice: parseGwei('2'),
    });
    hashes.accessList = await wallet.sendTransaction({
      to: token,
      data: transfer,
      type: 'eip2930',
      gasPrice: parseGwei('2'),
      accessList: [{ address: token, storageKeys: [`0x${'00'.repeat(32)}`] }],
    });
    hashes.eip1559 = await wallet.sendTransaction({ to: token, data: transfer });
    // Too large a transfer: the transaction is included and reverts.
    hashes.reverted = await wallet.sendTransaction({
      to: token,
      data: encodeFunctionData({ abi: erc20.abi, functionName: 'transfer', args: [bob, 10n ** 30n] }),
      gas: 100_000n,
    });
    const authorization = await wallet.signAuthorization({ contractAddress: token, executor: 'self' });
    // Alice delegates her account to the token's code, then calls a view of it on herself.
    hashes.setCode = await wallet.sendTransaction({
      to: alice.address,
      data: encodeFunctionData({ abi: erc20.abi, functionName: 'balanceOf', args: [bob] }),
      authorizationList: [authorization],
      gas: 100_000n,
    });
    for (const hash of Object.values(hashes)) await pub.waitForTransactionReceipt({ hash });
  });

  after(async () => {
    await devnet?.stop();
  });

  it('web3_, net_ and chain methods', async () => {
    for (const method of [
      'web3_clientVersion',
      'net_version',
      'eth_chainId',
      'eth_blockNumber',
      'eth_syncing',
      'eth_accounts',
      'eth_coinbase',
    ]) {
      if (inSpec(method)) await conforms(method);
    }
    assert.equal(
      await rpc('web3_sha3', ['0x68656c6c6f']),
      '0x1c8aff950685c2ed4bc3174f3472287b56d9517b9c948127319a09a7a36deac8',
    );
    await conforms('eth_capabilities');
    await conforms('debug_getBadBlocks');
    await conforms('eth_sign', [alice.address, '0x1234']);
    await conforms('eth_signTransaction', [{ from: alice.address, to: bob, value: '0x1', gas: '0x5208' }]);
    assert.equal(await rpc('net_listening'), true);
    assert.equal(await rpc('net_peerCount'), '0x0');
  });

  it('blocks, by number, hash and tag, with and without transactions', async () => {
    for (const tag of ['earliest', 'latest', 'safe', 'finalized', 'pending', '0x1']) {
      await conforms('eth_getBlockByNumber', [tag, false]);
      await conforms('eth_getBlockByNumber', [tag, true]);
    }
    const latest = (await rpc('eth_getBlockByNumber', ['latest', false])) as { hash: string };
    await conforms('eth_getBlockByHash', [latest.hash, true]);
    await conforms('eth_getBlockTransactionCountByNumber', ['latest']);
    await conforms('eth_getBlockTransactionCountByHash', [latest.hash]);
    assert.equal(await rpc('eth_getBlockByNumber', ['0xffffff', false]), null);
  });

  it('every transaction type, its receipt, and block receipts', async () => {
    for (const [kind, hash] of Object.entries(hashes)) {
      const tx = (await conforms('eth_getTransactionByHash', [hash])) as {
        blockHash: string;
        blockNumber: string;
        transactionIndex: string;
        type: string;
      };
      const receipt = (await conforms('eth_getTransactionReceipt', [hash])) as {
        status: string;
        type: string;
      };
      assert.equal(receipt.type, tx.type, kind);
      assert.equal(receipt.status, kind === 'reverted' ? '0x0' : '0x1', kind);
      await conforms('eth_getTransactionByBlockHashAndIndex', [tx.blockHash, tx.transactionIndex]);
      await conforms('eth_getTransactionByBlockNumberAndIndex', [tx.blockNumber, tx.transactionIndex]);
      await conforms('eth_getBlockReceipts', [tx.blockNumber]);
    }
    const types = await Promise.all(
      Object.values(hashes).map(
        async (h) => ((await rpc('eth_getTransactionByHash', [h])) as { type: string }).type,
      ),
    );
    assert.deepEqual([...new Set(types)].sort(), ['0x0', '0x1', '0x2', '0x4']);
    assert.equal(await rpc('eth_getTransactionReceipt', [`0x${'ab'.repeat(32)}`]), null);
  });

  it('raw encodings hash to what the chain says', async () => {
    for (const [kind, hash] of Object.entries(hashes)) {
      const raw = (await conforms('debug_getRawTransaction', [hash])) as Hex;
      assert.equal(keccak256(raw), hash, kind);
      const tx = (await rpc('eth_getTransactionByHash', [hash])) as { blockNumber: string };
      const block = (await rpc('eth_getBlockByNumber', [tx.blockNumber, false])) as {
        hash: string;
        receiptsRoot: string;
      };
      assert.equal(keccak256((await conforms('debug_getRawHeader', [tx.blockNumber])) as Hex), block.hash);
      await conforms('debug_getRawBlock', [tx.blockNumber]);
      const receipts = (await conforms('debug_getRawReceipts', [tx.blockNumber])) as Hex[];
      assert.equal(
        bytesToHex(orderedTrieRoot(receipts.map((r) => hexToBytes(r)))),
        block.receiptsRoot,
        `receipts root of ${kind}'s block`,
      );
    }
    assert.equal(await rpc('eth_getUncleByBlockNumberAndIndex', ['latest', '0x0']), null);
  });

  it('state reads at tags, numbers and EIP-1898 block objects', async () => {
    const latest = (await rpc('eth_getBlockByNumber', ['latest', false])) as { hash: string; number: string };
    for (const block of [
      'latest',
      'pending',
      'earliest',
      latest.number,
      { blockHash: latest.hash },
      { blockNumber: latest.number },
    ]) {
      await conforms('eth_getBalance', [alice.address, block]);
      await conforms('eth_getTransactionCount', [alice.address, block]);
      await conforms('eth_getCode', [token, block]);
      await conforms('eth_getStorageAt', [token, '0x0', block]);
    }
    await conforms('eth_getProof', [token, ['0x0', `0x${'01'.repeat(32)}`], 'latest']);
    await conforms('eth_getProof', [`0x${'00'.repeat(19)}ee`, ['0x0'], latest.number]);
    // The set-code transaction delegated Alice's account: EIP-7702's designator is her code.
    assert.equal(
      await rpc('eth_getCode', [alice.address, 'latest']),
      `0xef0100${token.slice(2).toLowerCase()}`,
    );
  });

  it('calls, gas estimates and fees', async () => {
    const data = encodeFunctionData({ abi: tokenAbi, functionName: 'balanceOf', args: [bob] });
    const balance = await conforms('eth_call', [{ to: token, data }, 'latest']);
    assert.equal(BigInt(balance as string), 10n);
    const transfer = encodeFunctionData({ abi: tokenAbi, functionName: 'transfer', args: [bob, 1n] });
    const gas = BigInt(
      (await conforms('eth_estimateGas', [
        { from: DEV_ACCOUNTS[2]!.address, to: bob, value: '0x1' },
      ])) as string,
    );
    assert.equal(gas, 21_000n);
    await conforms('eth_estimateGas', [{ from: alice.address, to: token, data: transfer }]);
    await conforms('eth_gasPrice');
    await conforms('eth_maxPriorityFeePerGas');
    await conforms('eth_blobBaseFee');
    const history = (await conforms('eth_feeHistory', ['0x4', 'latest', [25, 75]])) as {
      reward: string[][];
      baseFeePerGas: string[];
    };
    assert.equal(history.reward.length, 4);
    assert.equal(history.baseFeePerGas.length, 5);
  });

  it('access lists, storage values and the base fee', async () => {
    const transfer = encodeFunctionData({ abi: tokenAbi, functionName: 'transfer', args: [bob, 1n] });
    const created = (await conforms('eth_createAccessList', [
      { from: alice.address, to: token, data: transfer },
      'latest',
    ])) as {
      accessList: { address: string; storageKeys: string[] }[];
      gasUsed: string;
      error?: string;
    };
    assert.equal(created.error, undefined);
    const entry = created.accessList.find((i) => i.address.toLowerCase() === token.toLowerCase());
    assert.equal(entry?.storageKeys.length, 2, "the sender's and the recipient's balance slots");
    assert.equal(
      created.accessList.some((i) => i.address.toLowerCase() === alice.address.toLowerCase()),
      false,
      'never the sender',
    );
    const plain = BigInt(
      (await rpc('eth_estimateGas', [{ from: alice.address, to: token, data: transfer }])) as string,
    );
    // Listing the (already warm) token costs 2,400 more than the slots save: within a few thousand of plain.
    assert.ok(BigInt(created.gasUsed) > 21_000n && BigInt(created.gasUsed) <= plain + 5_000n);
    const tooMuch = encodeFunctionData({ abi: tokenAbi, functionName: 'transfer', args: [bob, 10n ** 30n] });
    const reverted = (await conforms('eth_createAccessList', [
      { from: alice.address, to: token, data: tooMuch },
    ])) as { error?: string };
    assert.equal(reverted.error, 'execution reverted');

    // totalSupply sits in slot 2 (name, symbol, totalSupply).
    const values = (await conforms('eth_getStorageValues', [
      { [token]: ['0x2', '0x99'] },
      'latest',
    ])) as Record<string, string[]>;
    assert.deepEqual(values[token], [
      `0x${(10n ** 24n).toString(16).padStart(64, '0')}`,
      `0x${'00'.repeat(32)}`,
    ]);
    const empty = await fetch(devnet.rpcUrl, {
      method: 'POST',
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_getStorageValues', params: [{}, 'latest'] }),
    });
    assert.equal(((await empty.json()) as { error: { code: number } }).error.code, -32602);
    const baseFee = await conforms('eth_baseFee');
    const latest = (await rpc('eth_getBlockByNumber', ['latest', false])) as { baseFeePerGas: string };
    assert.ok(BigInt(baseFee as string) <= BigInt(latest.baseFeePerGas) * 2n);
  });

  it('simulated blocks', async () => {
    const transfer = encodeFunctionData({ abi: tokenAbi, functionName: 'transfer', args: [bob, 1n] });
    const tooMuch = encodeFunctionData({ abi: tokenAbi, functionName: 'transfer', args: [bob, 10n ** 30n] });
    const halting = `0x${'00'.repeat(19)}fe`;
    for (const returnFullTransactions of [false, true]) {
      // A call with a log, a revert, a halt; then a paid transfer, traced as a log.
      const blocks = (await conforms('eth_simulateV1', [
        {
          blockStateCalls: [
            {
              stateOverrides: { [halting]: { code: '0xfe' } },
              calls: [
                { from: alice.address, to: token, data: transfer },
                { from: alice.address, to: token, data: tooMuch },
                { from: alice.address, to: halting },
              ],
            },
            {
              blockOverrides: { baseFeePerGas: '0x1' },
              calls: [{ from: bob, to: DEV_ACCOUNTS[3]!.address, value: '0x1', maxFeePerGas: '0x3b9aca00' }],
            },
          ],
          traceTransfers: true,
          returnFullTransactions,
        },
        'latest',
      ])) as { calls: { status: string; logs: unknown[] }[] }[];
      assert.deepEqual(
        blocks.flatMap((b) => b.calls.map((c) => [c.status, c.logs.length])),
        [
          ['0x1', 1],
          ['0x0', 0],
          ['0x0', 0],
          ['0x1', 1],
        ],
      );
    }
  });

  it('logs and filters', async () => {
    const logs = (await conforms('eth_getLogs', [
      { fromBlock: '0x0', toBlock: 'latest', address: token },
    ])) as unknown[];
    assert.ok(logs.length >= 3, 'mint and two transfers');
    const filter = await conforms('eth_newFilter', [{ fromBlock: '0x0', address: token }]);
    await conforms('eth_getFilterLogs', [filter]);
    await conforms('eth_getFilterChanges', [filter]);
    const blocks = await conforms('eth_newBlockFilter');
    await conforms('eth_getFilterChanges', [blocks]);
    await conforms('eth_newPendingTransactionFilter');
    await conforms('eth_uninstallFilter', [filter]);
  });
});
