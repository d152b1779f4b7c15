// Weights in parts per million, as the precompiles take them: ids strictly
// ascending, each weight > 0, summing to exactly LIMITS.weightTotal.
import { LIMITS } from './addresses.js';
import { OpenLedgerSdkError } from './errors.js';

/** An id (contribution or datanet) with its weight in parts per million. */
export interface WeightedId {
  id: bigint;
  weight: number;
}

/** An id with a non-negative score in any unit (a relevance, a count, a probability). */
export interface ScoredId {
  id: bigint | number;
  score: number;
}

/**
 * Scores to weights the precompiles accept: ids ascending, each weight at
 * least 1, summing to exactly 1,000,000.
 *
 * Weights are proportional to scores, rounded by largest remainder (ties to
 * the lower id); a positive score too small to round to 1 ppm still gets 1,
 * taken from the largest weight. Scores of one id are added together; ids
 * scored 0 are left out. Throws {@link OpenLedgerSdkError} on a negative or
 * non-finite score, when no score is positive, or with more than 1,000,000
 * positive scores. The count limits (256 attributions, 16 datanets) are left
 * to the precompile.
 *
 * @example
 * normalizeWeights([{ id: 7n, score: 0.2 }, { id: 3n, score: 0.1 }]);
 * // [{ id: 3n, weight: 333_333 }, { id: 7n, weight: 666_667 }]
 */
export function normalizeWeights(scores: readonly ScoredId[]): WeightedId[] {
  const byId = new Map<bigint, number>();
  for (const { id, score } of scores) {
    if (!Number.isFinite(score) || score < 0 || !isUint(id)) {
      throw new OpenLedgerSdkError(
        { code: 'INVALID_SCORE', id, score },
        `invalid score ${score} for id ${id}: scores are finite and >= 0, ids unsigned integers`,
      );
    }
    const key = BigInt(id);
    byId.set(key, (byId.get(key) ?? 0) + score);
  }
  const entries = [...byId].filter(([, score]) => score > 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (entries.length === 0) throw new OpenLedgerSdkError({ code: 'NO_POSITIVE_SCORE' }, 'no positive score');
  const total = LIMITS.weightTotal;
  if (entries.length > total) {
    throw new OpenLedgerSdkError(
      { code: 'TOO_MANY_SCORES', count: entries.length },
      `${entries.length} positive scores: at most ${total} can each get 1 ppm`,
    );
  }

  const sum = entries.reduce((acc, [, score]) => acc + score, 0);
  const exact = entries.map(([, score]) => (score / sum) * total);
  const weights = exact.map(Math.floor);
  // Hand out what flooring left, largest fractional part first (the sort is stable: ties keep id order).
  const order = exact.map((x, i) => ({ i, frac: x - Math.floor(x) })).sort((a, b) => b.frac - a.frac);
  let left = total - weights.reduce((a, b) => a + b, 0);
  for (let k = 0; left > 0; k++, left--) weights[order[k % order.length]!.i]! += 1;
  // Floating point may overshoot by a unit; and every id must keep at least 1.
  for (; left < 0; left++) weights[largest(weights)]! -= 1;
  for (let i = 0; i < weights.length; i++) {
    if (weights[i]! > 0) continue;
    weights[largest(weights)]! -= 1;
    weights[i] = 1;
  }
  return entries.map(([id], i) => ({ id, weight: weights[i]! }));
}

/** Ids and weights as the ABI's two arrays, ids ascending (the precompiles refuse any other order). */
export function splitWeights(list: readonly WeightedId[]): { ids: bigint[]; weights: number[] } {
  const sorted = [...list].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { ids: sorted.map((w) => w.id), weights: sorted.map((w) => w.weight) };
}

function largest(values: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

function isUint(id: bigint | number): boolean {
  return typeof id === 'bigint' ? id >= 0n : Number.isSafeInteger(id) && id >= 0;
}
