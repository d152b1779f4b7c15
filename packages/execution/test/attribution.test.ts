// The attribution precompiles, function by function and failure by failure,
// driven by signed transactions on an in-memory chain.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  CONTRIBUTION_STATUS,
  datanetsAbi,
  inferencesAbi,
  JOB_STATUS,
  modelsAbi,
  PRECOMPILES,
  rewardsAbi,
  TREASURY,
  trainingAbi,
} from '@openledger/sdk';
import { decodeFunctionResult, encodeFunctionData, getAddress, type Hex, parseEther, toHex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { alice, bob, carol, dave, frank, Graph, hash, operator, PRICE } from './attribution-fixture.js';
import { RELAY_ABI } from './attribution-harness.js';

describe('attribution precompiles', () => {
  let g: Graph;

  before(async () => {
    g = await Graph.build();
  });

  describe('Datanets', () => {
    it('keeps datanets and contributions with their counts, sizes and statuses', async () => {
      const d1 = await g.h.read(PRECOMPILES.datanets, datanetsAbi, 'getDatanet', [1n]);
      assert.equal(d1.owner, getAddress(alice.address));
      assert.equal(d1.policy, 0);
      assert.equal(d1.contributionCount, 2n);
      assert.equal(d1.acceptedCount, 2n);
      assert.equal(d1.acceptedSize, 4_000n);
      assert.equal(d1.uri, 'ipfs://datanet');
      assert.equal(d1.metadataHash, hash('ipfs://datanet'));
      const d2 = await g.h.read(PRECOMPILES.datanets, datanetsAbi, 'getDatanet', [2n]);
      assert.deepEqual([d2.contributionCount, d2.acceptedCount, d2.acceptedSize], [3n, 1n, 500n]);
      const c = (id: bigint) => g.h.read(PRECOMPILES.datanets, datanetsAbi, 'getContribution', [id]);
      assert.equal((await c(1n)).status, CONTRIBUTION_STATUS.accepted);
      assert.equal((await c(3n)).status, CONTRIBUTION_STATUS.accepted);
      assert.equal((await c(4n)).status, CONTRIBUTION_STATUS.pending);
      assert.equal((await c(5n)).status, CONTRIBUTION_STATUS.rejected);
      assert.equal((await c(2n)).contributor, getAddress(carol.address));
      assert.equal((await c(2n)).size, 3_000n);
      assert.equal(await g.h.read(PRECOMPILES.datanets, datanetsAbi, 'datanetCount', []), 3n);
      assert.equal(await g.h.read(PRECOMPILES.datanets, datanetsAbi, 'contributionCount', []), 6n);
      assert.deepEqual(await g.h.read(PRECOMPILES.datanets, datanetsAbi, 'contributionsOf', [2n, 1n, 10n]), [
        4n,
        5n,
      ]);
    });

    it('emits its events from its own address', async () => {
      const out = await g.contribute(carol, 1n, 10n, 'ipfs://extra');
      const logs = out.result.receipt.logs;
      assert.equal(logs.length, 1);
      assert.equal(toHex(logs[0]![0]).toLowerCase(), PRECOMPILES.datanets.toLowerCase());
    });

    it('refuses bad input with its errors', async () => {
      assert.equal((await g.createDatanet(alice, 2)).error?.name, 'InvalidPolicy');
      assert.equal((await g.createDatanet(alice, 0, 'x'.repeat(513))).error?.name, 'StringTooLong');
      assert.equal((await g.contribute(bob, 99n, 1n)).error?.name, 'UnknownDatanet');
      assert.equal((await g.contribute(bob, 0n, 1n)).error?.name, 'UnknownDatanet');
      assert.equal((await g.contribute(bob, 1n, 0n)).error?.name, 'InvalidSize');
      const review = (from: typeof alice, id: bigint) =>
        g.h.write(from, PRECOMPILES.datanets, datanetsAbi, 'reviewContribution', [id, true]);
      assert.equal((await review(bob, 4n)).error?.name, 'NotDatanetOwner');
      assert.equal((await review(alice, 3n)).error?.name, 'NotPending');
      assert.equal((await review(alice, 77n)).error?.name, 'UnknownContribution');
      const status = (from: typeof alice, s: number) =>
        g.h.write(from, PRECOMPILES.datanets, datanetsAbi, 'setDatanetStatus', [3n, s]);
      assert.equal((await status(bob, 5)).error?.name, 'InvalidStatus');
      assert.equal((await status(alice, 1)).error?.name, 'NotDatanetOwner');
      assert.ok((await status(bob, 1)).ok);
      assert.equal((await g.contribute(carol, 3n, 5n)).error?.name, 'DatanetClosed');
      assert.ok((await status(bob, 0)).ok);
    });
  });

  describe('Models', () => {
    it('registers a model and a LoRA adapter on it', async () => {
      const m = await g.h.read(PRECOMPILES.models, modelsAbi, 'getModel', [1n]);
      assert.equal(m.owner, getAddress(alice.address));
      assert.equal(m.operator, operator.address);
      assert.equal(m.price, PRICE);
      assert.deepEqual(m.datanetIds, [1n, 2n]);
      assert.deepEqual(m.datanetWeights, [600_000, 400_000]);
      const lora = await g.register(bob, {
        parentId: 1n,
        kind: 1,
        datanetIds: [1n],
        datanetWeights: [1_000_000],
      });
      assert.ok(lora.ok);
      const id = decodeFunctionResult({
        abi: modelsAbi,
        functionName: 'registerModel',
        data: lora.returnValue,
      });
      const adapter = await g.h.read(PRECOMPILES.models, modelsAbi, 'getModel', [id]);
      assert.deepEqual([adapter.kind, adapter.parentId, adapter.owner], [1, 1n, getAddress(bob.address)]);
    });

    it('refuses bad models', async () => {
      const err = async (over: Partial<Record<string, unknown>>) =>
        (await g.register(alice, over)).error?.name;
      assert.equal(await err({ kind: 1 }), 'InvalidParent');
      assert.equal(await err({ parentId: 99n }), 'InvalidParent');
      assert.equal(await err({ kind: 2 }), 'InvalidKind');
      assert.equal(await err({ protocolBps: 50, ownerBps: 7_950 }), 'InvalidSplit');
      assert.equal(await err({ contributorsBps: 500, ownerBps: 8_500 }), 'InvalidSplit');
      assert.equal(await err({ ownerBps: 7_001 }), 'InvalidSplit');
      assert.equal(await err({ datanetWeights: [600_000, 400_001] }), 'InvalidDatanetWeights');
      assert.equal(await err({ datanetIds: [2n, 1n] }), 'InvalidDatanetWeights');
      assert.equal(await err({ datanetIds: [1n, 9n] }), 'InvalidDatanetWeights');
      assert.equal(await err({ datanetIds: [], datanetWeights: [] }), 'InvalidDatanetWeights');
      assert.equal(await err({ operator: '0x0000000000000000000000000000000000000000' }), 'ZeroOperator');
      const setPrice = await g.h.write(bob, PRECOMPILES.models, modelsAbi, 'setPrice', [1n, 1n]);
      assert.equal(setPrice.error?.name, 'NotModelOwner');
    });
  });

  describe('Inferences', () => {
    it('records an inference and splits its fee exactly', async () => {
      const before = {
        alice: await g.h.read(PRECOMPILES.rewards, rewardsAbi, 'rewardsOf', [alice.address as Hex]),
        bob: await g.h.read(PRECOMPILES.rewards, rewardsAbi, 'rewardsOf', [bob.address as Hex]),
        carol: await g.h.read(PRECOMPILES.rewards, rewardsAbi, 'rewardsOf', [carol.address as Hex]),
        dave: await g.h.read(PRECOMPILES.rewards, rewardsAbi, 'rewardsOf', [dave.address as Hex]),
        treasury: await g.h.read(PRECOMPILES.rewards, rewardsAbi, 'rewardsOf', [TREASURY]),
        pool: await g.h.balance(PRECOMPILES.rewards),
      };
      const fee = PRICE + 7n; // an odd amount, so that rounding shows
      const out = await g.infer(await g.request(frank, 1n, [1n, 2n, 3n], [333_333, 333_333, 333_334]), fee);
      assert.ok(out.ok, out.error?.name ?? out.failure);
      const id = decodeFunctionResult({
        abi: inferencesAbi,
        functionName: 'recordInference',
        data: out.returnValue,
      });
      const owner = (fee * 7_000n) / 10_000n;
      const contributors = (fee * 2_000n) / 10_000n;
      const share = (w: bigint) => (contributors * w) / 1_000_000n;
      const rewards = (a: Hex) => g.h.read(PRECOMPILES.rewards, rewardsAbi, 'rewardsOf', [a]);
      assert.equal((await rewards(alice.address as Hex)) - before.alice, owner);
      assert.equal((await rewards(bob.address as Hex)) - before.bob, share(333_333n));
      assert.equal((await rewards(carol.address as Hex)) - before.carol, share(333_333n));
      assert.equal((await rewards(dave.address as Hex)) - before.dave, share(333_334n));
      const protocol = fee - owner - share(333_333n) * 2n - share(333_334n);
      assert.equal((await rewards(TREASURY)) - before.treasury, protocol, 'protocol share and remainders');
      assert.equal((await g.h.balance(PRECOMPILES.rewards)) - before.pool, fee);
      assert.equal(await g.h.balance(PRECOMPILES.inferences), 0n);

      const inf = await g.h.read(PRECOMPILES.inferences, inferencesAbi, 'getInference', [id]);
      assert.equal(inf.caller, getAddress(frank.address));
      assert.equal(inf.fee, fee);
      assert.deepEqual(inf.contributionIds, [1n, 2n, 3n]);
      assert.deepEqual(inf.weights, [333_333, 333_333, 333_334]);
      assert.equal(inf.timestamp, g.h.timestamp);
      assert.deepEqual(
        await g.h.read(PRECOMPILES.inferences, inferencesAbi, 'attributionsOf', [3n, 0n, 10n]),
        [id],
      );
      assert.deepEqual(await g.h.read(PRECOMPILES.models, modelsAbi, 'inferencesOf', [1n, 0n, 10n]), [id]);
      const c3 = await g.h.read(PRECOMPILES.datanets, datanetsAbi, 'getContribution', [3n]);
      assert.deepEqual([c3.attributionCount, c3.inferenceEarnings], [1n, share(333_334n)]);
      // InferenceRecorded from Inferences, then one Attributed per attribution.
      assert.equal(out.result.receipt.logs.length, 4);
    });

    it('refuses attributions that do not hold', async () => {
      const err = async (ids: bigint[], weights: number[]) =>
        (await g.infer(await g.request(frank, 1n, ids, weights))).error?.name;
      assert.equal(await err([1n, 2n], [500_000, 499_999]), 'WeightsDoNotSum');
      assert.equal(await err([1n, 1n], [500_000, 500_000]), 'ContributionsNotAscending');
      assert.equal(await err([2n, 1n], [500_000, 500_000]), 'ContributionsNotAscending');
      assert.equal(await err([1n, 2n], [1_000_000, 0]), 'ZeroWeight');
      assert.equal(await err([1n, 4n], [500_000, 500_000]), 'ContributionNotAccepted');
      assert.equal(await err([1n, 5n], [500_000, 500_000]), 'ContributionNotAccepted');
      assert.equal(await err([1n, 6n], [500_000, 500_000]), 'DatanetNotDeclared');
      assert.equal(await err([1n, 99n], [500_000, 500_000]), 'UnknownContribution');
      assert.equal(await err([], []), 'NoAttributions');
      const many = Array.from({ length: 257 }, (_, i) => BigInt(i + 1));
      assert.equal(
        await err(
          many,
          many.map(() => 1),
        ),
        'TooManyItems',
      );
      const mismatch = await g.request(frank, 1n, [1n], [1_000_000]);
      assert.equal((await g.infer({ ...mismatch, weights: [1, 2] })).error?.name, 'LengthMismatch');
    });

    it('refuses a wrong, replayed or expired signature, a low fee and an unknown or retired model', async () => {
      const intruder = privateKeyToAccount(dave.privateKey as Hex);
      const forged = await g.infer(await g.request(frank, 1n, [1n], [1_000_000], { signer: intruder }));
      assert.equal(forged.error?.name, 'InvalidSignature');
      assert.deepEqual(forged.error?.args, [intruder.address, operator.address]);
      const signed = await g.request(frank, 1n, [1n], [1_000_000]);
      assert.ok((await g.infer(signed)).ok);
      const replay = await g.infer(signed);
      assert.equal(replay.error?.name, 'NonceUsed');
      const other = await g.h.write(
        dave,
        PRECOMPILES.inferences,
        inferencesAbi,
        'recordInference',
        [await g.request(frank, 1n, [1n], [1_000_000])],
        PRICE,
      );
      assert.equal(other.error?.name, 'InvalidSignature', 'signed for another caller');
      const expired = await g.request(frank, 1n, [1n], [1_000_000], { deadline: g.h.timestamp - 1n });
      assert.equal((await g.infer(expired)).error?.name, 'SignatureExpired');
      const cheap = await g.infer(await g.request(frank, 1n, [1n], [1_000_000]), PRICE - 1n);
      assert.deepEqual([cheap.error?.name, cheap.error?.args], ['InsufficientFee', [PRICE, PRICE - 1n]]);
      assert.equal(
        (await g.infer(await g.request(frank, 42n, [1n], [1_000_000]))).error?.name,
        'UnknownModel',
      );
      const bad = { ...(await g.request(frank, 1n, [1n], [1_000_000])), signature: '0x1234' as Hex };
      assert.equal((await g.infer(bad)).error?.name, 'InvalidSignature');
      assert.ok((await g.h.write(alice, PRECOMPILES.models, modelsAbi, 'setModelStatus', [1n, 1])).ok);
      assert.equal(
        (await g.infer(await g.request(frank, 1n, [1n], [1_000_000]))).error?.name,
        'ModelRetired',
      );
      assert.ok((await g.h.write(alice, PRECOMPILES.models, modelsAbi, 'setModelStatus', [1n, 0])).ok);
      assert.equal(
        await g.h.read(PRECOMPILES.inferences, inferencesAbi, 'nonceUsed', [operator.address, signed.nonce]),
        true,
      );
    });

    it('fails out of gas as the EVM does, spending the gas and keeping nothing', async () => {
      const req = await g.request(frank, 1n, [1n, 2n, 3n], [300_000, 300_000, 400_000]);
      const before = await g.h.read(PRECOMPILES.inferences, inferencesAbi, 'inferenceCount', []);
      const out = await g.infer(req, PRICE, 120_000n);
      assert.equal(out.failure, 'out of gas');
      assert.equal(out.gasUsed, 120_000n);
      assert.equal(await g.h.read(PRECOMPILES.inferences, inferencesAbi, 'inferenceCount', []), before);
      assert.ok((await g.infer(req)).ok, 'the same request with enough gas');
    });

    it('charges storage, logs and the signature check: at least what the writes cost in Solidity', async () => {
      const one = await g.infer(await g.request(frank, 1n, [1n], [1_000_000]));
      const three = await g.infer(await g.request(frank, 1n, [1n, 2n, 3n], [300_000, 300_000, 400_000]));
      assert.ok(one.ok && three.ok);
      // Each extra attribution writes new slots (list entries, balances) and a log.
      assert.ok(three.gasUsed - one.gasUsed > 2n * 20_000n, `${one.gasUsed} vs ${three.gasUsed}`);
      assert.ok(one.gasUsed > 21_000n + 3_000n + 2n * 20_000n, `one attribution: ${one.gasUsed}`);
    });
  });

  describe('the call frame', () => {
    const create = encodeFunctionData({
      abi: datanetsAbi,
      functionName: 'createDatanet',
      args: [hash('r'), 'r', 0],
    });
    const viaRelay = (mode: number, data: Hex, value = 0n) =>
      g.h.send(
        alice,
        g.relay,
        encodeFunctionData({
          abi: RELAY_ABI,
          functionName: 'relay',
          args: [PRECOMPILES.datanets, mode, data],
        }),
        value,
        undefined,
        datanetsAbi,
      );

    it('sees a contract calling on behalf of a user as the caller', async () => {
      const out = await viaRelay(0, create);
      assert.ok(out.ok, out.error?.name);
      const count = await g.h.read(PRECOMPILES.datanets, datanetsAbi, 'datanetCount', []);
      assert.equal(
        (await g.h.read(PRECOMPILES.datanets, datanetsAbi, 'getDatanet', [count])).owner.toLowerCase(),
        g.relay,
      );
    });

    it('refuses writes under STATICCALL, and serves views', async () => {
      assert.equal((await viaRelay(1, create)).error?.name, 'StaticCallNotAllowed');
      const view = encodeFunctionData({ abi: datanetsAbi, functionName: 'datanetCount', args: [] });
      assert.ok((await viaRelay(1, view)).ok);
    });

    it('refuses DELEGATECALL and CALLCODE', async () => {
      assert.equal((await viaRelay(2, create)).error?.name, 'DelegateCallNotAllowed');
      assert.equal((await viaRelay(3, create)).error?.name, 'DelegateCallNotAllowed');
    });

    it('refuses value to a function that is not payable, and malformed calldata', async () => {
      const paid = await g.h.send(alice, PRECOMPILES.datanets, create, 1n, undefined, datanetsAbi);
      assert.equal(paid.error?.name, 'NotPayable');
      const truncated = await g.h.send(
        alice,
        PRECOMPILES.datanets,
        create.slice(0, 60) as Hex,
        0n,
        undefined,
        datanetsAbi,
      );
      assert.equal(truncated.error?.name, 'InvalidCalldata');
      const unknown = await g.h.send(alice, PRECOMPILES.datanets, '0xdeadbeef', 0n, undefined, datanetsAbi);
      assert.equal(unknown.error?.name, 'InvalidCalldata');
      const empty = await g.h.send(alice, PRECOMPILES.datanets, '0x', 5n, undefined, datanetsAbi);
      assert.equal(empty.error?.name, 'InvalidCalldata');
    });

    it('undoes its writes when the calling frame reverts', async () => {
      const before = await g.h.read(PRECOMPILES.datanets, datanetsAbi, 'datanetCount', []);
      const out = await viaRelay(4, create);
      assert.equal(out.ok, false);
      assert.equal(await g.h.read(PRECOMPILES.datanets, datanetsAbi, 'datanetCount', []), before);
    });
  });

  describe('Training and Rewards', () => {
    const BUDGET = parseEther('3');
    const requestTraining = (deadline: bigint, value = BUDGET, over: Record<string, unknown> = {}) =>
      g.h.write(
        carol,
        PRECOMPILES.training,
        trainingAbi,
        'requestTraining',
        [
          {
            baseModelId: 1n,
            kind: 1,
            recipeHash: hash('lora recipe'),
            datanetIds: [1n, 2n],
            datanetWeights: [750_000, 250_000],
            deadline,
            trainerBps: 6_000,
            contributorsBps: 3_500,
            ...over,
          } as never,
        ],
        value,
      );
    const completion = {
      uri: 'ipfs://adapter',
      price: PRICE,
      ownerBps: 7_000,
      contributorsBps: 2_000,
      protocolBps: 1_000,
      operator: operator.address,
    };
    const jobId = async (out: { returnValue: Hex }) =>
      decodeFunctionResult({ abi: trainingAbi, functionName: 'requestTraining', data: out.returnValue });

    it('escrows, completes into a LoRA adapter and pays trainer, contributors and protocol', async () => {
      const requested = await requestTraining(g.h.timestamp + 3_600n);
      assert.ok(requested.ok, requested.error?.name);
      const id = await jobId(requested);
      assert.equal(await g.h.balance(PRECOMPILES.training), BUDGET);
      const notYours = await g.h.write(dave, PRECOMPILES.training, trainingAbi, 'completeTraining', [
        id,
        completion,
      ]);
      assert.equal(notYours.error?.name, 'WrongJobStatus', 'not accepted yet');
      assert.ok((await g.h.write(dave, PRECOMPILES.training, trainingAbi, 'acceptTraining', [id])).ok);
      const stranger = await g.h.write(frank, PRECOMPILES.training, trainingAbi, 'completeTraining', [
        id,
        completion,
      ]);
      assert.equal(stranger.error?.name, 'NotTrainer');

      const d1 = await g.h.read(PRECOMPILES.datanets, datanetsAbi, 'getDatanet', [1n]);
      const d2 = await g.h.read(PRECOMPILES.datanets, datanetsAbi, 'getDatanet', [2n]);
      const treasuryBefore = await g.h.read(PRECOMPILES.rewards, rewardsAbi, 'rewardsOf', [TREASURY]);
      const done = await g.h.write(dave, PRECOMPILES.training, trainingAbi, 'completeTraining', [
        id,
        completion,
      ]);
      assert.ok(done.ok, done.error?.name);
      const job = await g.h.read(PRECOMPILES.training, trainingAbi, 'getTrainingJob', [id]);
      assert.equal(job.status, JOB_STATUS.completed);
      const model = await g.h.read(PRECOMPILES.models, modelsAbi, 'getModel', [job.modelId]);
      assert.deepEqual(
        [model.owner, model.kind, model.parentId, model.trainingJobId],
        [getAddress(carol.address), 1, 1n, id],
      );
      assert.equal(await g.h.balance(PRECOMPILES.training), 0n);

      const trainer = (BUDGET * 6_000n) / 10_000n;
      const contributors = (BUDGET * 3_500n) / 10_000n;
      assert.equal(
        (await g.h.read(PRECOMPILES.rewards, rewardsAbi, 'rewardsOf', [dave.address as Hex])) >= trainer,
        true,
      );
      const perByte1 = (contributors * 750_000n) / 1_000_000n / d1.acceptedSize;
      const perByte2 = (contributors * 250_000n) / 1_000_000n / d2.acceptedSize;
      const after1 = await g.h.read(PRECOMPILES.datanets, datanetsAbi, 'getDatanet', [1n]);
      assert.equal(after1.rewardPerByte - d1.rewardPerByte, perByte1);
      const pending = (id: bigint) =>
        g.h.read(PRECOMPILES.rewards, rewardsAbi, 'pendingTrainingReward', [id]);
      assert.equal(await pending(1n), 1_000n * perByte1);
      assert.equal(await pending(2n), 3_000n * perByte1);
      assert.equal(await pending(3n), 500n * perByte2);
      assert.equal(await pending(4n), 0n, 'pending contributions earn nothing');
      const distributed = perByte1 * d1.acceptedSize + perByte2 * d2.acceptedSize;
      const treasuryAfter = await g.h.read(PRECOMPILES.rewards, rewardsAbi, 'rewardsOf', [TREASURY]);
      assert.equal(treasuryAfter - treasuryBefore, BUDGET - trainer - distributed);

      // Settling moves each contribution's training reward to its contributor; claiming pays it out.
      const bobBefore = await g.h.read(PRECOMPILES.rewards, rewardsAbi, 'rewardsOf', [bob.address as Hex]);
      const owed1 = await pending(1n);
      assert.ok(
        (await g.h.write(frank, PRECOMPILES.rewards, rewardsAbi, 'settleContributions', [[1n, 4n]])).ok,
      );
      assert.equal(await pending(1n), 0n);
      const bobRewards = await g.h.read(PRECOMPILES.rewards, rewardsAbi, 'rewardsOf', [bob.address as Hex]);
      assert.equal(bobRewards - bobBefore, owed1);
      const wallet = await g.h.balance(bob.address as Hex);
      const claim = await g.h.write(bob, PRECOMPILES.rewards, rewardsAbi, 'claim', []);
      assert.ok(claim.ok);
      assert.equal(
        await g.h.balance(bob.address as Hex),
        wallet + bobRewards - claim.gasUsed * 1_000_000_000n,
      );
      const again = await g.h.write(bob, PRECOMPILES.rewards, rewardsAbi, 'claim', []);
      assert.equal(again.error?.name, 'NothingToClaim');
    });

    it("reverts with Models' own error when the completion's model terms are invalid", async () => {
      const id = await jobId(await requestTraining(g.h.timestamp + 3_600n));
      assert.ok((await g.h.write(dave, PRECOMPILES.training, trainingAbi, 'acceptTraining', [id])).ok);
      const zero = { ...completion, operator: '0x0000000000000000000000000000000000000000' as Hex };
      const out = await g.h.write(dave, PRECOMPILES.training, trainingAbi, 'completeTraining', [id, zero]);
      assert.equal(out.error?.name, 'ZeroOperator');
      const split = { ...completion, protocolBps: 5_000 };
      const bad = await g.h.write(dave, PRECOMPILES.training, trainingAbi, 'completeTraining', [id, split]);
      assert.equal(bad.error?.name, 'InvalidSplit');
      assert.ok(
        (await g.h.write(dave, PRECOMPILES.training, trainingAbi, 'completeTraining', [id, completion])).ok,
      );
    });

    it('refunds a cancelled job and an expired one, not before', async () => {
      const a = await jobId(await requestTraining(g.h.timestamp + 100n));
      const wallet = await g.h.balance(carol.address as Hex);
      const cancel = await g.h.write(carol, PRECOMPILES.training, trainingAbi, 'cancelTraining', [a]);
      assert.ok(cancel.ok);
      assert.equal(
        await g.h.balance(carol.address as Hex),
        wallet + BUDGET - cancel.gasUsed * 1_000_000_000n,
      );
      const b = await jobId(await requestTraining(g.h.timestamp + 100n));
      assert.ok((await g.h.write(dave, PRECOMPILES.training, trainingAbi, 'acceptTraining', [b])).ok);
      const early = await g.h.write(frank, PRECOMPILES.training, trainingAbi, 'refundExpired', [b]);
      assert.equal(early.error?.name, 'JobNotExpired');
      g.h.timestamp += 101n;
      const late = await g.h.write(dave, PRECOMPILES.training, trainingAbi, 'completeTraining', [
        b,
        completion,
      ]);
      assert.equal(late.error?.name, 'JobExpired');
      const before = await g.h.balance(carol.address as Hex);
      assert.ok((await g.h.write(frank, PRECOMPILES.training, trainingAbi, 'refundExpired', [b])).ok);
      assert.equal(await g.h.balance(carol.address as Hex), before + BUDGET);
      const twice = await g.h.write(frank, PRECOMPILES.training, trainingAbi, 'refundExpired', [b]);
      assert.equal(twice.error?.name, 'WrongJobStatus');
    });

    it('refuses bad training requests', async () => {
      const t = g.h.timestamp + 1_000n;
      assert.equal((await requestTraining(t, 0n)).error?.name, 'EmptyBudget');
      assert.equal((await requestTraining(g.h.timestamp)).error?.name, 'DeadlineInPast');
      assert.equal((await requestTraining(t, BUDGET, { baseModelId: 99n })).error?.name, 'UnknownModel');
      assert.equal((await requestTraining(t, BUDGET, { trainerBps: 7_000 })).error?.name, 'InvalidSplit');
      assert.equal((await requestTraining(t, BUDGET, { kind: 3 })).error?.name, 'InvalidKind');
      assert.ok((await g.h.write(alice, PRECOMPILES.models, modelsAbi, 'setModelStatus', [1n, 1])).ok);
      assert.equal((await requestTraining(t)).error?.name, 'ModelRetired');
      assert.ok((await g.h.write(alice, PRECOMPILES.models, modelsAbi, 'setModelStatus', [1n, 0])).ok);
      const weights = await requestTraining(t, BUDGET, { datanetWeights: [1, 2] });
      assert.equal(weights.error?.name, 'InvalidDatanetWeights');
      assert.equal(
        (await g.h.write(frank, PRECOMPILES.training, trainingAbi, 'acceptTraining', [99n])).error?.name,
        'UnknownJob',
      );
    });
  });
});
