// The attribution graph the unit tests start from, and the calls they make on it.
//   Datanet 1 (open): contributions 1 (bob, 1000 bytes), 2 (carol, 3000 bytes).
//   Datanet 2 (owner-approved): 3 (dave, accepted), 4 (dave, pending), 5 (bob, rejected).
//   Datanet 3 (open, bob's), not in the model: contribution 6 (carol).
//   Model 1 (alice's) on datanets 1 and 2, eve its operator; a Relay deployed by alice.
import assert from 'node:assert/strict';
import { datanetsAbi, inferencesAbi, modelsAbi, PRECOMPILES, signAttribution } from '@openledger/sdk';
import { type Hex, keccak256, parseEther, toHex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { Harness, RELAY_SOURCE, users } from './attribution-harness.js';
import { CHAIN_ID } from './helpers.js';

export const [alice, bob, carol, dave, eve, frank] = users as [
  (typeof users)[0],
  (typeof users)[0],
  (typeof users)[0],
  (typeof users)[0],
  (typeof users)[0],
  (typeof users)[0],
];
export const operator = privateKeyToAccount(eve.privateKey as Hex);
export const hash = (s: string) => keccak256(toHex(s));
export const PRICE = parseEther('0.01');

export class Graph {
  readonly h: Harness;
  readonly relay: Hex;
  private nonce = 0n;

  private constructor(h: Harness, relay: Hex) {
    this.h = h;
    this.relay = relay;
  }

  static async build(): Promise<Graph> {
    const h = await Harness.create();
    const g = new Graph(h, await h.deploy(alice, RELAY_SOURCE, 'Relay'));
    await g.seed();
    return g;
  }

  createDatanet(from = alice, policy = 0, uri = 'ipfs://datanet') {
    return this.h.write(from, PRECOMPILES.datanets, datanetsAbi, 'createDatanet', [hash(uri), uri, policy]);
  }

  contribute(from: typeof alice, datanetId: bigint, size: bigint, uri = 'ipfs://c') {
    const args = [datanetId, hash(uri + size), size, uri] as const;
    return this.h.write(from, PRECOMPILES.datanets, datanetsAbi, 'contribute', args);
  }

  modelParams(over: Partial<Record<string, unknown>> = {}) {
    return {
      parentId: 0n,
      kind: 0,
      recipeHash: hash('recipe'),
      uri: 'ipfs://model',
      datanetIds: [1n, 2n],
      datanetWeights: [600_000, 400_000],
      price: PRICE,
      ownerBps: 7_000,
      contributorsBps: 2_000,
      protocolBps: 1_000,
      operator: operator.address,
      ...over,
    };
  }

  register(from = alice, over: Partial<Record<string, unknown>> = {}) {
    return this.h.write(from, PRECOMPILES.models, modelsAbi, 'registerModel', [
      this.modelParams(over) as never,
    ]);
  }

  /** An inference request signed by `signer` for `caller`. */
  async request(
    caller: typeof alice,
    modelId: bigint,
    contributionIds: bigint[],
    weights: number[],
    opts: { nonce?: bigint; deadline?: bigint; signer?: ReturnType<typeof privateKeyToAccount> } = {},
  ) {
    const message = {
      modelId,
      caller: caller.address as Hex,
      inputHash: hash('prompt'),
      outputHash: hash('answer'),
      contributionIds,
      weights,
      nonce: opts.nonce ?? this.nonce++,
      deadline: opts.deadline ?? this.h.timestamp + 600n,
    };
    const signature = await signAttribution(opts.signer ?? operator, CHAIN_ID, message);
    return { ...message, signature };
  }
  infer(req: Awaited<ReturnType<Graph['request']>>, value = PRICE, gas?: bigint) {
    return this.h.write(frank, PRECOMPILES.inferences, inferencesAbi, 'recordInference', [req], value, gas);
  }

  private async seed(): Promise<void> {
    assert.ok((await this.createDatanet(alice, 0)).ok);
    assert.ok((await this.createDatanet(alice, 1)).ok);
    assert.ok((await this.createDatanet(bob, 0)).ok);
    for (const [who, id, size] of [
      [bob, 1n, 1_000n],
      [carol, 1n, 3_000n],
      [dave, 2n, 500n],
      [dave, 2n, 700n],
      [bob, 2n, 100n],
      [carol, 3n, 42n],
    ] as const) {
      assert.ok((await this.contribute(who, id, size)).ok);
    }
    const review = (id: bigint, accept: boolean) =>
      this.h.write(alice, PRECOMPILES.datanets, datanetsAbi, 'reviewContribution', [id, accept]);
    assert.ok((await review(3n, true)).ok);
    assert.ok((await review(5n, false)).ok);
    assert.ok((await this.register()).ok, 'model 1');
  }
}
