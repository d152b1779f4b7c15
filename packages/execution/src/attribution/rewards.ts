// Rewards precompile: pull-based OPEN balances. Its account holds every
// unclaimed wei: inference fees (credited at once), training budgets
// (credited to trainers and the treasury at once, to contributors per
// accepted byte on their datanet until settled).
import { CONTRIBUTION_STATUS, LIMITS, rewardsAbi, TREASURY } from '@openledger/sdk';
import type { Hex } from 'viem';
import { PrecompileCodec, Revert } from './codec.js';
import { contribution, datanet, existingContribution } from './datanets.js';
import type { CallContext, PrecompileDefinition } from './precompile.js';
import { rewardBalanceSlot } from './records.js';
import { credit, hexAddress, maxItems, REWARDS, toBig } from './shared.js';
import type { SlotStore } from './store.js';

export async function rewardsOf(store: SlotStore, account: bigint): Promise<bigint> {
  return store.load(REWARDS, rewardBalanceSlot(account));
}

/** Training rewards a contribution has accrued since it was last settled (0 unless accepted). */
export async function pendingTrainingReward(store: SlotStore, id: bigint): Promise<bigint> {
  const c = contribution(store, id);
  if ((await c.get('status')) !== BigInt(CONTRIBUTION_STATUS.accepted)) return 0n;
  const perByte = await datanet(store, await c.get('datanetId')).get('rewardPerByte');
  return (await c.get('size')) * (perByte - (await c.get('rewardPerByteSettled')));
}

async function settle(ctx: CallContext, id: bigint): Promise<bigint> {
  await existingContribution(ctx.store, id);
  const owed = await pendingTrainingReward(ctx.store, id);
  if (owed === 0n) return 0n;
  const c = contribution(ctx.store, id);
  const perByte = await datanet(ctx.store, await c.get('datanetId')).get('rewardPerByte');
  const contributor = await c.get('contributor');
  await c.update({ rewardPerByteSettled: perByte });
  await credit(ctx, contributor, owed);
  ctx.emit('ContributionSettled', id, hexAddress(contributor), owed);
  return owed;
}

export const rewardsPrecompile: PrecompileDefinition = {
  name: 'Rewards',
  address: REWARDS,
  codec: new PrecompileCodec(rewardsAbi),
  methods: {
    claim: {
      async run(ctx) {
        const slot = rewardBalanceSlot(toBig(ctx.caller));
        ctx.gas.keccak(64);
        const amount = await ctx.store.load(REWARDS, slot);
        if (amount === 0n) throw new Revert('NothingToClaim');
        await ctx.store.store(REWARDS, slot, 0n);
        await ctx.store.transfer(REWARDS, ctx.caller, amount);
        ctx.emit('Claimed', ctx.caller.toString(), amount);
        return amount;
      },
    },
    settleContributions: {
      async run(ctx, [ids]) {
        const list = ids as readonly bigint[];
        maxItems(list.length, LIMITS.maxSettle);
        let total = 0n;
        for (const id of list) total += await settle(ctx, id);
        return total;
      },
    },
    rewardsOf: {
      view: true,
      run: (ctx, [account]) => rewardsOf(ctx.store, BigInt(account as Hex)),
    },
    pendingTrainingReward: {
      view: true,
      async run(ctx, [id]) {
        return pendingTrainingReward(ctx.store, await existingContribution(ctx.store, id as bigint));
      },
    },
    treasury: { view: true, run: async () => TREASURY },
  },
};
