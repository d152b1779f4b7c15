// The SDK's actions against a real devnet process: the whole attribution flow through viem, and its refusals.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEV_ACCOUNTS, type DevnetHandle, startDevnet } from '@openledger/test-utils';
import {
  type Address,
  BaseError,
  ContractFunctionRevertedError,
  createPublicClient,
  createTestClient,
  createWalletClient,
  domainSeparator,
  type Hash,
  http,
  keccak256,
  parseEther,
  toHex,
  zeroAddress,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import {
  contribute,
  createDatanet,
  getContribution,
  getContributionCount,
  getDatanet,
  getDatanetCount,
  listContributions,
  reviewContribution,
  setDatanetStatus,
} from '../src/actions/datanets.js';
import {
  getAttributionDomainSeparator,
  getInference,
  getInferenceCount,
  isNonceUsed,
  listAttributions,
  recordInference,
} from '../src/actions/inferences.js';
import {
  getModel,
  getModelCount,
  listInferences,
  registerModel,
  setModelOperator,
  setModelPrice,
  setModelStatus,
} from '../src/actions/models.js';
import { type RecordKind, waitForAttributionReceipt, waitForRecord } from '../src/actions/receipt.js';
import {
  claimRewards,
  getPendingTrainingReward,
  getRewards,
  settleContributions,
} from '../src/actions/rewards.js';
import {
  acceptTraining,
  cancelTraining,
  completeTraining,
  getTrainingJob,
  getTrainingJobCount,
  refundExpiredTraining,
  requestTraining,
} from '../src/actions/training.js';
import { CONTRIBUTION_STATUS, JOB_STATUS, MODEL_KIND, TREASURY } from '../src/addresses.js';
import { buildAttributedInference } from '../src/attribution.js';
import { openLedgerDevnet } from '../src/chains.js';
import { attributionDomain } from '../src/eip712.js';
import { decodeOpenLedgerError } from '../src/errors.js';
import { normalizeWeights } from '../src/weights.js';

const hash = (s: string) => keccak256(toHex(s));
const PRICE = parseEther('0.01');
const BUDGET = parseEther('3');
const operator = privateKeyToAccount(DEV_ACCOUNTS[4]!.privateKey);
const newOperator = privateKeyToAccount(DEV_ACCOUNTS[6]!.privateKey);

describe('SDK actions on a devnet', () => {
  let devnet: DevnetHandle;
  let pub: ReturnType<typeof publicClient>;
  let alice: ReturnType<typeof wallet>; // datanet and model owner
  let bob: ReturnType<typeof wallet>; // contributor
  let carol: ReturnType<typeof wallet>; // contributor
  let dave: ReturnType<typeof wallet>; // contributor and trainer
  let frank: ReturnType<typeof wallet>; // runs inferences, requests training
  const ids = {
    d1: 0n,
    d2: 0n,
    c1: 0n,
    c2: 0n,
    c3: 0n,
    c4: 0n,
    model: 0n,
    inference: 0n,
    job: 0n,
    adapter: 0n,
  };

  const publicClient = (url: string) =>
    createPublicClient({ chain: openLedgerDevnet, transport: http(url), pollingInterval: 50 });
  const wallet = (url: string, i: number) =>
    createWalletClient({
      chain: openLedgerDevnet,
      transport: http(url),
      account: privateKeyToAccount(DEV_ACCOUNTS[i]!.privateKey),
    });
  const created = async (record: RecordKind, sent: Promise<Hash>) =>
    (await waitForRecord(pub, { hash: await sent, record })).id;
  const mined = async (sent: Promise<Hash>) => await waitForAttributionReceipt(pub, { hash: await sent });
  /** The custom error a refused call surfaces through viem, and the same through decodeOpenLedgerError. */
  const refusal = async (call: Promise<unknown>) => {
    const err = await call.then(
      () => assert.fail('expected a refusal'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof BaseError, String(err));
    const reverted = err.walk((e) => e instanceof ContractFunctionRevertedError);
    assert.ok(reverted instanceof ContractFunctionRevertedError, err.message);
    const decoded = decodeOpenLedgerError(err);
    assert.equal(decoded?.errorName, reverted.data?.errorName);
    assert.deepEqual(decoded?.args ?? [], reverted.data?.args ?? []);
    return { name: reverted.data?.errorName, args: reverted.data?.args };
  };
  const now = async () => (await pub.getBlock()).timestamp;

  before(async () => {
    devnet = await startDevnet({ blockTime: 0 });
    pub = publicClient(devnet.rpcUrl);
    [alice, bob, carol, dave, frank] = [0, 1, 2, 3, 5].map((i) => wallet(devnet.rpcUrl, i)) as [
      typeof alice,
      typeof alice,
      typeof alice,
      typeof alice,
      typeof alice,
    ];
  });
  after(async () => {
    await devnet?.stop();
  });

  it('creates datanets, takes contributions and reviews them', async () => {
    ids.d1 = await created(
      'datanet',
      createDatanet(alice, { metadataHash: hash('d1'), uri: 'ipfs://d1', policy: 'open' }),
    );
    ids.d2 = await created(
      'datanet',
      createDatanet(alice, { metadataHash: hash('d2'), uri: 'ipfs://d2', policy: 'ownerApproved' }),
    );
    assert.deepEqual([ids.d1, ids.d2], [1n, 2n]);
    const give = (who: typeof bob, datanetId: bigint, size: bigint, uri: string) =>
      created('contribution', contribute(who, { datanetId, contentHash: hash(uri), size, uri }));
    ids.c1 = await give(bob, ids.d1, 1_000n, 'ipfs://c1');
    ids.c2 = await give(carol, ids.d1, 3_000n, 'ipfs://c2');
    ids.c3 = await give(dave, ids.d2, 500n, 'ipfs://c3');
    ids.c4 = await give(bob, ids.d2, 100n, 'ipfs://c4');
    assert.equal(
      (await getContribution(pub, { contributionId: ids.c3 })).status,
      CONTRIBUTION_STATUS.pending,
    );
    await mined(reviewContribution(alice, { contributionId: ids.c3, accept: true }));
    await mined(reviewContribution(alice, { contributionId: ids.c4, accept: false }));

    const c = (contributionId: bigint) => getContribution(pub, { contributionId });
    assert.equal((await c(ids.c1)).status, CONTRIBUTION_STATUS.accepted, 'open datanet: accepted at once');
    assert.equal((await c(ids.c3)).status, CONTRIBUTION_STATUS.accepted);
    assert.equal((await c(ids.c4)).status, CONTRIBUTION_STATUS.rejected);
    assert.equal((await c(ids.c2)).contributor, carol.account.address);
    const d2 = await getDatanet(pub, { datanetId: ids.d2 });
    assert.deepEqual(
      [d2.owner, d2.policy, d2.contributionCount, d2.acceptedCount, d2.acceptedSize],
      [alice.account.address, 1, 2n, 1n, 500n],
    );
    assert.equal(d2.uri, 'ipfs://d2');
    assert.equal(
      (await refusal(reviewContribution(bob, { contributionId: ids.c4, accept: true }))).name,
      'NotDatanetOwner',
    );
  });

  it('registers a model with its datanets sorted ascending', async () => {
    ids.model = await created(
      'model',
      registerModel(alice, {
        recipeHash: hash('recipe'),
        uri: 'ipfs://model',
        datanets: [
          { id: ids.d2, weight: 400_000 },
          { id: ids.d1, weight: 600_000 },
        ],
        price: PRICE,
        ownerBps: 7_000,
        contributorsBps: 2_000,
        protocolBps: 1_000,
        operator: operator.address,
      }),
    );
    const m = await getModel(pub, { modelId: ids.model });
    assert.deepEqual(
      [m.owner, m.operator, m.price, m.kind],
      [alice.account.address, operator.address, PRICE, MODEL_KIND.model],
    );
    assert.deepEqual(
      [m.datanetIds, m.datanetWeights],
      [
        [ids.d1, ids.d2],
        [600_000, 400_000],
      ],
    );
  });

  it('records an inference with operator-signed attributions and splits its fee', async () => {
    const rewardsOf = (account: Address) => getRewards(pub, { account });
    const accounts = [alice, bob, carol, dave].map((w) => w.account.address);
    const before = await Promise.all([...accounts, TREASURY].map(rewardsOf));
    const attributions = normalizeWeights([
      { id: ids.c3, score: 2 },
      { id: ids.c1, score: 1 },
      { id: ids.c2, score: 1 },
    ]);
    assert.deepEqual(
      attributions.map((a) => a.weight),
      [250_000, 250_000, 500_000],
    );
    const request = await buildAttributedInference({
      operator,
      chainId: openLedgerDevnet.id,
      caller: frank.account.address,
      modelId: ids.model,
      inputHash: hash('prompt'),
      outputHash: hash('answer'),
      attributions,
    });
    const fee = PRICE + 7n; // odd, so that rounding shows
    const { id, events } = await waitForRecord(pub, {
      hash: await recordInference(frank, { request, fee }),
      record: 'inference',
    });
    ids.inference = id;
    const attributed = events.filter((e) => e.eventName === 'Attributed');
    assert.equal(attributed.length, 3);

    const owner = (fee * 7_000n) / 10_000n;
    const contributors = (fee * 2_000n) / 10_000n;
    const share = (w: bigint) => (contributors * w) / 1_000_000n;
    const afterwards = await Promise.all([...accounts, TREASURY].map(rewardsOf));
    const delta = afterwards.map((v, i) => v - before[i]!);
    const expected = [owner, share(250_000n), share(250_000n), share(500_000n)];
    assert.deepEqual(delta.slice(0, 4), expected);
    assert.equal(delta[4], fee - expected.reduce((a, b) => a + b, 0n), 'protocol share and remainders');

    const inference = await getInference(pub, { inferenceId: id });
    assert.deepEqual(
      [inference.caller, inference.modelId, inference.fee, inference.contributionIds, inference.weights],
      [frank.account.address, ids.model, fee, [ids.c1, ids.c2, ids.c3], [250_000, 250_000, 500_000]],
    );
    assert.deepEqual(await listInferences(pub, { modelId: ids.model }), [id]);
    assert.deepEqual(await listAttributions(pub, { contributionId: ids.c3 }), [id]);
    assert.equal(await isNonceUsed(pub, { operator: operator.address, nonce: request.nonce }), true);
    assert.equal((await getContribution(pub, { contributionId: ids.c3 })).inferenceEarnings, share(500_000n));
    assert.equal(
      await getAttributionDomainSeparator(pub),
      domainSeparator({ domain: attributionDomain(openLedgerDevnet.id) }),
    );
  });

  it('surfaces refusals as the custom error, through viem and decodeOpenLedgerError', async () => {
    const sign = (attributions: { id: bigint; weight: number }[], signer = operator) =>
      buildAttributedInference({
        operator: signer,
        chainId: openLedgerDevnet.id,
        caller: frank.account.address,
        modelId: ids.model,
        inputHash: hash('p'),
        outputHash: hash('a'),
        attributions,
      });
    const short = await sign([
      { id: ids.c1, weight: 500_000 },
      { id: ids.c2, weight: 499_999 },
    ]);
    assert.deepEqual(await refusal(recordInference(frank, { request: short, fee: PRICE })), {
      name: 'WeightsDoNotSum',
      args: [999_999n],
    });
    const forged = await sign([{ id: ids.c1, weight: 1_000_000 }], newOperator);
    assert.deepEqual(await refusal(recordInference(frank, { request: forged, fee: PRICE })), {
      name: 'InvalidSignature',
      args: [newOperator.address, operator.address],
    });
    const good = await sign([{ id: ids.c1, weight: 1_000_000 }]);
    assert.equal(
      (await refusal(recordInference(frank, { request: good, fee: PRICE - 1n }))).name,
      'InsufficientFee',
    );
    assert.equal(
      (await refusal(recordInference(bob, { request: good, fee: PRICE }))).name,
      'InvalidSignature',
      'signed for frank',
    );
    const rejected = await sign([{ id: ids.c4, weight: 1_000_000 }]);
    assert.equal(
      (await refusal(recordInference(frank, { request: rejected, fee: PRICE }))).name,
      'ContributionNotAccepted',
    );
    assert.deepEqual(await refusal(getDatanet(pub, { datanetId: 99n })), {
      name: 'UnknownDatanet',
      args: [99n],
    });
  });

  it('updates a model: price, operator, status', async () => {
    const modelId = ids.model;
    await mined(setModelPrice(alice, { modelId, price: PRICE * 2n }));
    await mined(setModelOperator(alice, { modelId, operator: newOperator.address }));
    const m = await getModel(pub, { modelId });
    assert.deepEqual([m.price, m.operator], [PRICE * 2n, newOperator.address]);
    assert.equal((await refusal(setModelPrice(bob, { modelId, price: 1n }))).name, 'NotModelOwner');
    assert.equal(
      (await refusal(setModelOperator(alice, { modelId, operator: zeroAddress }))).name,
      'ZeroOperator',
    );
    await mined(setModelStatus(alice, { modelId, status: 'retired' }));
    const request = await buildAttributedInference({
      operator: newOperator,
      chainId: openLedgerDevnet.id,
      caller: frank.account.address,
      modelId,
      inputHash: hash('p'),
      outputHash: hash('a'),
      attributions: [{ id: ids.c1, weight: 1_000_000 }],
    });
    assert.equal((await refusal(recordInference(frank, { request, fee: PRICE * 2n }))).name, 'ModelRetired');
    await mined(setModelStatus(alice, { modelId, status: 'active' }));
    await mined(recordInference(frank, { request, fee: PRICE * 2n }));
  });

  it('trains a LoRA adapter: request, accept, complete; settles and claims the rewards', async () => {
    const deadline = (await now()) + 3_600n;
    ids.job = await created(
      'trainingJob',
      requestTraining(frank, {
        baseModelId: ids.model,
        kind: 'lora',
        recipeHash: hash('lora'),
        datanets: [
          { id: ids.d1, weight: 750_000 },
          { id: ids.d2, weight: 250_000 },
        ],
        deadline,
        trainerBps: 6_000,
        contributorsBps: 3_500,
        budget: BUDGET,
      }),
    );
    await mined(acceptTraining(dave, { jobId: ids.job }));
    const completion = {
      jobId: ids.job,
      uri: 'ipfs://adapter',
      price: PRICE,
      ownerBps: 7_000,
      contributorsBps: 2_000,
      protocolBps: 1_000,
      operator: operator.address,
    };
    assert.equal((await refusal(completeTraining(frank, completion))).name, 'NotTrainer');
    assert.equal(
      (await refusal(completeTraining(dave, { ...completion, operator: zeroAddress }))).name,
      'ZeroOperator',
      "registerModel's error, through Training",
    );
    const daveBefore = await getRewards(pub, { account: dave.account.address });
    const { id: adapter, events } = await waitForRecord(pub, {
      hash: await completeTraining(dave, completion),
      record: 'model',
    });
    ids.adapter = adapter;
    const done = events.find((e) => e.eventName === 'TrainingCompleted');
    assert.ok(done?.eventName === 'TrainingCompleted');
    const trainer = (BUDGET * 6_000n) / 10_000n;
    assert.equal(done.args.trainerAmount, trainer);
    assert.equal((await getRewards(pub, { account: dave.account.address })) - daveBefore, trainer);

    const job = await getTrainingJob(pub, { jobId: ids.job });
    assert.deepEqual(
      [job.status, job.modelId, job.trainer, job.budget],
      [JOB_STATUS.completed, adapter, dave.account.address, BUDGET],
    );
    const m = await getModel(pub, { modelId: adapter });
    assert.deepEqual(
      [m.kind, m.parentId, m.owner, m.trainingJobId],
      [MODEL_KIND.lora, ids.model, frank.account.address, ids.job],
    );

    const contributors = (BUDGET * 3_500n) / 10_000n;
    const perByte1 = (contributors * 750_000n) / 1_000_000n / 4_000n;
    const perByte2 = (contributors * 250_000n) / 1_000_000n / 500n;
    const pending = (contributionId: bigint) => getPendingTrainingReward(pub, { contributionId });
    assert.deepEqual(await Promise.all([ids.c1, ids.c2, ids.c3, ids.c4].map(pending)), [
      1_000n * perByte1,
      3_000n * perByte1,
      500n * perByte2,
      0n,
    ]);

    const bobBefore = await getRewards(pub, { account: bob.account.address });
    const settled = await mined(settleContributions(alice, { contributionIds: [ids.c1, ids.c2, ids.c3] }));
    assert.equal(settled.events.filter((e) => e.eventName === 'ContributionSettled').length, 3);
    assert.equal(await pending(ids.c1), 0n);
    const bobRewards = await getRewards(pub, { account: bob.account.address });
    assert.equal(bobRewards - bobBefore, 1_000n * perByte1);

    const balance = await pub.getBalance({ address: bob.account.address });
    const claim = await mined(claimRewards(bob));
    const claimed = claim.events.find((e) => e.eventName === 'Claimed');
    assert.ok(claimed?.eventName === 'Claimed');
    assert.equal(claimed.args.amount, bobRewards);
    const gas = claim.receipt.gasUsed * claim.receipt.effectiveGasPrice;
    assert.equal(await pub.getBalance({ address: bob.account.address }), balance + bobRewards - gas);
    assert.equal(await getRewards(pub, { account: bob.account.address }), 0n);
    assert.equal((await refusal(claimRewards(bob))).name, 'NothingToClaim');
  });

  it('closes a datanet, cancels a job and refunds an expired one', async () => {
    await mined(setDatanetStatus(alice, { datanetId: ids.d1, status: 'closed' }));
    const closed = contribute(bob, { datanetId: ids.d1, contentHash: hash('late'), size: 1n, uri: 'late' });
    assert.equal((await refusal(closed)).name, 'DatanetClosed');

    const request = async (deadline: bigint) =>
      created(
        'trainingJob',
        requestTraining(frank, {
          baseModelId: ids.model,
          kind: 'model',
          recipeHash: hash('full'),
          datanets: [{ id: ids.d2, weight: 1_000_000 }],
          deadline,
          trainerBps: 5_000,
          contributorsBps: 4_500,
          budget: BUDGET,
        }),
      );
    const cancelled = await request((await now()) + 600n);
    const before = await pub.getBalance({ address: frank.account.address });
    const cancel = await mined(cancelTraining(frank, { jobId: cancelled }));
    const gas = cancel.receipt.gasUsed * cancel.receipt.effectiveGasPrice;
    assert.equal(await pub.getBalance({ address: frank.account.address }), before + BUDGET - gas);

    const expiring = await request((await now()) + 100n);
    await mined(acceptTraining(dave, { jobId: expiring }));
    assert.equal((await refusal(refundExpiredTraining(alice, { jobId: expiring }))).name, 'JobNotExpired');
    const test = createTestClient({ chain: openLedgerDevnet, mode: 'anvil', transport: http(devnet.rpcUrl) });
    await test.increaseTime({ seconds: 200 });
    await test.mine({ blocks: 1 });
    const held = await pub.getBalance({ address: frank.account.address });
    await mined(refundExpiredTraining(alice, { jobId: expiring }));
    assert.equal(
      await pub.getBalance({ address: frank.account.address }),
      held + BUDGET,
      'refunded to the requester',
    );
    assert.equal((await getTrainingJob(pub, { jobId: expiring })).status, JOB_STATUS.refunded);
  });

  it('counts and pages the records', async () => {
    assert.equal(await getDatanetCount(pub), 2n);
    assert.equal(await getContributionCount(pub), 4n);
    assert.equal(await getModelCount(pub), 2n);
    assert.equal(await getInferenceCount(pub), 2n);
    assert.equal(await getTrainingJobCount(pub), 3n);
    assert.deepEqual(await listContributions(pub, { datanetId: ids.d2 }), [ids.c3, ids.c4]);
    assert.deepEqual(await listContributions(pub, { datanetId: ids.d2, offset: 1n, limit: 5n }), [ids.c4]);
    assert.deepEqual(await listContributions(pub, { datanetId: ids.d1, limit: 1n }), [ids.c1]);
    assert.deepEqual(await listInferences(pub, { modelId: ids.adapter }), []);
    const head = await pub.getBlockNumber();
    assert.equal(await getDatanetCount(pub, { blockNumber: 1n }), 1n, 'read at an older block');
    assert.equal(await getModelCount(pub, { blockNumber: head }), 2n);
  });
});
