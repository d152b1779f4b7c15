// The ol_ namespace: OpenLedger's attribution graph (datanets, contributions,
// models, inferences, training jobs, rewards) at any block, paged listings,
// and records with their storage proofs against the block's state root.
import { bigIntToBytes, bytesToHex, setLengthLeft } from '@ethereumjs/util';
import type { AttributionListKind, AttributionQueries, AttributionRecordKind } from '../backend.js';
import type { MethodTable, RpcContext } from '../context.js';
import { InvalidParamsError } from '../errors.js';
import { formatProof, qty } from '../format.js';
import { address, arity, blockRef, looseQuantity, object } from '../params.js';

/** Items one page of a listing returns by default, and at most. */
const DEFAULT_PAGE = 100n;
const MAX_PAGE = 1_000n;

const ENUMS: Record<string, Record<string, readonly string[]>> = {
  datanet: { policy: ['open', 'ownerApproved'], status: ['active', 'closed'] },
  contribution: { status: ['pending', 'accepted', 'rejected'] },
  model: { kind: ['model', 'lora'], status: ['active', 'retired'] },
  inference: {},
  trainingJob: { kind: ['model', 'lora'], status: ['open', 'accepted', 'completed', 'refunded'] },
};

/** Pairs of parallel arrays shown as one list of objects. */
const PAIRS: Record<string, [ids: string, weights: string, out: string, idName: string][]> = {
  model: [['datanetIds', 'datanetWeights', 'datanets', 'datanetId']],
  inference: [['contributionIds', 'weights', 'attributions', 'contributionId']],
  trainingJob: [['datanetIds', 'datanetWeights', 'datanets', 'datanetId']],
};

const KINDS: readonly AttributionRecordKind[] = [
  'datanet',
  'contribution',
  'model',
  'inference',
  'trainingJob',
];

function json(value: unknown): unknown {
  if (typeof value === 'bigint' || typeof value === 'number') return qty(BigInt(value));
  if (Array.isArray(value)) return value.map(json);
  return value;
}

/** A record as JSON-RPC shows it: quantities in hex, enums by name, weights next to their ids. */
export function formatRecord(kind: AttributionRecordKind, id: bigint, record: Record<string, unknown>) {
  const out: Record<string, unknown> = { id: qty(id) };
  const pairs = PAIRS[kind] ?? [];
  const paired = new Set([...pairs.map((p) => p[0]), ...pairs.map((p) => p[1])]);
  for (const [key, value] of Object.entries(record)) {
    if (paired.has(key)) continue;
    const names = ENUMS[kind]?.[key];
    out[key] = names === undefined ? json(value) : (names[Number(value)] ?? json(value));
  }
  for (const [ids, weights, name, idName] of pairs) {
    const a = record[ids] as bigint[];
    const w = record[weights] as (number | bigint)[];
    out[name] = a.map((item, i) => ({ [idName]: qty(item), weight: qty(BigInt(w[i]!)) }));
  }
  return out;
}

function kindParam(value: unknown): AttributionRecordKind {
  if (typeof value !== 'string' || !(KINDS as readonly string[]).includes(value)) {
    throw new InvalidParamsError(`invalid kind: expected one of ${KINDS.join(', ')}`);
  }
  return value as AttributionRecordKind;
}

function pageParam(value: unknown): { offset: bigint; limit: bigint } {
  if (value === undefined || value === null) return { offset: 0n, limit: DEFAULT_PAGE };
  const o = object(value, 'page');
  const offset = o.offset === undefined ? 0n : looseQuantity(o.offset, 'page.offset');
  const limit = o.limit === undefined ? DEFAULT_PAGE : looseQuantity(o.limit, 'page.limit');
  if (limit > MAX_PAGE) throw new InvalidParamsError(`page.limit above ${MAX_PAGE}`);
  return { offset, limit };
}

export function olMethods(ctx: RpcContext, graph: AttributionQueries): MethodTable {
  const getRecord = (kind: AttributionRecordKind) => async (params: readonly unknown[]) => {
    arity(params, 1, 2);
    const id = looseQuantity(params[0], 'id');
    const block = await ctx.requireBlock(blockRef(params[1] ?? 'latest'));
    const found = await graph.record(block, kind, id);
    if (found === undefined) return null;
    const out = formatRecord(kind, id, found.record);
    if (kind === 'contribution')
      out.pendingTrainingReward = qty(await graph.pendingTrainingReward(block, id));
    return out;
  };
  const getList = (kind: AttributionListKind) => async (params: readonly unknown[]) => {
    arity(params, 1, 3);
    const id = looseQuantity(params[0], 'id');
    const { offset, limit } = pageParam(params[1]);
    const block = await ctx.requireBlock(blockRef(params[2] ?? 'latest'));
    const found = await graph.list(block, kind, id, offset, limit);
    if (found === undefined) return null;
    return { total: qty(found.total), offset: qty(offset), items: found.items.map(qty) };
  };
  return {
    ol_getDatanet: getRecord('datanet'),
    ol_getContribution: getRecord('contribution'),
    ol_getModel: getRecord('model'),
    ol_getInference: getRecord('inference'),
    ol_getTrainingJob: getRecord('trainingJob'),
    ol_getDatanetContributions: getList('datanetContributions'),
    ol_getModelInferences: getList('modelInferences'),
    ol_getContributionAttributions: getList('contributionAttributions'),
    ol_getRewards: async (params) => {
      arity(params, 1, 2);
      const who = address(params[0], 'address');
      const block = await ctx.requireBlock(blockRef(params[1] ?? 'latest'));
      return { account: who.toString(), claimable: qty(await graph.rewards(block, who)) };
    },
    ol_getCounts: async (params) => {
      arity(params, 0, 1);
      const block = await ctx.requireBlock(blockRef(params[0] ?? 'latest'));
      const counts = await graph.counts(block);
      return Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, qty(v)]));
    },
    ol_precompiles: (params) => {
      arity(params, 0, 0);
      return graph.addresses;
    },
    ol_getAttributionProof: async (params) => {
      arity(params, 2, 3);
      const kind = kindParam(params[0]);
      const id = looseQuantity(params[1], 'id');
      const block = await ctx.requireBlock(blockRef(params[2] ?? 'latest'));
      const found = await graph.record(block, kind, id);
      if (found === undefined) return null;
      const keys = found.slots.map((s) => setLengthLeft(bigIntToBytes(s), 32));
      const proof = await ctx.backend.proof(block, found.account, keys);
      return {
        kind,
        record: formatRecord(kind, id, found.record),
        blockNumber: qty(block.header.number),
        blockHash: bytesToHex(block.hash()),
        stateRoot: bytesToHex(block.header.stateRoot),
        ...formatProof(
          found.account.toString(),
          proof,
          keys.map((k) => bytesToHex(k)),
        ),
      };
    },
  };
}
