// The ol_ namespace against a devnet with a small attribution graph: records,
// listings, rewards and counts, and ol_getAttributionProof checked by an
// independent MPT verifier and an independent reading of the storage layout.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RLP } from '@ethereumjs/rlp';
import { keccak_256 } from '@noble/hashes/sha3.js';
import {
  datanetsAbi,
  inferencesAbi,
  modelsAbi,
  PRECOMPILES,
  signAttribution,
  TREASURY,
} from '@openledger/sdk';
import { DEV_ACCOUNTS, type DevnetHandle, startDevnet } from '@openledger/test-utils';
import {
  type Abi,
  createPublicClient,
  createWalletClient,
  encodeAbiParameters,
  type Hex,
  hexToBytes,
  http,
  keccak256,
  type PublicClient,
  parseEther,
  toHex,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { devnetChain, rpcRequest, rpcResult } from './support/devnet-client.js';
import { verifyMptProof } from './support/mpt-proof.js';

const account = (i: number) => privateKeyToAccount(DEV_ACCOUNTS[i]!.privateKey);
const [alice, bob, carol, eve, frank] = [account(0), account(1), account(2), account(4), account(5)];
/** Addresses as the RPC writes them: lower case, as eth_ methods do. */
const lower = (a: { address: string }) => a.address.toLowerCase();
const hash = (s: string) => keccak256(toHex(s));
const big = (bytes: Uint8Array) => (bytes.length === 0 ? 0n : BigInt(toHex(bytes)));
const PRICE = parseEther('0.5');

interface AttributionProof {
  kind: string;
  record: Record<string, unknown>;
  blockNumber: Hex;
  stateRoot: Hex;
  address: Hex;
  accountProof: Hex[];
  storageHash: Hex;
  storageProof: { key: Hex; value: Hex; proof: Hex[] }[];
}

describe('ol_ namespace', { timeout: 90_000 }, () => {
  let devnet: DevnetHandle;
  let pub: PublicClient;
  const rpc = <T>(method: string, params: unknown[] = []) => rpcResult<T>(devnet.rpcUrl, method, params);

  async function send(
    account: typeof alice,
    address: Hex,
    abi: Abi,
    functionName: string,
    args: unknown[],
    value = 0n,
  ) {
    const wallet = createWalletClient({
      account,
      chain: devnetChain(devnet.rpcUrl),
      transport: http(devnet.rpcUrl),
    });
    const txHash = await wallet.writeContract({ address, abi, functionName, args, value } as never);
    const receipt = await pub.waitForTransactionReceipt({ hash: txHash });
    assert.equal(receipt.status, 'success', `${functionName} failed`);
    return receipt;
  }

  before(async () => {
    devnet = await startDevnet({ blockTime: 0 });
    pub = createPublicClient({ chain: devnetChain(devnet.rpcUrl), transport: http(devnet.rpcUrl) });
    await send(alice, PRECOMPILES.datanets, datanetsAbi, 'createDatanet', [
      hash('med'),
      'ipfs://medical-qa',
      0,
    ]);
    const uri = `ipfs://${'long-uri-'.repeat(6)}`; // more than one 32-byte chunk
    await send(bob, PRECOMPILES.datanets, datanetsAbi, 'contribute', [1n, hash('bob'), 1_234n, uri]);
    await send(carol, PRECOMPILES.datanets, datanetsAbi, 'contribute', [1n, hash('carol'), 766n, 'ipfs://c']);
    await send(alice, PRECOMPILES.models, modelsAbi, 'registerModel', [
      {
        parentId: 0n,
        kind: 0,
        recipeHash: hash('recipe'),
        uri: 'ipfs://model',
        datanetIds: [1n],
        datanetWeights: [1_000_000],
        price: PRICE,
        ownerBps: 7_000,
        contributorsBps: 2_000,
        protocolBps: 1_000,
        operator: eve.address,
      },
    ]);
    const message = {
      modelId: 1n,
      caller: frank.address,
      inputHash: hash('q'),
      outputHash: hash('a'),
      contributionIds: [1n, 2n],
      weights: [700_000, 300_000],
      nonce: 1n,
      deadline: BigInt(Math.floor(Date.now() / 1000) + 3600),
    };
    const signature = await signAttribution(eve, 16120, message);
    await send(
      frank,
      PRECOMPILES.inferences,
      inferencesAbi,
      'recordInference',
      [{ ...message, signature }],
      PRICE,
    );
  });

  after(async () => {
    await devnet?.stop();
  });

  it('serves records with quantities in hex and enums by name', async () => {
    const d = await rpc<Record<string, unknown>>('ol_getDatanet', ['0x1']);
    assert.deepEqual(
      [d.id, d.owner, d.policy, d.status, d.acceptedSize, d.uri],
      ['0x1', lower(alice), 'open', 'active', '0x7d0', 'ipfs://medical-qa'],
    );
    const c = await rpc<Record<string, unknown>>('ol_getContribution', ['0x1']);
    assert.deepEqual(
      [c.contributor, c.status, c.size, c.attributionCount],
      [lower(bob), 'accepted', '0x4d2', '0x1'],
    );
    assert.equal(c.pendingTrainingReward, '0x0');
    const m = await rpc<Record<string, unknown>>('ol_getModel', [1]);
    assert.deepEqual(m.datanets, [{ datanetId: '0x1', weight: '0xf4240' }]);
    assert.deepEqual([m.kind, m.operator, m.price], ['model', lower(eve), toHex(PRICE)]);
    const inf = await rpc<Record<string, unknown>>('ol_getInference', ['0x1', 'latest']);
    assert.deepEqual(inf.attributions, [
      { contributionId: '0x1', weight: toHex(700_000) },
      { contributionId: '0x2', weight: toHex(300_000) },
    ]);
    assert.equal(inf.caller, lower(frank));
    assert.equal(await rpc('ol_getDatanet', ['0x99']), null, 'an unknown id is null');
    assert.equal(await rpc('ol_getInference', ['0x1', '0x1']), null, 'not yet at block 1');
  });

  it('pages listings and reports rewards and counts', async () => {
    assert.deepEqual(await rpc('ol_getDatanetContributions', ['0x1']), {
      total: '0x2',
      offset: '0x0',
      items: ['0x1', '0x2'],
    });
    assert.deepEqual(await rpc('ol_getDatanetContributions', ['0x1', { offset: 1, limit: 5 }]), {
      total: '0x2',
      offset: '0x1',
      items: ['0x2'],
    });
    assert.deepEqual(await rpc('ol_getModelInferences', ['0x1']), {
      total: '0x1',
      offset: '0x0',
      items: ['0x1'],
    });
    assert.deepEqual((await rpc<{ items: string[] }>('ol_getContributionAttributions', ['0x2'])).items, [
      '0x1',
    ]);
    const bobShare = (((PRICE * 2_000n) / 10_000n) * 700_000n) / 1_000_000n;
    assert.deepEqual(await rpc('ol_getRewards', [bob.address]), {
      account: lower(bob),
      claimable: toHex(bobShare),
    });
    const treasury = await rpc<{ claimable: Hex }>('ol_getRewards', [TREASURY]);
    assert.ok(BigInt(treasury.claimable) >= (PRICE * 1_000n) / 10_000n);
    assert.deepEqual(await rpc('ol_getCounts'), {
      datanet: '0x1',
      contribution: '0x2',
      model: '0x1',
      inference: '0x1',
      trainingJob: '0x0',
    });
    assert.equal((await rpc<Record<string, string>>('ol_precompiles')).inferences, PRECOMPILES.inferences);
  });

  it('answers bad parameters with -32602', async () => {
    const bad = async (method: string, params: unknown[]) =>
      (await rpcRequest(devnet.rpcUrl, method, params)).error?.code;
    assert.equal(await bad('ol_getDatanet', []), -32602);
    assert.equal(await bad('ol_getDatanet', ['banana']), -32602);
    assert.equal(await bad('ol_getAttributionProof', ['planet', '0x1']), -32602);
    assert.equal(await bad('ol_getDatanetContributions', ['0x1', { limit: 100_000 }]), -32602);
    assert.equal(await bad('ol_getRewards', ['0x1234']), -32602);
  });

  it('proves a contribution against the state root: its slots, read independently of the node', async () => {
    const proof = await rpc<AttributionProof>('ol_getAttributionProof', ['contribution', '0x1', 'latest']);
    const block = await rpc<{ stateRoot: Hex; number: Hex }>('eth_getBlockByNumber', ['latest', false]);
    assert.equal(proof.stateRoot, block.stateRoot);
    assert.equal(proof.address.toLowerCase(), PRECOMPILES.datanets.toLowerCase());
    // The account, under the block's state root.
    const leaf = verifyMptProof(
      hexToBytes(block.stateRoot),
      hexToBytes(proof.address),
      proof.accountProof.map((p) => hexToBytes(p)),
    );
    assert.ok(leaf);
    const storageRoot = (RLP.decode(leaf) as Uint8Array[])[2]!;
    assert.equal(toHex(storageRoot), proof.storageHash);
    // Every slot, under the account's storage root.
    const values = new Map<bigint, bigint>();
    for (const item of proof.storageProof) {
      const stored = verifyMptProof(
        storageRoot,
        hexToBytes(item.key),
        item.proof.map((p) => hexToBytes(p)),
      );
      const value = stored === undefined ? 0n : big(RLP.decode(stored) as Uint8Array);
      assert.equal(value, BigInt(item.value));
      values.set(BigInt(item.key), value);
    }
    // The layout (docs/attribution.md): base = keccak256(abi.encode(2, id)); fields packed from it.
    const base = BigInt(
      toHex(
        keccak_256(hexToBytes(encodeAbiParameters([{ type: 'uint256' }, { type: 'uint256' }], [2n, 1n]))),
      ),
    );
    const slot = (i: bigint) => {
      const v = values.get(base + i);
      assert.notEqual(v, undefined, `slot base+${i} is proven`);
      return v!;
    };
    const word0 = slot(0n);
    const word1 = slot(1n);
    assert.equal(toHex(word0 & ((1n << 160n) - 1n), { size: 20 }), bob.address.toLowerCase());
    assert.equal((word0 >> 160n) & 0xffn, 1n, 'accepted');
    assert.equal((word0 >> 168n) & ((1n << 64n) - 1n), 1n, 'datanet 1');
    assert.equal(word1 & ((1n << 64n) - 1n), 1_234n, 'size');
    assert.equal((word1 >> 64n) & ((1n << 64n) - 1n), 1n, 'attribution count');
    assert.equal(toHex(word1 >> 128n), proof.record.inferenceEarnings, 'earnings');
    assert.equal(toHex(slot(2n), { size: 32 }), hash('bob'), 'content hash');
    // The URI: its length at base + 4, its bytes in 32-byte chunks from keccak256(base + 4).
    const length = Number(slot(4n));
    const chunks = BigInt(toHex(keccak_256(hexToBytes(toHex(base + 4n, { size: 32 })))));
    let uri = '';
    for (let i = 0n; i * 32n < BigInt(length); i++)
      uri += Buffer.from(hexToBytes(toHex(values.get(chunks + i)!, { size: 32 }))).toString('latin1');
    assert.equal(uri.slice(0, length), proof.record.uri);
    assert.equal(proof.record.contributor, lower(bob));
  });
});
