// Reading the attribution graph outside the EVM, for the ol_ RPC: a record by
// kind and id (with the storage slots it lives in, for proofs), paged lists,
// reward balances and counts. Reads a state as it is; gas does not apply.
import type { StateManagerInterface } from '@ethereumjs/common';
import type { Address } from '@ethereumjs/util';
import { readContribution, readDatanet } from './datanets.js';
import { readInference } from './inferences.js';
import { readModel } from './models.js';
import {
  COUNTER_SLOT,
  contributionInferencesList,
  datanetContributionsList,
  modelInferencesList,
} from './records.js';
import { pendingTrainingReward, rewardsOf } from './rewards.js';
import { DATANETS, INFERENCES, isKnown, MODELS, TRAINING } from './shared.js';
import { ReadingStore, type SlotStore } from './store.js';
import { readTrainingJob } from './training.js';

export const RECORD_KINDS = ['datanet', 'contribution', 'model', 'inference', 'trainingJob'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

export const LIST_KINDS = ['datanetContributions', 'modelInferences', 'contributionAttributions'] as const;
export type ListKind = (typeof LIST_KINDS)[number];

const RECORDS: Record<
  RecordKind,
  {
    account: Address;
    counter: bigint;
    read: (store: SlotStore, id: bigint) => Promise<Record<string, unknown>>;
  }
> = {
  datanet: { account: DATANETS, counter: COUNTER_SLOT.datanets, read: readDatanet },
  contribution: { account: DATANETS, counter: COUNTER_SLOT.contributions, read: readContribution },
  model: { account: MODELS, counter: COUNTER_SLOT.models, read: readModel },
  inference: { account: INFERENCES, counter: COUNTER_SLOT.inferences, read: readInference },
  trainingJob: { account: TRAINING, counter: COUNTER_SLOT.trainingJobs, read: readTrainingJob },
};

const LISTS = {
  datanetContributions: { owner: 'datanet', account: DATANETS, layout: datanetContributionsList },
  modelInferences: { owner: 'model', account: MODELS, layout: modelInferencesList },
  contributionAttributions: {
    owner: 'contribution',
    account: INFERENCES,
    layout: contributionInferencesList,
  },
} as const;

export interface RecordRead {
  /** The precompile account whose storage holds it. */
  account: Address;
  record: Record<string, unknown>;
  /** Every slot of `account` the record was read from. */
  slots: bigint[];
}

export class AttributionReader {
  private readonly state: Pick<StateManagerInterface, 'getStorage'>;

  constructor(state: Pick<StateManagerInterface, 'getStorage'>) {
    this.state = state;
  }

  /** Record `id` of `kind`, or undefined when there is none. */
  async record(kind: RecordKind, id: bigint): Promise<RecordRead | undefined> {
    const spec = RECORDS[kind];
    if (!(await this.exists(kind, id))) return undefined;
    const store = new ReadingStore(this.state);
    const record = await spec.read(store, id);
    const slots = [...(store.read.get(spec.account.toString()) ?? [])];
    return { account: spec.account, record, slots };
  }

  /** Items [offset, offset + limit) of a list and its length; undefined when its owner does not exist. */
  async list(
    kind: ListKind,
    id: bigint,
    offset: bigint,
    limit: bigint,
  ): Promise<{ total: bigint; items: bigint[] } | undefined> {
    const spec = LISTS[kind];
    if (!(await this.exists(spec.owner, id))) return undefined;
    const list = spec.layout.at(new ReadingStore(this.state), spec.account, id);
    return { total: await list.length('ids'), items: await list.items('ids', offset, limit) };
  }

  rewards(account: bigint): Promise<bigint> {
    return rewardsOf(new ReadingStore(this.state), account);
  }

  pendingTrainingReward(contributionId: bigint): Promise<bigint> {
    return pendingTrainingReward(new ReadingStore(this.state), contributionId);
  }

  /** How many records of each kind exist. */
  async counts(): Promise<Record<RecordKind, bigint>> {
    const store = new ReadingStore(this.state);
    const out = {} as Record<RecordKind, bigint>;
    for (const kind of RECORD_KINDS)
      out[kind] = await store.load(RECORDS[kind].account, RECORDS[kind].counter);
    return out;
  }

  private exists(kind: RecordKind, id: bigint): Promise<boolean> {
    const spec = RECORDS[kind];
    return isKnown(new ReadingStore(this.state), spec.account, spec.counter, id);
  }
}
