// Rewards: settle contributions' training rewards, claim balances in native OPEN, read balances.
import type { Address, Hash } from 'viem';
import { readContract, writeContract } from 'viem/actions';
import { rewardsAbi } from '../abi.js';
import { PRECOMPILES } from '../addresses.js';
import {
  block,
  type OpenLedgerPublicClient,
  type OpenLedgerWalletClient,
  type ReadOptions,
  type TransactionOptions,
  transaction,
} from './client.js';

const rewards = { address: PRECOMPILES.rewards, abi: rewardsAbi } as const;

/**
 * Moves the training rewards accrued by up to 256 contributions to their
 * contributors' balances; anyone may send it, for anyone's contributions.
 * Refusals: UnknownContribution, TooManyItems.
 */
export function settleContributions(
  client: OpenLedgerWalletClient,
  params: { contributionIds: readonly bigint[] } & TransactionOptions,
): Promise<Hash> {
  return writeContract(client, {
    ...transaction(client, params),
    ...rewards,
    functionName: 'settleContributions',
    args: [params.contributionIds],
  });
}

/**
 * Pays the sender's whole reward balance in native OPEN; the amount is in the
 * receipt's `Claimed` event (`waitForAttributionReceipt`). Refusals: NothingToClaim.
 */
export function claimRewards(client: OpenLedgerWalletClient, params: TransactionOptions = {}): Promise<Hash> {
  return writeContract(client, { ...transaction(client, params), ...rewards, functionName: 'claim' });
}

/** An account's claimable balance in wei: fees and settled training rewards (not pending ones). */
export function getRewards(
  client: OpenLedgerPublicClient,
  params: { account: Address } & ReadOptions,
): Promise<bigint> {
  return readContract(client, {
    ...block(params),
    ...rewards,
    functionName: 'rewardsOf',
    args: [params.account],
  });
}

/** Training rewards a contribution has accrued and not yet settled, in wei (0 unless accepted). */
export function getPendingTrainingReward(
  client: OpenLedgerPublicClient,
  params: { contributionId: bigint } & ReadOptions,
): Promise<bigint> {
  return readContract(client, {
    ...block(params),
    ...rewards,
    functionName: 'pendingTrainingReward',
    args: [params.contributionId],
  });
}
