// normalizeWeights: scores to parts per million the precompiles accept, exactly.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { OpenLedgerSdkError } from '../src/errors.js';
import { normalizeWeights, splitWeights } from '../src/weights.js';

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return err instanceof OpenLedgerSdkError ? err.detail.code : 'other';
  }
  return undefined;
};

describe('normalizeWeights', () => {
  it('is proportional, sums to 1,000,000 and sorts ids ascending', () => {
    assert.deepEqual(
      normalizeWeights([
        { id: 7n, score: 0.2 },
        { id: 3n, score: 0.1 },
      ]),
      [
        { id: 3n, weight: 333_333 },
        { id: 7n, weight: 666_667 },
      ],
    );
    assert.deepEqual(
      normalizeWeights([
        { id: 1, score: 1 },
        { id: 2, score: 1 },
        { id: 3, score: 1 },
      ]).map((w) => w.weight),
      [333_334, 333_333, 333_333],
      'ties go to the lower id',
    );
    assert.deepEqual(normalizeWeights([{ id: 4n, score: 1e-300 }]), [{ id: 4n, weight: 1_000_000 }]);
  });

  it('adds the scores of one id, leaves out zeros, and gives a tiny score 1 ppm', () => {
    assert.deepEqual(
      normalizeWeights([
        { id: 2n, score: 1 },
        { id: 9n, score: 0 },
        { id: 2n, score: 1 },
        { id: 1n, score: 2 },
      ]),
      [
        { id: 1n, weight: 500_000 },
        { id: 2n, weight: 500_000 },
      ],
    );
    assert.deepEqual(
      normalizeWeights([
        { id: 1n, score: 1e9 },
        { id: 2n, score: 1 },
      ]),
      [
        { id: 1n, weight: 999_999 },
        { id: 2n, weight: 1 },
      ],
    );
  });

  it('refuses bad scores with typed errors', () => {
    assert.equal(
      codeOf(() => normalizeWeights([])),
      'NO_POSITIVE_SCORE',
    );
    assert.equal(
      codeOf(() => normalizeWeights([{ id: 1n, score: 0 }])),
      'NO_POSITIVE_SCORE',
    );
    for (const score of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.equal(
        codeOf(() => normalizeWeights([{ id: 1n, score }])),
        'INVALID_SCORE',
      );
    }
    assert.equal(
      codeOf(() => normalizeWeights([{ id: -1n, score: 1 }])),
      'INVALID_SCORE',
    );
    assert.equal(
      codeOf(() => normalizeWeights([{ id: 1.5, score: 1 }])),
      'INVALID_SCORE',
    );
  });

  it('always yields ascending ids and positive weights summing to exactly 1,000,000', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            id: fc.bigInt({ min: 0n, max: 1000n }),
            score: fc.oneof(fc.double({ min: 0, max: 1e12, noNaN: true }), fc.integer({ min: 0, max: 10 })),
          }),
          { minLength: 1, maxLength: 300 },
        ),
        (scores) => {
          if (!scores.some((s) => s.score > 0)) return;
          const out = normalizeWeights(scores);
          assert.equal(
            out.reduce((a, w) => a + w.weight, 0),
            1_000_000,
          );
          for (let i = 0; i < out.length; i++) {
            assert.ok(Number.isInteger(out[i]!.weight) && out[i]!.weight >= 1);
            if (i > 0) assert.ok(out[i]!.id > out[i - 1]!.id);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('splitWeights gives the ABI arrays, ids ascending', () => {
    assert.deepEqual(
      splitWeights([
        { id: 5n, weight: 1 },
        { id: 2n, weight: 999_999 },
      ]),
      { ids: [2n, 5n], weights: [999_999, 1] },
    );
  });
});
