// One run of the attribution property test: the commands of attribution-commands.ts
// sent as transactions (each probed first as a bare message), the model of what
// exists kept in step, and the invariants checked after every call.
import assert from 'node:assert/strict';
import type { DevAccount } from '@openledger/core';
import {
  CONTRIBUTION_STATUS,
  DATANET_POLICY,
  datanetsAbi,
  inferencesAbi,
  JOB_STATUS,
  modelsAbi,
  PRECOMPILES,
  rewardsAbi,
  signAttribution,
  TREASURY,
  trainingAbi,
} from '@openledger/sdk';
import { decodeFunctionResult, encodeFunctionData, type Hex, parseEther, zeroAddress } from 'viem';
import {
  BASE_FEE,
  type Call,
  type Command,
  hash,
  idOf,
  type Known,
  pickFrom,
  pickPreferring,
  signer,
  split,
  user,
  weighted,
} from './attribution-commands.js';
import { Harness, RELAY_ABI, RELAY_SOURCE, users } from './attribution-harness.js';
import { checkInvariants } from './attribution-invariants.js';
import { CHAIN_ID } from './helpers.js';

/** Successes and failures per command, and calls that ran out of gas, over all runs. */
export const stats = { tally: new Map<string, { ok: number; failed: number }>(), outOfGas: 0 };

export class Run {
  private readonly h: Harness;
  readonly relay: Hex;
  readonly accounts: Hex[];
  /** OPEN all accounts hold at the start, less the gas burned since. */
  expectedTotal: bigint;
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
        stats.outOfGas++;
      }
    }
    const counts = stats.tally.get(op) ?? { ok: 0, failed: 0 };
    if (out.ok) counts.ok++;
    else counts.failed++;
    stats.tally.set(op, counts);
    this.expectedTotal -= out.gasUsed * BASE_FEE;
    await checkInvariants(h, this);
    return out;
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
      case 'cancelTraining':
      case 'refundExpired': {
        // Both give the budget back: a cancel by its requester (or anyone, refused), a refund once expired.
        const job = pickFrom(known.jobs, cmd.job);
        const asRequester = cmd.op === 'cancelTraining' && cmd.asRequester;
        const caller = asRequester && job !== undefined ? user(job.requester) : from;
        const out = await this.exec(
          cmd.op,
          this.jobCall(caller, cmd.op, job?.id ?? idOf(known.jobs, cmd.job)),
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
            abi: RELAY_ABI,
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
