// Inferences precompile: records each use of a model with the contributions
// its operator attributes the output to, and splits the fee in OPEN.
import { CONTRIBUTION_STATUS, inferencesAbi, LIMITS, MODEL_STATUS } from '@openledger/sdk';
import type { Hex } from 'viem';
import { PrecompileCodec, Revert } from './codec.js';
import { contribution, existingContribution } from './datanets.js';
import { attributionDigest, digestHashedBytes, domainSeparator, recoverSigner } from './eip712.js';
import { GAS_ECRECOVER } from './gas.js';
import { existingModel, model } from './models.js';
import type { PrecompileDefinition } from './precompile.js';
import {
  COUNTER_SLOT,
  contributionInferencesList,
  inferenceLayout,
  modelInferencesList,
  nonceBitmapSlot,
} from './records.js';
import {
  BPS_TOTAL,
  credit,
  existing,
  hex32,
  hexAddress,
  INFERENCES,
  MODELS,
  maxItems,
  nextId,
  page,
  REWARDS,
  saturate128,
  TREASURY_ADDRESS,
  toBig,
  UINT128_MAX,
  WEIGHT_TOTAL,
} from './shared.js';
import type { SlotStore } from './store.js';

export const inference = (store: SlotStore, id: bigint) => inferenceLayout.at(store, INFERENCES, id);
export const existingInference = (store: SlotStore, id: bigint) =>
  existing(store, INFERENCES, COUNTER_SLOT.inferences, id, 'UnknownInference');

interface InferenceRequest {
  modelId: bigint;
  inputHash: Hex;
  outputHash: Hex;
  contributionIds: readonly bigint[];
  weights: readonly number[];
  nonce: bigint;
  deadline: bigint;
  signature: Hex;
}

/** An inference as the ABI returns it. */
export const readInference = (store: SlotStore, id: bigint) => inference(store, id).readAbi();

const domains = new Map<bigint, Uint8Array>();
function domainOf(chainId: bigint): Uint8Array {
  let d = domains.get(chainId);
  if (d === undefined) {
    d = domainSeparator(chainId, toBig(INFERENCES));
    domains.set(chainId, d);
  }
  return d;
}

export const inferencesPrecompile: PrecompileDefinition = {
  name: 'Inferences',
  address: INFERENCES,
  codec: new PrecompileCodec(inferencesAbi),
  methods: {
    recordInference: {
      payable: true,
      async run(ctx, [request]) {
        const req = request as InferenceRequest;
        const { store } = ctx;
        const modelId = await existingModel(store, req.modelId);
        const m = model(store, modelId);
        if ((await m.get('status')) !== BigInt(MODEL_STATUS.active))
          throw new Revert('ModelRetired', modelId);
        const price = await m.get('price');
        const fee = ctx.value;
        if (fee < price) throw new Revert('InsufficientFee', price, fee);
        if (fee > UINT128_MAX) throw new Revert('FeeTooHigh', fee);
        const n = req.contributionIds.length;
        if (n === 0) throw new Revert('NoAttributions');
        maxItems(n, LIMITS.maxAttributions);
        if (req.weights.length !== n)
          throw new Revert('LengthMismatch', BigInt(n), BigInt(req.weights.length));
        if (req.deadline < ctx.block.timestamp) throw new Revert('SignatureExpired', req.deadline);

        // The attributions: ascending ids (no duplicates), positive weights summing to 1e6,
        // each contribution accepted and in a datanet the model declared.
        const declared = new Set(await m.items('datanetIds'));
        const contributors: bigint[] = [];
        let total = 0n;
        let last = 0n;
        for (let i = 0; i < n; i++) {
          const id = req.contributionIds[i]!;
          const weight = BigInt(req.weights[i]!);
          if (id <= last) throw new Revert('ContributionsNotAscending', id);
          last = id;
          if (weight === 0n) throw new Revert('ZeroWeight', id);
          total += weight;
          await existingContribution(store, id);
          const c = contribution(store, id);
          if ((await c.get('status')) !== BigInt(CONTRIBUTION_STATUS.accepted)) {
            throw new Revert('ContributionNotAccepted', id);
          }
          const datanetId = await c.get('datanetId');
          if (!declared.has(datanetId)) throw new Revert('DatanetNotDeclared', id, datanetId);
          contributors.push(await c.get('contributor'));
        }
        if (total !== WEIGHT_TOTAL) throw new Revert('WeightsDoNotSum', total);

        // The operator's signature, once per nonce.
        const operator = await m.get('operator');
        const nonceSlot = nonceBitmapSlot(operator, req.nonce);
        ctx.gas.keccak(64);
        ctx.gas.keccak(64);
        const bitmap = await store.load(INFERENCES, nonceSlot);
        const bit = 1n << (req.nonce & 0xffn);
        if ((bitmap & bit) !== 0n) throw new Revert('NonceUsed', hexAddress(operator), req.nonce);
        ctx.gas.keccak(digestHashedBytes(n));
        ctx.gas.charge(GAS_ECRECOVER);
        const digest = attributionDigest(domainOf(ctx.chainId), {
          modelId,
          caller: toBig(ctx.caller),
          inputHash: BigInt(req.inputHash),
          outputHash: BigInt(req.outputHash),
          contributionIds: req.contributionIds,
          weights: req.weights.map(BigInt),
          nonce: req.nonce,
          deadline: req.deadline,
        });
        const signer = recoverSigner(digest, Buffer.from(req.signature.slice(2), 'hex'));
        if (signer !== operator)
          throw new Revert('InvalidSignature', hexAddress(signer), hexAddress(operator));
        await store.store(INFERENCES, nonceSlot, bitmap | bit);

        // The record, its place in the model's and contributions' lists.
        const id = await nextId(store, INFERENCES, COUNTER_SLOT.inferences);
        await inference(store, id).create({
          caller: toBig(ctx.caller),
          modelId,
          fee,
          blockNumber: ctx.block.number,
          timestamp: ctx.block.timestamp,
          inputHash: BigInt(req.inputHash),
          outputHash: BigInt(req.outputHash),
          contributionIds: [...req.contributionIds],
          weights: req.weights.map(BigInt),
        });
        await m.update({ inferenceCount: (await m.get('inferenceCount')) + 1n });
        await modelInferencesList.at(store, MODELS, modelId).push('ids', id);
        ctx.emit('InferenceRecorded', id, modelId, ctx.caller.toString(), req.inputHash, req.outputHash, fee);

        // The fee: owner and contributors by the model's split, the protocol the rest (remainders included).
        await store.move(INFERENCES, REWARDS, fee);
        const ownerShare = (fee * (await m.get('ownerBps'))) / BPS_TOTAL;
        const contributorsShare = (fee * (await m.get('contributorsBps'))) / BPS_TOTAL;
        await credit(ctx, await m.get('owner'), ownerShare);
        let paid = ownerShare;
        for (let i = 0; i < n; i++) {
          const contributionId = req.contributionIds[i]!;
          const weight = BigInt(req.weights[i]!);
          const share = (contributorsShare * weight) / WEIGHT_TOTAL;
          paid += share;
          await credit(ctx, contributors[i]!, share);
          const c = contribution(store, contributionId);
          await c.update({
            attributionCount: (await c.get('attributionCount')) + 1n,
            inferenceEarnings: saturate128((await c.get('inferenceEarnings')) + share),
          });
          await contributionInferencesList.at(store, INFERENCES, contributionId).push('ids', id);
          ctx.emit('Attributed', id, contributionId, hexAddress(contributors[i]!), Number(weight), share);
        }
        await credit(ctx, toBig(TREASURY_ADDRESS), fee - paid);
        return id;
      },
    },
    getInference: {
      view: true,
      async run(ctx, [id]) {
        return readInference(ctx.store, await existingInference(ctx.store, id as bigint));
      },
    },
    inferenceCount: { view: true, run: (ctx) => ctx.store.load(INFERENCES, COUNTER_SLOT.inferences) },
    attributionsOf: {
      view: true,
      async run(ctx, [contributionId, offset, limit]) {
        const id = await existingContribution(ctx.store, contributionId as bigint);
        const p = page(offset as bigint, limit as bigint);
        return contributionInferencesList.at(ctx.store, INFERENCES, id).items('ids', p.offset, p.limit);
      },
    },
    nonceUsed: {
      view: true,
      async run(ctx, [operator, nonce]) {
        const word = await ctx.store.load(
          INFERENCES,
          nonceBitmapSlot(BigInt(operator as Hex), nonce as bigint),
        );
        return (word & (1n << ((nonce as bigint) & 0xffn))) !== 0n;
      },
    },
    domainSeparator: {
      view: true,
      run: async (ctx) => hex32(BigInt(`0x${Buffer.from(domainOf(ctx.chainId)).toString('hex')}`)),
    },
  },
};
