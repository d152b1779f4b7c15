// Datanets precompile: curated datasets, their contributions, and the
// owner's review of contributions under an owner-approved policy.
import { CONTRIBUTION_STATUS, DATANET_POLICY, DATANET_STATUS, datanetsAbi } from '@openledger/sdk';
import type { Hex } from 'viem';
import { PrecompileCodec, Revert } from './codec.js';
import type { CallContext, PrecompileDefinition } from './precompile.js';
import { COUNTER_SLOT, contributionLayout, datanetContributionsList, datanetLayout } from './records.js';
import { DATANETS, existing, nextId, page, toBig, uriBytes } from './shared.js';
import type { SlotStore } from './store.js';

export const datanet = (store: SlotStore, id: bigint) => datanetLayout.at(store, DATANETS, id);
export const contribution = (store: SlotStore, id: bigint) => contributionLayout.at(store, DATANETS, id);

export const existingDatanet = (store: SlotStore, id: bigint) =>
  existing(store, DATANETS, COUNTER_SLOT.datanets, id, 'UnknownDatanet');
export const existingContribution = (store: SlotStore, id: bigint) =>
  existing(store, DATANETS, COUNTER_SLOT.contributions, id, 'UnknownContribution');

/** A datanet as the ABI returns it. */
export const readDatanet = (store: SlotStore, id: bigint) => datanet(store, id).readAbi();

/** A contribution as the ABI returns it. */
export const readContribution = (store: SlotStore, id: bigint) => contribution(store, id).readAbi();

async function ownedDatanet(ctx: CallContext, id: bigint) {
  await existingDatanet(ctx.store, id);
  const d = datanet(ctx.store, id);
  if ((await d.get('owner')) !== toBig(ctx.caller))
    throw new Revert('NotDatanetOwner', id, ctx.caller.toString());
  return d;
}

/** Accepting a contribution: it joins its datanet's accepted bytes and starts earning training rewards from now. */
async function accept(ctx: CallContext, id: bigint, datanetId: bigint, size: bigint): Promise<void> {
  const d = datanet(ctx.store, datanetId);
  const [acceptedCount, acceptedSize, rewardPerByte] = [
    await d.get('acceptedCount'),
    await d.get('acceptedSize'),
    await d.get('rewardPerByte'),
  ];
  await d.update({ acceptedCount: acceptedCount + 1n, acceptedSize: acceptedSize + size });
  await contribution(ctx.store, id).update({
    status: BigInt(CONTRIBUTION_STATUS.accepted),
    rewardPerByteSettled: rewardPerByte,
  });
}

export const datanetsPrecompile: PrecompileDefinition = {
  name: 'Datanets',
  address: DATANETS,
  codec: new PrecompileCodec(datanetsAbi),
  methods: {
    createDatanet: {
      async run(ctx, [metadataHash, uri, policy]) {
        const p = policy as number;
        if (p !== DATANET_POLICY.open && p !== DATANET_POLICY.ownerApproved)
          throw new Revert('InvalidPolicy', p);
        const bytes = uriBytes(uri as string);
        const id = await nextId(ctx.store, DATANETS, COUNTER_SLOT.datanets);
        await datanet(ctx.store, id).create({
          owner: toBig(ctx.caller),
          policy: BigInt(p),
          metadataHash: BigInt(metadataHash as Hex),
          uri: bytes,
        });
        ctx.emit('DatanetCreated', id, ctx.caller.toString(), metadataHash, uri, p);
        return id;
      },
    },
    contribute: {
      async run(ctx, [datanetId, contentHash, size, uri]) {
        const dId = await existingDatanet(ctx.store, datanetId as bigint);
        const d = datanet(ctx.store, dId);
        if ((await d.get('status')) !== BigInt(DATANET_STATUS.active)) throw new Revert('DatanetClosed', dId);
        if ((size as bigint) === 0n) throw new Revert('InvalidSize');
        const bytes = uriBytes(uri as string);
        const id = await nextId(ctx.store, DATANETS, COUNTER_SLOT.contributions);
        await contribution(ctx.store, id).create({
          contributor: toBig(ctx.caller),
          status: BigInt(CONTRIBUTION_STATUS.pending),
          datanetId: dId,
          size: size as bigint,
          contentHash: BigInt(contentHash as Hex),
          uri: bytes,
        });
        await d.update({ contributionCount: (await d.get('contributionCount')) + 1n });
        await datanetContributionsList.at(ctx.store, DATANETS, dId).push('ids', id);
        const open = (await d.get('policy')) === BigInt(DATANET_POLICY.open);
        if (open) await accept(ctx, id, dId, size as bigint);
        const status = open ? CONTRIBUTION_STATUS.accepted : CONTRIBUTION_STATUS.pending;
        ctx.emit('ContributionSubmitted', id, dId, ctx.caller.toString(), contentHash, size, uri, status);
        return id;
      },
    },
    reviewContribution: {
      async run(ctx, [contributionId, approve]) {
        const id = await existingContribution(ctx.store, contributionId as bigint);
        const c = contribution(ctx.store, id);
        const dId = await c.get('datanetId');
        await ownedDatanet(ctx, dId);
        if ((await c.get('status')) !== BigInt(CONTRIBUTION_STATUS.pending))
          throw new Revert('NotPending', id);
        if (approve === true) await accept(ctx, id, dId, await c.get('size'));
        else await c.update({ status: BigInt(CONTRIBUTION_STATUS.rejected) });
        const status = approve === true ? CONTRIBUTION_STATUS.accepted : CONTRIBUTION_STATUS.rejected;
        ctx.emit('ContributionReviewed', id, dId, status);
        return undefined;
      },
    },
    setDatanetStatus: {
      async run(ctx, [datanetId, status]) {
        const s = status as number;
        if (s !== DATANET_STATUS.active && s !== DATANET_STATUS.closed) throw new Revert('InvalidStatus', s);
        const d = await ownedDatanet(ctx, datanetId as bigint);
        await d.update({ status: BigInt(s) });
        ctx.emit('DatanetStatusChanged', datanetId, s);
        return undefined;
      },
    },
    getDatanet: {
      view: true,
      async run(ctx, [id]) {
        return readDatanet(ctx.store, await existingDatanet(ctx.store, id as bigint));
      },
    },
    getContribution: {
      view: true,
      async run(ctx, [id]) {
        return readContribution(ctx.store, await existingContribution(ctx.store, id as bigint));
      },
    },
    datanetCount: { view: true, run: (ctx) => ctx.store.load(DATANETS, COUNTER_SLOT.datanets) },
    contributionCount: { view: true, run: (ctx) => ctx.store.load(DATANETS, COUNTER_SLOT.contributions) },
    contributionsOf: {
      view: true,
      async run(ctx, [datanetId, offset, limit]) {
        const id = await existingDatanet(ctx.store, datanetId as bigint);
        const p = page(offset as bigint, limit as bigint);
        return datanetContributionsList.at(ctx.store, DATANETS, id).items('ids', p.offset, p.limit);
      },
    },
  },
};
