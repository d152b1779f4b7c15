// ethers v6 against a devnet process: Wallet, ContractFactory, event queries, fee data and WebSocket blocks.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type DevnetHandle, startDevnet } from '@openledger/test-utils';
import {
  type Contract,
  ContractFactory,
  type EventLog,
  type InterfaceAbi,
  isCallException,
  JsonRpcProvider,
  parseEther,
  Wallet,
  WebSocketProvider,
  ZeroAddress,
} from 'ethers';
import { devAccount } from './support/accounts.js';
import { DEV_ACCOUNT_BALANCE, DEVNET_CHAIN_ID } from './support/chain.js';
import { START_TIMEOUT, STOP_TIMEOUT, stopTestDevnet } from './support/devnet.js';
import { testToken } from './support/token.js';
import { waitUntil, withTimeout } from './support/wait.js';

const WAIT = 15_000;
const TEST = { timeout: 30_000 };
const alice = devAccount(0);
const bob = devAccount(1);
const carol = devAccount(2);
const judy = devAccount(9);

describe('ethers v6', () => {
  let devnet: DevnetHandle | undefined;
  let provider: JsonRpcProvider;
  let wsProvider: WebSocketProvider | undefined;
  let wallet: Wallet;
  let token: Contract;
  let tokenBlock: number;

  before(
    async () => {
      devnet = await startDevnet({ blockTime: 0 });
      // cacheTimeout -1: ethers otherwise caches identical reads for 250 ms and can reuse a nonce.
      provider = new JsonRpcProvider(devnet.rpcUrl, undefined, { cacheTimeout: -1, pollingInterval: 100 });
      wallet = new Wallet(alice.privateKey, provider);
    },
    { timeout: START_TIMEOUT },
  );

  after(
    async () => {
      provider?.destroy();
      await wsProvider?.destroy();
      await stopTestDevnet(devnet);
    },
    { timeout: STOP_TIMEOUT },
  );

  it('detects the network and reads balances', TEST, async () => {
    const network = await provider.getNetwork();
    assert.equal(network.chainId, BigInt(DEVNET_CHAIN_ID));
    assert.equal(await provider.getBalance(bob.address), DEV_ACCOUNT_BALANCE);
  });

  it('sends a transfer from a Wallet', TEST, async () => {
    const to = Wallet.createRandom().address;
    const tx = await wallet.sendTransaction({ to, value: parseEther('2') });
    const receipt = await tx.wait(1, WAIT);
    assert.ok(receipt !== null);
    assert.equal(receipt.status, 1);
    assert.equal(receipt.hash, tx.hash);
    assert.equal(tx.type, 2);
    assert.equal(await provider.getBalance(to), parseEther('2'));
    const fetched = await provider.getTransaction(tx.hash);
    assert.equal(fetched?.blockHash, receipt.blockHash);
    assert.equal(fetched?.from, alice.address);
  });

  it('sends back-to-back transactions without reusing a nonce', TEST, async () => {
    const start = await provider.getTransactionCount(alice.address, 'pending');
    const receipts = [];
    for (let i = 0; i < 5; i++) {
      const tx = await wallet.sendTransaction({ to: carol.address, value: 1n });
      assert.equal(tx.nonce, start + i);
      receipts.push(tx.wait(1, WAIT));
    }
    for (const receipt of await Promise.all(receipts)) assert.equal(receipt?.status, 1);
    assert.equal(await provider.getTransactionCount(alice.address, 'latest'), start + 5);
  });

  it('getFeeData returns gas price and EIP-1559 fees', TEST, async () => {
    const fees = await provider.getFeeData();
    const block = await provider.getBlock('latest');
    assert.ok(block?.baseFeePerGas != null && block.baseFeePerGas > 0n, 'latest block has a base fee');
    assert.ok(fees.gasPrice !== null && fees.gasPrice >= block.baseFeePerGas, `gasPrice ${fees.gasPrice}`);
    assert.ok(fees.maxPriorityFeePerGas !== null, 'maxPriorityFeePerGas');
    assert.ok(
      fees.maxFeePerGas !== null && fees.maxFeePerGas >= block.baseFeePerGas + fees.maxPriorityFeePerGas,
    );
  });

  it('deploys the ERC-20 with ContractFactory and calls it', TEST, async () => {
    const { abi, bytecode } = testToken();
    // viem's Abi type marks optional fields `?: T | undefined`, which ethers' JsonFragment rejects under
    // exactOptionalPropertyTypes; the JSON is the same.
    const factory = new ContractFactory(abi as unknown as InterfaceAbi, bytecode, wallet);
    const deployed = await factory.deploy('Ethers Token', 'ETK', 1_000_000n);
    await withTimeout(deployed.waitForDeployment(), WAIT, 'waitForDeployment');
    const receipt = await deployed.deploymentTransaction()?.wait(1, WAIT);
    assert.equal(receipt?.status, 1);
    assert.equal(receipt?.contractAddress, await deployed.getAddress());
    tokenBlock = receipt?.blockNumber ?? 0;
    token = deployed as unknown as Contract;

    assert.equal(await token.getFunction('symbol')(), 'ETK');
    const tx = await token.getFunction('transfer')(bob.address, 500n);
    assert.equal((await tx.wait(1, WAIT))?.status, 1);
    assert.equal(await token.getFunction('balanceOf')(bob.address), 500n);
  });

  it('queries Transfer events with queryFilter', TEST, async () => {
    const all = (await token.queryFilter(token.filters.Transfer!(), tokenBlock, 'latest')) as EventLog[];
    assert.deepEqual(
      all.map((e) => [e.eventName, e.args.getValue('from'), e.args.getValue('to'), e.args.getValue('value')]),
      [
        ['Transfer', ZeroAddress, alice.address, 1_000_000n],
        ['Transfer', alice.address, bob.address, 500n],
      ],
    );
    const toBob = await token.queryFilter(token.filters.Transfer!(null, bob.address), 0, 'latest');
    assert.equal(toBob.length, 1);
    const toCarol = await token.queryFilter(token.filters.Transfer!(null, carol.address), 0, 'latest');
    assert.equal(toCarol.length, 0);
  });

  it('surfaces reverts as CALL_EXCEPTION with reason and custom error', TEST, async () => {
    const reason = await token
      .getFunction('transfer')
      .staticCall(ZeroAddress, 1n)
      .then(
        () => assert.fail('should revert'),
        (e: unknown) => e,
      );
    assert.ok(isCallException(reason), String(reason));
    assert.equal(reason.reason, 'ERC20: transfer to the zero address');

    const poor = token.connect(new Wallet(judy.privateKey, provider)) as Contract;
    const custom = await poor
      .getFunction('transfer')
      .staticCall(bob.address, 5n)
      .then(
        () => assert.fail('should revert'),
        (e: unknown) => e,
      );
    assert.ok(isCallException(custom), String(custom));
    assert.equal(custom.revert?.name, 'InsufficientBalance');
    assert.deepEqual([...(custom.revert?.args ?? [])], [judy.address, 0n, 5n]);
  });

  it('reads state at a block given by hash', TEST, async () => {
    const receipt = await (await wallet.sendTransaction({ to: carol.address, value: 3n })).wait(1, WAIT);
    assert.ok(receipt !== null);
    const atBlock = await provider.getBalance(carol.address, receipt.blockNumber);
    // ethers passes a 32-byte block tag as a plain hash string, as geth's BlockNumberOrHash accepts.
    assert.equal(await provider.getBalance(carol.address, receipt.blockHash), atBlock);
    assert.equal(
      await provider.getTransactionCount(alice.address, receipt.blockHash),
      await provider.getTransactionCount(alice.address, receipt.blockNumber),
    );
  });

  it('WebSocketProvider emits block events for new blocks', TEST, async () => {
    wsProvider = new WebSocketProvider(devnet!.wsUrl);
    const ws = wsProvider;
    assert.equal(
      (await withTimeout(ws.getNetwork(), WAIT, 'ws getNetwork')).chainId,
      BigInt(DEVNET_CHAIN_ID),
    );
    const seen: number[] = [];
    await ws.on('block', (n: number) => seen.push(n));
    // ethers sends eth_subscribe without waiting for its answer; a request behind it on the same socket
    // comes back after the node has handled the subscription.
    await withTimeout(ws.send('eth_blockNumber', []), WAIT, 'ws eth_blockNumber');
    const tx = await wallet.sendTransaction({ to: bob.address, value: 1n });
    const receipt = await tx.wait(1, WAIT);
    assert.ok(receipt !== null);
    await waitUntil(() => seen.includes(receipt.blockNumber), {
      timeoutMs: WAIT,
      what: `a 'block' event for ${receipt.blockNumber} (seen ${seen.join(',')})`,
    });
    const block = await ws.getBlock(receipt.blockNumber);
    assert.equal(block?.hash, receipt.blockHash);
    await ws.off('block');
    // off() sends eth_unsubscribe without awaiting it; let it complete before destroy() would cancel it.
    await withTimeout(ws.send('eth_blockNumber', []), WAIT, 'ws eth_blockNumber after off');
  });
});
