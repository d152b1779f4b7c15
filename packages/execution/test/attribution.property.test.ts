// Property tests of the attribution precompiles: random sequences of calls, valid and broken, by
// random users; after each call the chain state alone must show OPEN conserved, rewards and escrows
// fully backed, every recorded attribution valid, and a failed call leaving no trace.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DevAccount } from '@openledger/core';
import {
  CONTRIBUTION_STATUS,
  DATANET_POLICY,
  datanetsAbi,
  inferencesAbi,
  JOB_STATUS,
  LIMITS,
  modelsAbi,
  PRECOMPILES,
  rewardsAbi,
  signAttribution,
  TREASURY,
  trainingAbi,
} from '@openledger/sdk';
import fc from 'fast-check';
import {
  type Abi,
  decodeFunctionResult,
  encodeFunctionData,
  type Hex,
  keccak256,
  parseEther,
  toHex,
  zeroAddress,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { Harness, RELAY_SOURCE, users } from './attribution-harness.js';
import { CHAIN_ID } from './helpers.js';

const BASE_FEE = 1_000_000_000n;
const WEIGHT_TOTAL = LIMITS.weightTotal;
/** Runs of 20 to 40 calls each: about 20 s in all on a 2-core machine. */
const NUM_RUNS = 40;

const user = (i: number): DevAccount => users[i % users.length]!;
const signers = users.map((u) => privateKeyToAccount(u.privateKey as Hex));
const signer = (i: number) => signers[i % signers.length]!;
const hash = (s: string) => keccak256(toHex(s));

const relayAbi = [
  {
    type: 'function',
    name: 'relay',
    stateMutability: 'payable',
    inputs: [
      { name: 'target', type: 'address' },
      { name: 'mode', type: 'uint8' },
      { name: 'data', type: 'bytes' },
    ],
    outputs: [{ name: 'out', type: 'bytes' }],
  },
] as const;

/** [first (owner or trainer) bps, contributors bps, protocol bps]; the last two are invalid. */
const SPLITS = [
  [7_000, 2_000, 1_000],
  [5_000, 4_500, 500],
  [8_900, 1_000, 100],
  [7_001, 2_000, 1_000],
  [8_000, 1_950, 50],
] as const;
const split = (i: number) => SPLITS[i % SPLITS.length]!;

type Broken = 'none' | 'sum' | 'zero' | 'order' | 'length';
type FeeKind = 'exact' | 'more' | 'short';

type Command =
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
interface Known {
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

function pickFrom<T>(list: readonly T[], ref: Ref): T | undefined {
  return ref < 0 || list.length === 0 ? undefined : list[ref % list.length];
}

/** Like pickFrom, among the entries that `keep` accepts when `prefer` is set and there are any. */
function pickPreferring<T>(
  list: readonly T[],
  ref: Ref,
  prefer: boolean,
  keep: (t: T) => boolean,
): T | undefined {
  const kept = prefer ? list.filter(keep) : [];
  return pickFrom(kept.length > 0 ? kept : list, ref);
}

/** The id of an entry of `list`, or an unknown one: 0 for -1, the one after the last of `count` else. */
function idOf(list: readonly { id: bigint }[], ref: Ref, count = list.length): bigint {
  const item = pickFrom(list, ref);
  if (item !== undefined) return item.id;
  return ref === -1 ? 0n : BigInt(count + 1);
}

/** Ascending ids with positive weights summing to 1e6, then broken as asked. */
function weighted(ids: readonly bigint[], raw: readonly number[], broken: Broken) {
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
const wait = fc.record({ op: fc.constant('wait' as const), seconds: fc.integer({ min: 1, max: 3_000 }) });
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
const commands = fc
  .tuple(setup, fc.array(command, { minLength: 16, maxLength: 26 }))
  .map(([first, rest]) => [...first, ...rest]);

/** A run that reaches every success path: datanets, review, model, inference, training in all its ends. */
const happyPath: Command[] = [
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

interface Call {
  from: DevAccount;
  to: Hex;
  abi: Abi;
  data: Hex;
  value?: bigint;
  gas?: bigint;
}

/** Successes and failures per command, over all runs. */
const tally = new Map<string, { ok: number; failed: number }>();
let outOfGas = 0;

class Run {
  private readonly h: Harness;
  private readonly relay: Hex;
  private readonly accounts: Hex[];
  /** OPEN all accounts hold at the start, less the gas burned since. */
  private expectedTotal: bigint;
  readonly known: Known = {
    datanets: [],
    contributions: [],
    models: [],
    jobs: [],
    earners: new Set(),
    usedNonces: new Map(),
    nextNonce: 0n,
  };

  private constructor(h: Harness, relay: Hex, accounts: Hex[], total: bigint) {
    this.h = h;
    this.relay = relay;
    this.accounts = accounts;
    this.expectedTotal = total;
  }

  static async start(): Promise<Run> {
    const h = await Harness.create();
    const relay = await h.deploy(user(0), RELAY_SOURCE, 'Relay');
    const accounts: Hex[] = [
      ...users.map((u) => u.address as Hex),
      ...Object.values(PRECOMPILES),
      zeroAddress,
      relay,
      TREASURY,
    ];
    let total = 0n;
    for (const a of accounts) total += await h.balance(a);
    return new Run(h, relay, accounts, total);
  }

  /**
   * Probes the call as a bare message first (a failed probe must leave the state root as it was,
   * and must fail as the transaction does), then sends it as a transaction and checks the properties.
   */
  private async exec(op: string, call: Call) {
    const { h } = this;
    const root = await h.stateRoot();
    const probeGas = call.gas === undefined ? undefined : call.gas - 21_000n;
    const probe = await h.probe(call.from, call.to, call.data, call.value, probeGas, call.abi);
    if (!probe.ok) {
      assert.equal(
        await h.stateRoot(),
        root,
        `failed ${op} (${probe.error?.name ?? probe.failure}) left state`,
      );
    }
    const out = await h.send(call.from, call.to, call.data, call.value, call.gas, call.abi);
    if (call.gas === undefined) {
      assert.deepEqual(
        { ok: out.ok, error: out.error?.name, failure: out.failure },
        { ok: probe.ok, error: probe.error?.name, failure: probe.failure },
        `${op}: the transaction ends as its probe`,
      );
    } else {
      assert.ok(!out.ok && !probe.ok, `${op} with ${call.gas} gas`);
      if (out.failure === 'out of gas') {
        assert.equal(out.gasUsed, call.gas, 'out of gas spends all the gas');
        outOfGas++;
      }
    }
    const counts = tally.get(op) ?? { ok: 0, failed: 0 };
    if (out.ok) counts.ok++;
    else counts.failed++;
    tally.set(op, counts);
    this.expectedTotal -= out.gasUsed * BASE_FEE;
    await this.checkProperties();
    return out;
  }

  private async checkProperties(): Promise<void> {
    const { h } = this;
    // 1. OPEN is conserved: what is not burned as gas (tip 0) stays in these accounts.
    let total = 0n;
    for (const a of this.accounts) total += await h.balance(a);
    assert.equal(total, this.expectedTotal, 'OPEN conserved');

    // 2. Rewards are fully backed, escrows match the live jobs, pass-through accounts hold nothing.
    let owed = 0n;
    for (const a of [...users.map((u) => u.address as Hex), TREASURY, this.relay]) {
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

  async run(cmd: Command): Promise<void> {
    const { h, known } = this;
    const from = 'by' in cmd ? user(cmd.by) : user(0);
    switch (cmd.op) {
      case 'createDatanet': {
        const uri = `ipfs://datanet/${known.datanets.length}`;
        const out = await this.exec(cmd.op, {
          from,
          to: PRECOMPILES.datanets,
          abi: datanetsAbi,
          data: encodeFunctionData({
            abi: datanetsAbi,
            functionName: 'createDatanet',
            args: [hash(uri), uri, cmd.policy],
          }),
        });
        if (out.ok) {
          const id = decodeFunctionResult({
            abi: datanetsAbi,
            functionName: 'createDatanet',
            data: out.returnValue,
          });
          known.datanets.push({ id, owner: cmd.by, open: cmd.policy === DATANET_POLICY.open });
        }
        return;
      }
      case 'contribute': {
        const datanetId = idOf(known.datanets, cmd.datanet);
        const uri = `ipfs://contribution/${known.contributions.length}`;
        const out = await this.exec(cmd.op, {
          from,
          to: PRECOMPILES.datanets,
          abi: datanetsAbi,
          data: encodeFunctionData({
            abi: datanetsAbi,
            functionName: 'contribute',
            args: [datanetId, hash(uri), cmd.size, uri],
          }),
        });
        if (out.ok) {
          const id = decodeFunctionResult({
            abi: datanetsAbi,
            functionName: 'contribute',
            data: out.returnValue,
          });
          const open = known.datanets.find((d) => d.id === datanetId)?.open === true;
          const status = open ? CONTRIBUTION_STATUS.accepted : CONTRIBUTION_STATUS.pending;
          known.contributions.push({ id, datanetId, contributor: cmd.by, status });
        }
        return;
      }
      case 'review': {
        const c = pickPreferring(
          known.contributions,
          cmd.contribution,
          cmd.pending,
          (x) => x.status === CONTRIBUTION_STATUS.pending,
        );
        const owner = known.datanets.find((d) => d.id === c?.datanetId)?.owner;
        const reviewer = cmd.asOwner && owner !== undefined ? user(owner) : from;
        const out = await this.exec(cmd.op, {
          from: reviewer,
          to: PRECOMPILES.datanets,
          abi: datanetsAbi,
          data: encodeFunctionData({
            abi: datanetsAbi,
            functionName: 'reviewContribution',
            args: [c?.id ?? idOf(known.contributions, cmd.contribution), cmd.accept],
          }),
        });
        if (out.ok && c !== undefined) {
          c.status = cmd.accept ? CONTRIBUTION_STATUS.accepted : CONTRIBUTION_STATUS.rejected;
        }
        return;
      }
      case 'registerModel': {
        const datanets = weighted(
          cmd.datanets.map((r) => idOf(known.datanets, r)),
          cmd.raw,
          cmd.broken,
        );
        const [ownerBps, contributorsBps, protocolBps] = split(cmd.split);
        const out = await this.exec(cmd.op, {
          from,
          to: PRECOMPILES.models,
          abi: modelsAbi,
          data: encodeFunctionData({
            abi: modelsAbi,
            functionName: 'registerModel',
            args: [
              {
                parentId: cmd.parent === null ? 0n : idOf(known.models, cmd.parent),
                kind: cmd.parent === null ? 0 : 1,
                recipeHash: hash('recipe'),
                uri: 'ipfs://model',
                datanetIds: datanets.ids,
                datanetWeights: datanets.weights,
                price: cmd.price,
                ownerBps,
                contributorsBps,
                protocolBps,
                operator: cmd.zeroOperator ? zeroAddress : signer(cmd.operator).address,
              },
            ],
          }),
        });
        if (out.ok) {
          const id = decodeFunctionResult({
            abi: modelsAbi,
            functionName: 'registerModel',
            data: out.returnValue,
          });
          known.models.push({
            id,
            owner: cmd.by,
            datanetIds: datanets.ids,
            price: cmd.price,
            operator: cmd.operator,
          });
        }
        return;
      }
      case 'recordInference': {
        const m = pickFrom(known.models, cmd.model);
        const candidates = cmd.anyStatus
          ? known.contributions
          : known.contributions.filter(
              (c) =>
                c.status === CONTRIBUTION_STATUS.accepted && m?.datanetIds.includes(c.datanetId) === true,
            );
        const attributions = weighted(
          cmd.contributions.map((r) => idOf(candidates, r, known.contributions.length)),
          cmd.raw,
          cmd.broken,
        );
        const price = m?.price ?? 0n;
        const fee =
          cmd.fee === 'short' && price > 0n ? price - 1n : cmd.fee === 'exact' ? price : price + cmd.extra;
        const operator = m?.operator ?? cmd.by;
        const used = known.usedNonces.get(operator) ?? [];
        const replayed = cmd.replay ? used[Number(cmd.extra % 1_000n) % Math.max(used.length, 1)] : undefined;
        const nonce = replayed ?? known.nextNonce++;
        const message = {
          modelId: m?.id ?? idOf(known.models, cmd.model),
          caller: from.address as Hex,
          inputHash: hash(`prompt ${nonce}`),
          outputHash: hash(`answer ${nonce}`),
          contributionIds: attributions.ids,
          weights: attributions.weights,
          nonce,
          deadline: h.timestamp + 600n,
        };
        const signature = await signAttribution(
          signer(cmd.forged ? operator + 1 : operator),
          CHAIN_ID,
          message,
        );
        const out = await this.exec(cmd.lowGas === null ? cmd.op : `${cmd.op} (low gas)`, {
          from,
          to: PRECOMPILES.inferences,
          abi: inferencesAbi,
          data: encodeFunctionData({
            abi: inferencesAbi,
            functionName: 'recordInference',
            args: [{ ...message, signature }],
          }),
          value: fee,
          ...(cmd.lowGas === null ? {} : { gas: BigInt(cmd.lowGas) }),
        });
        if (out.ok && m !== undefined) {
          known.usedNonces.set(operator, [...used, nonce]);
          known.earners.add(m.owner);
          for (const c of known.contributions)
            if (attributions.ids.includes(c.id)) known.earners.add(c.contributor);
        }
        return;
      }
      case 'requestTraining': {
        const datanets = weighted(
          cmd.datanets.map((r) => idOf(known.datanets, r)),
          cmd.raw,
          cmd.broken,
        );
        const [trainerBps, contributorsBps] = [
          [6_000, 3_500],
          [5_000, 4_000],
          [7_000, 2_500],
          [7_000, 3_500],
        ][cmd.split % 4]!;
        const deadline = h.timestamp + BigInt(cmd.deadline);
        const out = await this.exec(cmd.op, {
          from,
          to: PRECOMPILES.training,
          abi: trainingAbi,
          data: encodeFunctionData({
            abi: trainingAbi,
            functionName: 'requestTraining',
            args: [
              {
                baseModelId: idOf(known.models, cmd.model),
                kind: cmd.kind,
                recipeHash: hash('lora recipe'),
                datanetIds: datanets.ids,
                datanetWeights: datanets.weights,
                deadline: deadline < 0n ? 0n : deadline,
                trainerBps: trainerBps!,
                contributorsBps: contributorsBps!,
              },
            ],
          }),
          value: cmd.budget,
        });
        if (out.ok) {
          const id = decodeFunctionResult({
            abi: trainingAbi,
            functionName: 'requestTraining',
            data: out.returnValue,
          });
          known.jobs.push({
            id,
            requester: cmd.by,
            trainer: undefined,
            status: JOB_STATUS.open,
            datanetIds: datanets.ids,
          });
        }
        return;
      }
      case 'acceptTraining': {
        const job = pickPreferring(known.jobs, cmd.job, cmd.live, (j) => j.status === JOB_STATUS.open);
        const out = await this.exec(
          cmd.op,
          this.jobCall(from, 'acceptTraining', job?.id ?? idOf(known.jobs, cmd.job)),
        );
        if (out.ok && job !== undefined) {
          job.status = JOB_STATUS.accepted;
          job.trainer = cmd.by;
        }
        return;
      }
      case 'completeTraining': {
        const job = pickPreferring(known.jobs, cmd.job, cmd.live, (j) => j.status === JOB_STATUS.accepted);
        const trainer = cmd.asTrainer && job?.trainer !== undefined ? job.trainer : cmd.by;
        const [ownerBps, contributorsBps, protocolBps] = split(cmd.split);
        const price = parseEther('0.002');
        const out = await this.exec(cmd.op, {
          from: user(trainer),
          to: PRECOMPILES.training,
          abi: trainingAbi,
          data: encodeFunctionData({
            abi: trainingAbi,
            functionName: 'completeTraining',
            args: [
              job?.id ?? idOf(known.jobs, cmd.job),
              {
                uri: 'ipfs://adapter',
                price,
                ownerBps,
                contributorsBps,
                protocolBps,
                operator: signer(cmd.operator).address,
              },
            ],
          }),
        });
        if (out.ok && job !== undefined) {
          job.status = JOB_STATUS.completed;
          const id = decodeFunctionResult({
            abi: trainingAbi,
            functionName: 'completeTraining',
            data: out.returnValue,
          });
          known.models.push({
            id,
            owner: job.requester,
            datanetIds: job.datanetIds,
            price,
            operator: cmd.operator,
          });
          known.earners.add(trainer);
        }
        return;
      }
      case 'cancelTraining': {
        const job = pickFrom(known.jobs, cmd.job);
        const caller = cmd.asRequester && job !== undefined ? user(job.requester) : from;
        const out = await this.exec(
          cmd.op,
          this.jobCall(caller, 'cancelTraining', job?.id ?? idOf(known.jobs, cmd.job)),
        );
        if (out.ok && job !== undefined) job.status = JOB_STATUS.refunded;
        return;
      }
      case 'refundExpired': {
        const job = pickFrom(known.jobs, cmd.job);
        const out = await this.exec(
          cmd.op,
          this.jobCall(from, 'refundExpired', job?.id ?? idOf(known.jobs, cmd.job)),
        );
        if (out.ok && job !== undefined) job.status = JOB_STATUS.refunded;
        return;
      }
      case 'settle': {
        const ids = cmd.contributions.map((r) => idOf(known.contributions, r));
        const out = await this.exec(cmd.op, {
          from,
          to: PRECOMPILES.rewards,
          abi: rewardsAbi,
          data: encodeFunctionData({ abi: rewardsAbi, functionName: 'settleContributions', args: [ids] }),
        });
        const total = out.ok
          ? decodeFunctionResult({
              abi: rewardsAbi,
              functionName: 'settleContributions',
              data: out.returnValue,
            })
          : 0n;
        if (total > 0n) {
          for (const c of known.contributions) if (ids.includes(c.id)) known.earners.add(c.contributor);
        }
        return;
      }
      case 'claim': {
        const earners = [...known.earners];
        const claimant = cmd.earner && earners.length > 0 ? earners[cmd.by % earners.length]! : cmd.by;
        const out = await this.exec(cmd.op, {
          from: user(claimant),
          to: PRECOMPILES.rewards,
          abi: rewardsAbi,
          data: encodeFunctionData({ abi: rewardsAbi, functionName: 'claim', args: [] }),
          value: cmd.value,
        });
        if (out.ok) known.earners.delete(claimant);
        return;
      }
      case 'wait': {
        h.timestamp += BigInt(cmd.seconds);
        return;
      }
      case 'relayRevert': {
        // Mode 4: the precompile's write succeeds, then the relay reverts with its output.
        const datanetId = pickFrom(known.datanets, cmd.datanet)?.id;
        const inner =
          datanetId === undefined
            ? encodeFunctionData({
                abi: datanetsAbi,
                functionName: 'createDatanet',
                args: [hash('relayed'), 'relayed', 0],
              })
            : encodeFunctionData({
                abi: datanetsAbi,
                functionName: 'contribute',
                args: [datanetId, hash('relayed'), 5n, 'relayed'],
              });
        const out = await this.exec(cmd.op, {
          from,
          to: this.relay,
          abi: datanetsAbi,
          data: encodeFunctionData({
            abi: relayAbi,
            functionName: 'relay',
            args: [PRECOMPILES.datanets, 4, inner],
          }),
        });
        assert.equal(out.ok, false, 'the relay reverts');
        return;
      }
    }
  }

  private jobCall(
    from: DevAccount,
    fn: 'acceptTraining' | 'cancelTraining' | 'refundExpired',
    id: bigint,
  ): Call {
    return {
      from,
      to: PRECOMPILES.training,
      abi: trainingAbi,
      data: encodeFunctionData({ abi: trainingAbi, functionName: fn, args: [id] }),
    };
  }
}

describe('attribution precompiles, property-based', () => {
  it('conserve OPEN, back every reward, keep attributions valid and leave no trace of a failed call', async () => {
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(commands, async (cmds) => {
        const run = await Run.start();
        for (const cmd of cmds) await run.run(cmd);
      }),
      { numRuns: NUM_RUNS, examples: [[happyPath]] },
    );
    const summary = [...tally.entries()].map(([op, c]) => `${op} ${c.ok}/${c.ok + c.failed}`).join(', ');
    console.log(
      `# ${NUM_RUNS + 1} runs in ${Date.now() - started} ms; ok/calls: ${summary}; out of gas: ${outOfGas}`,
    );
    // The generators reach every success path (the happy path run guarantees it) and every kind of failure.
    for (const op of [
      'createDatanet',
      'contribute',
      'review',
      'registerModel',
      'recordInference',
      'requestTraining',
      'acceptTraining',
      'completeTraining',
      'cancelTraining',
      'refundExpired',
      'settle',
      'claim',
    ]) {
      assert.ok((tally.get(op)?.ok ?? 0) > 0, `${op} succeeded at least once`);
    }
    assert.ok(outOfGas > 0, 'an inference ran out of gas');
    assert.ok((tally.get('relayRevert')?.failed ?? 0) > 0);
  });
});
