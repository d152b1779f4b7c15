// Training precompile (ModelFactory on chain): a requester escrows a budget
// to fine-tune a base model on chosen datanets; a trainer accepts the job and
// completes it by registering the resulting model or LoRA adapter, which pays
// the trainer, the datanets' contributors and the protocol. A job not
// completed by its deadline refunds the requester.
import { JOB_STATUS, MODEL_KIND, MODEL_STATUS, trainingAbi } from '@openledger/sdk';
import type { Hex } from 'viem';
import { PrecompileCodec, Revert } from './codec.js';
import { datanet } from './datanets.js';
import { existingModel, model, registerModel } from './models.js';
import type { CallContext, PrecompileDefinition } from './precompile.js';
import { COUNTER_SLOT, trainingJobLayout } from './records.js';
import {
  amount128,
  BPS_TOTAL,
  checkDatanetWeights,
  credit,
  existing,
  hex32,
  hexAddress,
  nextId,
  REWARDS,
  TRAINING,
  TREASURY_ADDRESS,
  toAddress,
  toBig,
  validSplit,
  WEIGHT_TOTAL,
} from './shared.js';
import type { SlotStore } from './store.js';

export const trainingJob = (store: SlotStore, id: bigint) => trainingJobLayout.at(store, TRAINING, id);
const existingJob = (store: SlotStore, id: bigint) =>
  existing(store, TRAINING, COUNTER_SLOT.trainingJobs, id, 'UnknownJob');

interface TrainingRequest {
  baseModelId: bigint;
  kind: number;
  recipeHash: Hex;
  datanetIds: readonly bigint[];
  datanetWeights: readonly number[];
  deadline: bigint;
  trainerBps: number;
  contributorsBps: number;
}

interface Completion {
  uri: string;
  price: bigint;
  ownerBps: number;
  contributorsBps: number;
  protocolBps: number;
  operator: Hex;
}

/** A training job as the ABI returns it. */
export const readTrainingJob = (store: SlotStore, id: bigint) => trainingJob(store, id).readAbi();

async function jobIn(ctx: CallContext, id: bigint, ...statuses: number[]) {
  await existingJob(ctx.store, id);
  const job = trainingJob(ctx.store, id);
  const status = Number(await job.get('status'));
  if (!statuses.includes(status)) throw new Revert('WrongJobStatus', id, status);
  return job;
}

async function refund(ctx: CallContext, id: bigint): Promise<void> {
  const job = trainingJob(ctx.store, id);
  const budget = await job.get('budget');
  const requester = await job.get('requester');
  await job.update({ status: BigInt(JOB_STATUS.refunded) });
  await ctx.store.transfer(TRAINING, toAddress(requester), budget);
  ctx.emit('TrainingRefunded', id, hexAddress(requester), budget);
}

/**
 * The contributors' part of a completed job: each datanet's share (by weight)
 * becomes wei per accepted byte on that datanet, claimed per contribution
 * through Rewards.settleContributions. Returns what was distributed; the rest
 * (a datanet with no accepted bytes, rounding) goes to the treasury.
 */
async function distributeToDatanets(
  ctx: CallContext,
  amount: bigint,
  datanetIds: readonly bigint[],
  weights: readonly bigint[],
): Promise<bigint> {
  let distributed = 0n;
  for (let i = 0; i < datanetIds.length; i++) {
    const share = (amount * weights[i]!) / WEIGHT_TOTAL;
    const d = datanet(ctx.store, datanetIds[i]!);
    const size = await d.get('acceptedSize');
    if (size === 0n) continue;
    const perByte = share / size;
    if (perByte === 0n) continue;
    await d.update({ rewardPerByte: (await d.get('rewardPerByte')) + perByte });
    distributed += perByte * size;
  }
  return distributed;
}

export const trainingPrecompile: PrecompileDefinition = {
  name: 'Training',
  address: TRAINING,
  codec: new PrecompileCodec(trainingAbi),
  methods: {
    requestTraining: {
      payable: true,
      async run(ctx, [request]) {
        const r = request as TrainingRequest;
        const budget = ctx.value;
        if (budget === 0n) throw new Revert('EmptyBudget');
        amount128(budget, 'BudgetTooLarge');
        await existingModel(ctx.store, r.baseModelId);
        if ((await model(ctx.store, r.baseModelId).get('status')) !== BigInt(MODEL_STATUS.active)) {
          throw new Revert('ModelRetired', r.baseModelId);
        }
        if (r.kind !== MODEL_KIND.model && r.kind !== MODEL_KIND.lora)
          throw new Revert('InvalidKind', r.kind);
        const protocolBps = Number(BPS_TOTAL) - r.trainerBps - r.contributorsBps;
        if (!validSplit(r.trainerBps, r.contributorsBps, protocolBps)) {
          throw new Revert('InvalidSplit', r.trainerBps, r.contributorsBps, Math.max(0, protocolBps));
        }
        if (r.deadline <= ctx.block.timestamp) throw new Revert('DeadlineInPast', r.deadline);
        await checkDatanetWeights(ctx.store, r.datanetIds, r.datanetWeights);
        const id = await nextId(ctx.store, TRAINING, COUNTER_SLOT.trainingJobs);
        await trainingJob(ctx.store, id).create({
          requester: toBig(ctx.caller),
          status: BigInt(JOB_STATUS.open),
          kind: BigInt(r.kind),
          trainerBps: BigInt(r.trainerBps),
          contributorsBps: BigInt(r.contributorsBps),
          protocolBps: BigInt(protocolBps),
          deadline: r.deadline,
          budget,
          baseModelId: r.baseModelId,
          recipeHash: BigInt(r.recipeHash),
          datanetIds: [...r.datanetIds],
          datanetWeights: r.datanetWeights.map(BigInt),
        });
        ctx.emit('TrainingRequested', id, ctx.caller.toString(), r.baseModelId, budget, r.deadline);
        return id;
      },
    },
    acceptTraining: {
      async run(ctx, [jobId]) {
        const id = jobId as bigint;
        const job = await jobIn(ctx, id, JOB_STATUS.open);
        const deadline = await job.get('deadline');
        if (ctx.block.timestamp > deadline) throw new Revert('JobExpired', id, deadline);
        await job.update({ status: BigInt(JOB_STATUS.accepted), trainer: toBig(ctx.caller) });
        ctx.emit('TrainingAccepted', id, ctx.caller.toString());
        return undefined;
      },
    },
    completeTraining: {
      async run(ctx, [jobId, completion]) {
        const id = jobId as bigint;
        const c = completion as Completion;
        const job = await jobIn(ctx, id, JOB_STATUS.accepted);
        if ((await job.get('trainer')) !== toBig(ctx.caller))
          throw new Revert('NotTrainer', id, ctx.caller.toString());
        const deadline = await job.get('deadline');
        if (ctx.block.timestamp > deadline) throw new Revert('JobExpired', id, deadline);
        const datanetIds = await job.items('datanetIds');
        const weights = await job.items('datanetWeights');
        const modelId = await registerModel(
          ctx,
          await job.get('requester'),
          {
            parentId: await job.get('baseModelId'),
            kind: Number(await job.get('kind')),
            recipeHash: hex32(await job.get('recipeHash')),
            uri: c.uri,
            datanetIds,
            datanetWeights: weights.map(Number),
            price: c.price,
            ownerBps: c.ownerBps,
            contributorsBps: c.contributorsBps,
            protocolBps: c.protocolBps,
            operator: c.operator,
          },
          id,
        );
        const budget = await job.get('budget');
        const trainerAmount = (budget * (await job.get('trainerBps'))) / BPS_TOTAL;
        const contributorsPart = (budget * (await job.get('contributorsBps'))) / BPS_TOTAL;
        await ctx.store.move(TRAINING, REWARDS, budget);
        await credit(ctx, toBig(ctx.caller), trainerAmount);
        const contributorsAmount = await distributeToDatanets(ctx, contributorsPart, datanetIds, weights);
        const protocolAmount = budget - trainerAmount - contributorsAmount;
        await credit(ctx, toBig(TREASURY_ADDRESS), protocolAmount);
        await job.update({ status: BigInt(JOB_STATUS.completed), modelId });
        ctx.emit(
          'TrainingCompleted',
          id,
          modelId,
          ctx.caller.toString(),
          trainerAmount,
          contributorsAmount,
          protocolAmount,
        );
        return modelId;
      },
    },
    cancelTraining: {
      async run(ctx, [jobId]) {
        const id = jobId as bigint;
        const job = await jobIn(ctx, id, JOB_STATUS.open);
        if ((await job.get('requester')) !== toBig(ctx.caller)) {
          throw new Revert('NotRequester', id, ctx.caller.toString());
        }
        await refund(ctx, id);
        return undefined;
      },
    },
    refundExpired: {
      async run(ctx, [jobId]) {
        const id = jobId as bigint;
        const job = await jobIn(ctx, id, JOB_STATUS.open, JOB_STATUS.accepted);
        const deadline = await job.get('deadline');
        if (ctx.block.timestamp <= deadline) throw new Revert('JobNotExpired', id, deadline);
        await refund(ctx, id);
        return undefined;
      },
    },
    getTrainingJob: {
      view: true,
      async run(ctx, [id]) {
        return readTrainingJob(ctx.store, await existingJob(ctx.store, id as bigint));
      },
    },
    trainingJobCount: { view: true, run: (ctx) => ctx.store.load(TRAINING, COUNTER_SLOT.trainingJobs) },
  },
};
