// The attribution precompiles: one table of addresses and implementations,
// what the node's VMs install, and the accounts genesis gives them.

import type { CustomPrecompile, EVMOpts } from '@ethereumjs/evm';
import { NobleBN254 } from '@ethereumjs/evm';
import { datanetsPrecompile } from './datanets.js';
import { OpenLedgerEVM } from './evm.js';
import { inferencesPrecompile } from './inferences.js';
import { modelsPrecompile } from './models.js';
import { makePrecompile, type PrecompileDefinition } from './precompile.js';
import { rewardsPrecompile } from './rewards.js';
import { trainingPrecompile } from './training.js';

export const ATTRIBUTION_PRECOMPILES: readonly PrecompileDefinition[] = [
  datanetsPrecompile,
  modelsPrecompile,
  inferencesPrecompile,
  trainingPrecompile,
  rewardsPrecompile,
];

/**
 * Code each precompile account holds: one INVALID byte, never run (the
 * precompile answers first), so that Solidity's extcodesize check before a
 * call passes, as for the OP Stack's predeploys.
 */
export const PRECOMPILE_ACCOUNT_CODE = new Uint8Array([0xfe]);

let installed: CustomPrecompile[] | undefined;

export function attributionPrecompiles(): CustomPrecompile[] {
  installed ??= ATTRIBUTION_PRECOMPILES.map((def) => ({
    address: def.address,
    function: makePrecompile(def),
  }));
  return installed;
}

/** An EVM with the attribution precompiles and the call frames they read. */
export function createOpenLedgerEVM(
  opts: Pick<EVMOpts, 'common' | 'stateManager' | 'blockchain'>,
): OpenLedgerEVM {
  return new OpenLedgerEVM({ ...opts, bn254: new NobleBN254(), customPrecompiles: attributionPrecompiles() });
}

export { datanetsPrecompile, readContribution, readDatanet } from './datanets.js';
export { OpenLedgerEVM } from './evm.js';
export { readInference } from './inferences.js';
export { readModel } from './models.js';
export * from './queries.js';
export * from './records.js';
export { pendingTrainingReward, rewardsOf } from './rewards.js';
export { DATANETS, INFERENCES, MODELS, REWARDS, TRAINING, TREASURY_ADDRESS } from './shared.js';
export { ReadingStore, type SlotStore } from './store.js';
export { readTrainingJob } from './training.js';
