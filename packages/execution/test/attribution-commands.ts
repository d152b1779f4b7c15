import type { DevAccount } from '@openledger/core';
import { DATANET_POLICY, LIMITS } from '@openledger/sdk';
import fc from 'fast-check';
import { type Abi, type Hex, keccak256, parseEther, toHex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { users } from './attribution-harness.js';

export const BASE_FEE = 1_000_000_000n;
export const WEIGHT_TOTAL = LIMITS.weightTotal;
/** Runs of 20 to 40 calls each: about 20 s in all on a 2-core machine. */
export const NUM_RUNS = 40;

export const user = (i: number): DevAccount => users[i % users.length]!;
const signers = users.map((u) => privateKeyToAccount(u.privateKey as Hex));
export const signer = (i: number) => signers[i % signers.length]!;
export const hash = (s: string) => keccak256(toHex(s));

/** [first (owner or trainer) bps, contributors bps, protocol bps]; the last two are invalid. */
const SPLITS = [
  [7_000, 2_000, 1_000],
  [5_000, 4_500, 500],
  [8_900, 1_000, 100],
  [7_001, 2_000, 1_000],
  [8_000, 1_950, 50],
] as const;
export const split = (i: number) => SPLITS[i % SPLITS.length]!;

type Broken = 'none' | 'sum' | 'zero' | 'order' | 'length';
type FeeKind = 'exact' | 'more' | 'short';

export type Command =
  | { op: 'createDatanet'; by: number; policy: number }
  | { op: 'contribute'; by: number; datanet: number; size: bigint }
  | { op: 'review'; by: number; contribution: number; pending: boolean; accept: boolean; asOwner: boolean }
  | {
      op: 'registerModel';
      by: number;
      datanets: number[];
      raw: number[];
      broken: Broken;
      price: bigint;
      operator: number;
      zeroOperator: boolean;
      split: number;
      parent: number | null;
    }
  | {
      op: 'recordInference';
      by: number;
      model: number;
      contributions: number[];
      anyStatus: boolean;
      raw: number[];
      broken: Broken;
      fee: FeeKind;
      extra: bigint;
      forged: boolean;
      replay: boolean;
      lowGas: number | null;
    }
  | {
      op: 'requestTraining';
      by: number;
      model: number;
      datanets: number[];
      raw: number[];
      broken: Broken;
      kind: number;
      budget: bigint;
      deadline: number;
      split: number;
    }
  | { op: 'acceptTraining'; by: number; job: number; live: boolean }
  | {
      op: 'completeTraining';
      by: number;
      job: number;
      live: boolean;
      asTrainer: boolean;
      split: number;
      operator: number;
    }
  | { op: 'cancelTraining'; by: number; job: number; asRequester: boolean }
  | { op: 'refundExpired'; by: number; job: number }
  | { op: 'settle'; by: number; contributions: number[] }
  | { op: 'claim'; by: number; earner: boolean; value: bigint }
  | { op: 'wait'; seconds: number }
  | { op: 'relayRevert'; by: number; datanet: number };

/**
 * What the test knows of the chain, only to pick calls that can succeed: ids, owners, statuses.
 * The properties themselves are read from the chain.
 */
export interface Known {
  datanets: { id: bigint; owner: number; open: boolean }[];
  contributions: { id: bigint; datanetId: bigint; contributor: number; status: number }[];
  models: { id: bigint; owner: number; datanetIds: readonly bigint[]; price: bigint; operator: number }[];
  jobs: {
    id: bigint;
    requester: number;
    trainer: number | undefined;
    status: number;
    datanetIds: readonly bigint[];
  }[];
  /** Users credited with rewards at some point (by index). */
  earners: Set<number>;
  /** Nonces each operator (by user index) has signed for a recorded inference. */
  usedNonces: Map<number, bigint[]>;
  nextNonce: bigint;
}

/** A reference to an entry of a list: its index (modulo the length), or -1 or -2 for none. */
type Ref = number;

export function pickFrom<T>(list: readonly T[], ref: Ref): T | undefined {
  return ref < 0 || list.length === 0 ? undefined : list[ref % list.length];
}

/** Like pickFrom, among the entries that `keep` accepts when `prefer` is set and there are any. */
export function pickPreferring<T>(
  list: readonly T[],
  ref: Ref,
  prefer: boolean,
  keep: (t: T) => boolean,
): T | undefined {
  const kept = prefer ? list.filter(keep) : [];
  return pickFrom(kept.length > 0 ? kept : list, ref);
}

/** The id of an entry of `list`, or an unknown one: 0 for -1, the one after the last of `count` else. */
export function idOf(list: readonly { id: bigint }[], ref: Ref, count = list.length): bigint {
  const item = pickFrom(list, ref);
  if (item !== undefined) return item.id;
  return ref === -1 ? 0n : BigInt(count + 1);
}

/** Ascending ids with positive weights summing to 1e6, then broken as asked. */
export function weighted(ids: readonly bigint[], raw: readonly number[], broken: Broken) {
  const sorted = [...new Set(ids)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const n = sorted.length;
  const parts = raw.slice(0, n);
  const sum = parts.reduce((a, b) => a + b, 0);
  const weights = parts.map((r) => 1 + Math.floor((r * (WEIGHT_TOTAL - n)) / sum));
  if (n > 0) weights[n - 1]! += WEIGHT_TOTAL - weights.reduce((a, b) => a + b, 0);
  if (n === 0 || broken === 'none') return { ids: sorted, weights };
  if (broken === 'sum') weights[0]! += 1;
  else if (broken === 'zero') {
    if (n > 1) weights[1]! += weights[0]!;
    weights[0] = 0;
  } else if (broken === 'order') {
    if (n === 1) return { ids: [sorted[0]!, sorted[0]!], weights: [500_000, 500_000] };
    sorted.reverse();
    weights.reverse();
  } else weights.pop();
  return { ids: sorted, weights };
}

const by = fc.nat({ max: users.length - 1 });
const ref: fc.Arbitrary<Ref> = fc.oneof(
  { arbitrary: fc.nat({ max: 63 }), weight: 19 },
  { arbitrary: fc.constantFrom(-1, -2), weight: 1 },
);
const refs = (min: number, max: number) => fc.array(ref, { minLength: min, maxLength: max });
const raw = fc.array(fc.integer({ min: 1, max: 1_000 }), { minLength: 6, maxLength: 6 });
const broken = fc.oneof(
  { arbitrary: fc.constant<Broken>('none'), weight: 9 },
  { arbitrary: fc.constantFrom<Broken>('sum', 'zero', 'order', 'length'), weight: 1 },
);
const sometimes = (weight: number) =>
  fc.oneof({ arbitrary: fc.constant(false), weight: 10 - weight }, { arbitrary: fc.constant(true), weight });
const splitIndex = fc.oneof(
  { arbitrary: fc.nat({ max: 2 }), weight: 9 },
  { arbitrary: fc.constantFrom(3, 4), weight: 1 },
);
/** Mostly null. */
const rarely = <T>(arb: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: fc.constant(null), weight: 8 }, { arbitrary: arb, weight: 1 });

const createDatanet = fc.record({
  op: fc.constant('createDatanet' as const),
  by,
  policy: fc.oneof({ arbitrary: fc.constantFrom(0, 1), weight: 9 }, fc.constant(2)),
});
const contribute = fc.record({
  op: fc.constant('contribute' as const),
  by,
  datanet: ref,
  size: fc.oneof(
    { arbitrary: fc.bigInt({ min: 1n, max: 10_000n }), weight: 8 },
    fc.constant(0n),
    fc.constant((1n << 64n) - 1n),
  ),
});
const review = fc.record({
  op: fc.constant('review' as const),
  by,
  contribution: ref,
  pending: sometimes(8),
  accept: fc.boolean(),
  asOwner: sometimes(8),
});
const registerModel = fc.record({
  op: fc.constant('registerModel' as const),
  by,
  datanets: refs(1, 3),
  raw,
  broken,
  price: fc.oneof(
    fc.constantFrom(0n, parseEther('0.001'), parseEther('0.01')),
    fc.bigInt({ min: 1n, max: 10n ** 17n }),
  ),
  operator: by,
  zeroOperator: sometimes(1),
  split: splitIndex,
  parent: rarely(ref),
});
/** A model that registers once its datanets exist. */
const validModel = registerModel.map(
  (m): Command => ({ ...m, broken: 'none', zeroOperator: false, split: m.split % 3, parent: null }),
);
const recordInference = fc.record({
  op: fc.constant('recordInference' as const),
  by,
  model: ref,
  contributions: refs(1, 4),
  anyStatus: sometimes(1),
  raw,
  broken,
  fee: fc.oneof(
    { arbitrary: fc.constantFrom<FeeKind>('exact', 'more'), weight: 7 },
    { arbitrary: fc.constant<FeeKind>('short'), weight: 1 },
  ),
  extra: fc.bigInt({ min: 1n, max: 10n ** 16n }),
  forged: sometimes(1),
  replay: sometimes(1),
  lowGas: rarely(fc.integer({ min: 80_000, max: 120_000 })),
});
const requestTraining = fc.record({
  op: fc.constant('requestTraining' as const),
  by,
  model: ref,
  datanets: refs(1, 3),
  raw,
  broken,
  kind: fc.oneof({ arbitrary: fc.constantFrom(0, 1), weight: 9 }, fc.constant(2)),
  budget: fc.oneof({ arbitrary: fc.bigInt({ min: 1n, max: parseEther('5') }), weight: 9 }, fc.constant(0n)),
  deadline: fc.integer({ min: -50, max: 4_000 }),
  split: fc.oneof({ arbitrary: fc.nat({ max: 2 }), weight: 9 }, fc.constant(3)),
});
/** A training request that goes through once its base model exists. */
const validJob = requestTraining.map(
  (r): Command => ({
    ...r,
    broken: 'none',
    kind: r.kind % 2,
    budget: r.budget + 1n,
    deadline: Math.abs(r.deadline) + 1,
    split: r.split % 3,
  }),
);
const acceptTraining = fc.record({
  op: fc.constant('acceptTraining' as const),
  by,
  job: ref,
  live: sometimes(8),
});
const completeTraining = fc.record({
  op: fc.constant('completeTraining' as const),
  by,
  job: ref,
  live: sometimes(8),
  asTrainer: sometimes(8),
  split: splitIndex,
  operator: by,
});
const cancelTraining = fc.record({
  op: fc.constant('cancelTraining' as const),
  by,
  job: ref,
  asRequester: sometimes(7),
});
const refundExpired = fc.record({ op: fc.constant('refundExpired' as const), by, job: ref });
const settle = fc.record({ op: fc.constant('settle' as const), by, contributions: refs(0, 4) });
const claim = fc.record({
  op: fc.constant('claim' as const),
  by,
  earner: sometimes(7),
  value: fc.oneof({ arbitrary: fc.constant(0n), weight: 9 }, fc.constant(1n)),
});
const wait = fc.record({
  op: fc.constant('wait' as const),
  seconds: fc.integer({ min: 1, max: 3_000 }),
});
const relayRevert = fc.record({ op: fc.constant('relayRevert' as const), by, datanet: ref });

/** Builds the graph a run starts from, in order: datanets, contributions, reviews, models, jobs. */
const setup = fc
  .tuple(
    fc.array(createDatanet, { minLength: 1, maxLength: 3 }),
    fc.array(contribute, { minLength: 2, maxLength: 5 }),
    fc.array(review, { maxLength: 2 }),
    fc.array(fc.oneof({ arbitrary: validModel, weight: 3 }, { arbitrary: registerModel, weight: 1 }), {
      minLength: 1,
      maxLength: 2,
    }),
    fc.array(fc.oneof({ arbitrary: validJob, weight: 3 }, { arbitrary: requestTraining, weight: 1 }), {
      maxLength: 2,
    }),
  )
  .map((parts): Command[] => parts.flat());
const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 1, arbitrary: createDatanet },
  { weight: 3, arbitrary: contribute },
  { weight: 2, arbitrary: review },
  { weight: 2, arbitrary: registerModel },
  { weight: 6, arbitrary: recordInference },
  { weight: 2, arbitrary: requestTraining },
  { weight: 2, arbitrary: acceptTraining },
  { weight: 2, arbitrary: completeTraining },
  { weight: 1, arbitrary: cancelTraining },
  { weight: 1, arbitrary: refundExpired },
  { weight: 2, arbitrary: settle },
  { weight: 3, arbitrary: claim },
  { weight: 1, arbitrary: wait },
  { weight: 1, arbitrary: relayRevert },
);
/** 20 to 40 calls: 4 to 14 that build, then anything. */
export const commands = fc
  .tuple(setup, fc.array(command, { minLength: 16, maxLength: 26 }))
  .map(([first, rest]) => [...first, ...rest]);

/** A run that reaches every success path: datanets, review, model, inference, training in all its ends. */
export const happyPath: Command[] = [
  { op: 'createDatanet', by: 0, policy: DATANET_POLICY.open },
  { op: 'createDatanet', by: 1, policy: DATANET_POLICY.ownerApproved },
  { op: 'contribute', by: 2, datanet: 0, size: 1_000n },
  { op: 'contribute', by: 3, datanet: 1, size: 300n },
  { op: 'review', by: 0, contribution: 1, pending: false, accept: true, asOwner: true },
  {
    op: 'registerModel',
    by: 0,
    datanets: [0, 1],
    raw: [3, 1, 1, 1, 1, 1],
    broken: 'none',
    price: parseEther('0.01'),
    operator: 4,
    zeroOperator: false,
    split: 0,
    parent: null,
  },
  ...[null, 100_000].map(
    (lowGas): Command => ({
      op: 'recordInference',
      by: 5,
      model: 0,
      contributions: [0, 1],
      anyStatus: false,
      raw: [1, 2, 1, 1, 1, 1],
      broken: 'none',
      fee: 'more',
      extra: 7n,
      forged: false,
      replay: false,
      lowGas,
    }),
  ),
  ...[1_000, 100, 100].map(
    (deadline): Command => ({
      op: 'requestTraining',
      by: 2,
      model: 0,
      datanets: [0, 1],
      raw: [1, 1, 1, 1, 1, 1],
      broken: 'none',
      kind: 1,
      budget: parseEther('3'),
      deadline,
      split: 0,
    }),
  ),
  { op: 'acceptTraining', by: 3, job: 0, live: false },
  { op: 'completeTraining', by: 3, job: 0, live: false, asTrainer: true, split: 0, operator: 4 },
  { op: 'settle', by: 1, contributions: [0, 1] },
  { op: 'claim', by: 2, earner: false, value: 0n },
  { op: 'cancelTraining', by: 2, job: 1, asRequester: true },
  { op: 'wait', seconds: 200 },
  { op: 'refundExpired', by: 4, job: 2 },
  { op: 'relayRevert', by: 0, datanet: 0 },
];

export interface Call {
  from: DevAccount;
  to: Hex;
  abi: Abi;
  data: Hex;
  value?: bigint;
  gas?: bigint;
}
