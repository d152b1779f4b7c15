// Models precompile: ModelFactory models and OpenLoRA adapters, the datanets
// they learned from (with weights), their price, fee split and operator.
import { MODEL_KIND, MODEL_STATUS, modelsAbi } from '@openledger/sdk';
import type { Hex } from 'viem';
import { PrecompileCodec, Revert } from './codec.js';
import type { CallContext, PrecompileDefinition } from './precompile.js';
import { COUNTER_SLOT, modelInferencesList, modelLayout } from './records.js';
import {
  amount128,
  checkDatanetWeights,
  existing,
  hexAddress,
  MODELS,
  nextId,
  page,
  toBig,
  uriBytes,
  validSplit,
} from './shared.js';
import type { SlotStore } from './store.js';

export const modelsCodec = new PrecompileCodec(modelsAbi);

export const model = (store: SlotStore, id: bigint) => modelLayout.at(store, MODELS, id);
export const existingModel = (store: SlotStore, id: bigint, error = 'UnknownModel') =>
  existing(store, MODELS, COUNTER_SLOT.models, id, error);

export interface ModelParams {
  parentId: bigint;
  kind: number;
  recipeHash: Hex;
  uri: string;
  datanetIds: readonly bigint[];
  datanetWeights: readonly number[];
  price: bigint;
  ownerBps: number;
  contributorsBps: number;
  protocolBps: number;
  operator: Hex;
}

/** A model as the ABI returns it. */
export const readModel = (store: SlotStore, id: bigint) => model(store, id).readAbi();

/**
 * Registers a model owned by `owner` (the caller, or a training job's
 * requester); shared by registerModel and the Training precompile.
 */
export async function registerModel(
  ctx: CallContext,
  owner: bigint,
  p: ModelParams,
  trainingJobId: bigint,
): Promise<bigint> {
  if (p.kind !== MODEL_KIND.model && p.kind !== MODEL_KIND.lora) throw new Revert('InvalidKind', p.kind);
  if (p.parentId !== 0n) await existingModel(ctx.store, p.parentId, 'InvalidParent');
  else if (p.kind === MODEL_KIND.lora) throw new Revert('InvalidParent', 0n);
  if (!validSplit(p.ownerBps, p.contributorsBps, p.protocolBps)) {
    throw new Revert('InvalidSplit', p.ownerBps, p.contributorsBps, p.protocolBps);
  }
  if (BigInt(p.operator) === 0n) throw new Revert('ZeroOperator');
  amount128(p.price, 'PriceTooHigh');
  const uri = uriBytes(p.uri);
  await checkDatanetWeights(ctx.store, p.datanetIds, p.datanetWeights);
  const id = await nextId(ctx.store, MODELS, COUNTER_SLOT.models);
  await model(ctx.store, id).create({
    owner,
    kind: BigInt(p.kind),
    ownerBps: BigInt(p.ownerBps),
    contributorsBps: BigInt(p.contributorsBps),
    protocolBps: BigInt(p.protocolBps),
    operator: BigInt(p.operator),
    parentId: p.parentId,
    price: p.price,
    trainingJobId,
    recipeHash: BigInt(p.recipeHash),
    uri,
    datanetIds: [...p.datanetIds],
    datanetWeights: p.datanetWeights.map(BigInt),
  });
  ctx.emitAs(
    MODELS,
    modelsCodec,
    'ModelRegistered',
    id,
    hexAddress(owner),
    p.parentId,
    p.kind,
    p.recipeHash,
    p.uri,
    p.price,
    p.operator,
  );
  return id;
}

async function ownedModel(ctx: CallContext, id: bigint) {
  await existingModel(ctx.store, id);
  const m = model(ctx.store, id);
  if ((await m.get('owner')) !== toBig(ctx.caller))
    throw new Revert('NotModelOwner', id, ctx.caller.toString());
  return m;
}

async function updated(ctx: CallContext, id: bigint): Promise<void> {
  const m = model(ctx.store, id);
  ctx.emit(
    'ModelUpdated',
    id,
    await m.get('price'),
    hexAddress(await m.get('operator')),
    Number(await m.get('status')),
  );
}

export const modelsPrecompile: PrecompileDefinition = {
  name: 'Models',
  address: MODELS,
  codec: modelsCodec,
  methods: {
    registerModel: {
      run: (ctx, [params]) => registerModel(ctx, toBig(ctx.caller), params as ModelParams, 0n),
    },
    setPrice: {
      async run(ctx, [id, price]) {
        const m = await ownedModel(ctx, id as bigint);
        await m.update({ price: amount128(price as bigint, 'PriceTooHigh') });
        await updated(ctx, id as bigint);
        return undefined;
      },
    },
    setOperator: {
      async run(ctx, [id, operator]) {
        if (BigInt(operator as Hex) === 0n) throw new Revert('ZeroOperator');
        const m = await ownedModel(ctx, id as bigint);
        await m.update({ operator: BigInt(operator as Hex) });
        await updated(ctx, id as bigint);
        return undefined;
      },
    },
    setModelStatus: {
      async run(ctx, [id, status]) {
        const s = status as number;
        if (s !== MODEL_STATUS.active && s !== MODEL_STATUS.retired) throw new Revert('InvalidStatus', s);
        const m = await ownedModel(ctx, id as bigint);
        await m.update({ status: BigInt(s) });
        await updated(ctx, id as bigint);
        return undefined;
      },
    },
    getModel: {
      view: true,
      async run(ctx, [id]) {
        return readModel(ctx.store, await existingModel(ctx.store, id as bigint));
      },
    },
    modelCount: { view: true, run: (ctx) => ctx.store.load(MODELS, COUNTER_SLOT.models) },
    inferencesOf: {
      view: true,
      async run(ctx, [modelId, offset, limit]) {
        const id = await existingModel(ctx.store, modelId as bigint);
        const p = page(offset as bigint, limit as bigint);
        return modelInferencesList.at(ctx.store, MODELS, id).items('ids', p.offset, p.limit);
      },
    },
  },
};
