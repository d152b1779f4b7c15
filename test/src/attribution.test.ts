// Proof of Attribution end to end: a Solidity app that calls the precompiles
// through the interfaces in packages/sdk/contracts (deployed and driven with
// viem), cast as a second client, and the ol_ namespace reading the result.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { inferencesAbi, PRECOMPILES, signAttribution } from '@openledger/sdk';
import {
  attributionInterfaceSources,
  compileSolidity,
  type DevnetHandle,
  startDevnet,
} from '@openledger/test-utils';
import {
  type Abi,
  createPublicClient,
  createWalletClient,
  decodeEventLog,
  type Hex,
  http,
  keccak256,
  type PublicClient,
  parseEther,
  toFunctionSelector,
  toHex,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { devAccount } from './support/accounts.js';
import { cast, castNumber, castOk } from './support/cast.js';
import { DEVNET_CHAIN_ID, devnetChain } from './support/chain.js';
import { rpcResult } from './support/json-rpc.js';

const APP = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {OpenLedger} from "./IOpenLedger.sol";
import {IDatanets} from "./IDatanets.sol";
import {IModels} from "./IModels.sol";
import {IInferences} from "./IInferences.sol";
import {IRewards} from "./IRewards.sol";

/// An app that owns a datanet and a model and records its users' inferences itself
/// (so it is the caller the operator signs for), then forwards its rewards.
contract AttributionApp {
    event Recorded(uint256 inferenceId, uint256 fee);

    function createDatanet(string calldata uri) external returns (uint256) {
        return IDatanets(OpenLedger.DATANETS).createDatanet(keccak256(bytes(uri)), uri, 0);
    }

    function ownerOf(uint256 datanetId) external view returns (address) {
        return IDatanets(OpenLedger.DATANETS).getDatanet(datanetId).owner;
    }

    function registerModel(IModels.ModelParams calldata params) external returns (uint256) {
        return IModels(OpenLedger.MODELS).registerModel(params);
    }

    function record(IInferences.InferenceRequest calldata request) external payable returns (uint256 id) {
        id = IInferences(OpenLedger.INFERENCES).recordInference{value: msg.value}(request);
        emit Recorded(id, msg.value);
    }

    /// The selector of the custom error recording failed with, or zero.
    function tryRecord(IInferences.InferenceRequest calldata request) external payable returns (bytes4 selector) {
        try IInferences(OpenLedger.INFERENCES).recordInference{value: msg.value}(request) returns (uint256) {
            return bytes4(0);
        } catch (bytes memory reason) {
            assembly { selector := mload(add(reason, 32)) }
        }
    }

    function weightTotal(uint256 inferenceId) external view returns (uint256 total) {
        uint32[] memory weights = IInferences(OpenLedger.INFERENCES).getInference(inferenceId).weights;
        for (uint256 i = 0; i < weights.length; i++) total += weights[i];
    }

    function claimTo(address payable to) external returns (uint256 amount) {
        amount = IRewards(OpenLedger.REWARDS).claim();
        (bool ok,) = to.call{value: amount}("");
        require(ok, "forward failed");
    }

    receive() external payable {}
}
`;

const alice = privateKeyToAccount(devAccount(0).privateKey);
const bob = devAccount(1);
const carol = privateKeyToAccount(devAccount(2).privateKey);
const operator = privateKeyToAccount(devAccount(4).privateKey);
const frank = privateKeyToAccount(devAccount(5).privateKey);
const PRICE = parseEther('0.1');
const hash = (s: string) => keccak256(toHex(s));

function compileApp(): { abi: Abi; bytecode: Hex } {
  const app = compileSolidity({ ...attributionInterfaceSources(), 'App.sol': APP }).AttributionApp;
  if (app === undefined) throw new Error('AttributionApp did not compile');
  return app;
}

describe('attribution precompiles from Solidity, viem and cast', { timeout: 120_000 }, () => {
  let devnet: DevnetHandle;
  let pub: PublicClient;
  let app: Hex;
  let abi: Abi;
  let rpc: string[];
  const chain = () => devnetChain(devnet);
  const write = async (account: typeof alice, functionName: string, args: unknown[], value = 0n) => {
    const wallet = createWalletClient({ account, chain: chain(), transport: http(devnet.rpcUrl) });
    const txHash = await wallet.writeContract({ address: app, abi, functionName, args, value } as never);
    return pub.waitForTransactionReceipt({ hash: txHash });
  };
  const read = (functionName: string, args: unknown[] = [], value = 0n) =>
    pub.simulateContract({ address: app, abi, functionName, args, value, account: frank } as never);
  const request = async (contributionIds: bigint[], weights: number[], nonce: bigint) => {
    const message = {
      modelId: 1n,
      caller: app,
      inputHash: hash('question'),
      outputHash: hash('answer'),
      contributionIds,
      weights,
      nonce,
      deadline: BigInt(Math.floor(Date.now() / 1000) + 3600),
    };
    return { ...message, signature: await signAttribution(operator, DEVNET_CHAIN_ID, message) };
  };

  before(async () => {
    devnet = await startDevnet({ blockTime: 0 });
    rpc = ['--rpc-url', devnet.rpcUrl];
    pub = createPublicClient({ chain: chain(), transport: http(devnet.rpcUrl) });
    const compiled = compileApp();
    abi = compiled.abi;
    const wallet = createWalletClient({ account: alice, chain: chain(), transport: http(devnet.rpcUrl) });
    const deployed = await pub.waitForTransactionReceipt({
      hash: await wallet.deployContract({ abi, bytecode: compiled.bytecode }),
    });
    app = deployed.contractAddress!;
  });

  after(async () => {
    await devnet?.stop();
  });

  it('a contract creates a datanet through IDatanets and owns it', async () => {
    assert.equal((await write(alice, 'createDatanet', ['ipfs://app-datanet'])).status, 'success');
    assert.equal(((await read('ownerOf', [1n])).result as string).toLowerCase(), app.toLowerCase());
    const datanet = await rpcResult<{ owner: string }>(devnet.rpcUrl, 'ol_getDatanet', ['0x1']);
    assert.equal(datanet.owner, app.toLowerCase());
  });

  it('cast contributes with a signature from the command line and reads counts back', async () => {
    for (const [size, uri] of [
      [1_000n, 'ipfs://bob-1'],
      [3_000n, 'ipfs://bob-2'],
    ] as const) {
      const out = await castOk([
        'send',
        PRECOMPILES.datanets,
        'contribute(uint256,bytes32,uint64,string)',
        '1',
        hash(uri),
        String(size),
        uri,
        '--private-key',
        bob.privateKey,
        '--json',
        ...rpc,
      ]);
      assert.equal(BigInt((JSON.parse(out) as { status: string }).status), 1n);
    }
    const count = await castOk(['call', PRECOMPILES.datanets, 'contributionCount()(uint256)', ...rpc]);
    assert.equal(castNumber(count), 2n);
    const refused = await cast([
      'send',
      PRECOMPILES.datanets,
      'createDatanet(bytes32,string,uint8)',
      hash('x'),
      'x',
      '7',
      '--private-key',
      bob.privateKey,
      ...rpc,
    ]);
    assert.notEqual(refused.code, 0, 'an invalid policy is refused');
    assert.match(refused.stderr, /revert/i);
    const viaRpc = JSON.parse(await castOk(['rpc', 'ol_getContribution', '2', ...rpc])) as { size: string };
    assert.equal(BigInt(viaRpc.size), 3_000n);
  });

  it('records an inference from the contract, attributed and paid, and surfaces custom errors to Solidity', async () => {
    const params = {
      parentId: 0n,
      kind: 0,
      recipeHash: hash('recipe'),
      uri: 'ipfs://app-model',
      datanetIds: [1n],
      datanetWeights: [1_000_000],
      price: PRICE,
      ownerBps: 8_000,
      contributorsBps: 1_500,
      protocolBps: 500,
      operator: operator.address,
    };
    assert.equal((await write(alice, 'registerModel', [params])).status, 'success');
    const receipt = await write(frank, 'record', [await request([1n, 2n], [250_000, 750_000], 1n)], PRICE);
    assert.equal(receipt.status, 'success');
    const recorded = receipt.logs
      .filter((l) => l.address.toLowerCase() === PRECOMPILES.inferences.toLowerCase())
      .map((l) => decodeEventLog({ abi: inferencesAbi, data: l.data, topics: l.topics }));
    assert.equal(recorded[0]?.eventName, 'InferenceRecorded');
    assert.deepEqual(
      recorded.slice(1).map((e) => e.eventName),
      ['Attributed', 'Attributed'],
    );
    const inference = await rpcResult<{ caller: string; fee: string }>(devnet.rpcUrl, 'ol_getInference', [
      '0x1',
    ]);
    assert.equal(inference.caller, app.toLowerCase(), 'the contract is the caller');
    assert.equal(BigInt(inference.fee), PRICE);
    assert.equal((await read('weightTotal', [1n])).result, 1_000_000n);

    const bad = await read('tryRecord', [await request([1n, 2n], [250_000, 700_000], 2n)], PRICE);
    assert.equal(bad.result, toFunctionSelector('WeightsDoNotSum(uint256)'));
    const replay = await read('tryRecord', [await request([1n, 2n], [250_000, 750_000], 1n)], PRICE);
    assert.equal(replay.result, toFunctionSelector('NonceUsed(address,uint256)'));
  });

  it('the contract claims its owner share and forwards it', async () => {
    const ownerShare = (PRICE * 8_000n) / 10_000n;
    const before = await pub.getBalance({ address: carol.address });
    assert.equal((await write(alice, 'claimTo', [carol.address])).status, 'success');
    assert.equal(await pub.getBalance({ address: carol.address }), before + ownerShare);
    const rewards = await rpcResult<{ claimable: string }>(devnet.rpcUrl, 'ol_getRewards', [app]);
    assert.equal(BigInt(rewards.claimable), 0n);
  });
});
