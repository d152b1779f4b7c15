// The properties the attribution property test checks after every call, read
// from chain state alone: OPEN conserved, rewards and escrows fully backed,
// pass-through precompiles empty, every recorded attribution valid.
import assert from 'node:assert/strict';
import {
  CONTRIBUTION_STATUS,
  datanetsAbi,
  inferencesAbi,
  JOB_STATUS,
  PRECOMPILES,
  rewardsAbi,
  TREASURY,
  trainingAbi,
} from '@openledger/sdk';
import type { Hex } from 'viem';
import { WEIGHT_TOTAL } from './attribution-commands.js';
import { type Harness, users } from './attribution-harness.js';

export interface Ledger {
  /** Every account OPEN may sit in. */
  accounts: readonly Hex[];
  /** The Relay contract, which passes rewards through. */
  relay: Hex;
  /** OPEN the accounts held at the start, less the gas burned since. */
  expectedTotal: bigint;
}

export async function checkInvariants(h: Harness, state: Ledger): Promise<void> {
  // 1. OPEN is conserved: what is not burned as gas (tip 0) stays in these accounts.
  let total = 0n;
  for (const a of state.accounts) total += await h.balance(a);
  assert.equal(total, state.expectedTotal, 'OPEN conserved');

  // 2. Rewards are fully backed, escrows match the live jobs, pass-through accounts hold nothing.
  let owed = 0n;
  for (const a of [...users.map((u) => u.address as Hex), TREASURY, state.relay]) {
    owed += await h.read(PRECOMPILES.rewards, rewardsAbi, 'rewardsOf', [a]);
  }
  const contributions = await h.read(PRECOMPILES.datanets, datanetsAbi, 'contributionCount', []);
  const statuses = new Map<bigint, number>();
  for (let id = 1n; id <= contributions; id++) {
    owed += await h.read(PRECOMPILES.rewards, rewardsAbi, 'pendingTrainingReward', [id]);
    statuses.set(id, (await h.read(PRECOMPILES.datanets, datanetsAbi, 'getContribution', [id])).status);
  }
  assert.equal(await h.balance(PRECOMPILES.rewards), owed, 'Rewards holds every unclaimed reward');
  let escrowed = 0n;
  const jobs = await h.read(PRECOMPILES.training, trainingAbi, 'trainingJobCount', []);
  for (let id = 1n; id <= jobs; id++) {
    const job = await h.read(PRECOMPILES.training, trainingAbi, 'getTrainingJob', [id]);
    if (job.status === JOB_STATUS.open || job.status === JOB_STATUS.accepted) escrowed += job.budget;
  }
  assert.equal(await h.balance(PRECOMPILES.training), escrowed, 'Training holds the live budgets');
  for (const a of [PRECOMPILES.inferences, PRECOMPILES.datanets, PRECOMPILES.models, TREASURY]) {
    assert.equal(await h.balance(a), 0n, `${a} holds no OPEN`);
  }

  // 3. Every recorded inference attributes to accepted contributions, ascending, weights summing to 1e6.
  const inferences = await h.read(PRECOMPILES.inferences, inferencesAbi, 'inferenceCount', []);
  for (let id = 1n; id <= inferences; id++) {
    const inf = await h.read(PRECOMPILES.inferences, inferencesAbi, 'getInference', [id]);
    assert.equal(inf.contributionIds.length, inf.weights.length);
    assert.ok(inf.weights.length > 0);
    assert.ok(
      inf.weights.every((w) => w > 0),
      `inference ${id}: weights ${inf.weights}`,
    );
    assert.equal(
      inf.weights.reduce((a, b) => a + b, 0),
      WEIGHT_TOTAL,
    );
    inf.contributionIds.forEach((c, i) => {
      assert.ok(i === 0 || c > inf.contributionIds[i - 1]!, `inference ${id}: ids ${inf.contributionIds}`);
      assert.equal(statuses.get(c), CONTRIBUTION_STATUS.accepted, `inference ${id}: contribution ${c}`);
    });
  }
}
