import * as assert from 'node:assert/strict';
import { clampPercentile, percentile, percentileOfSorted, percentileRank } from '../../../../src/common/metrics/percentile';
import { sortScoresAscending } from '../../../../src/common/metrics/scoreOrder';

describe('percentile', () => {
  it("matches numpy's linear-interpolation percentile", () => {
    const values = [15, 20, 35, 40, 50];
    // np.percentile([15, 20, 35, 40, 50], [0, 25, 50, 40, 95, 100]) = 15, 20, 35, 29, 48, 50
    assert.deepEqual([0, 25, 50, 40, 95, 100].map((q) => Number(percentile(values, q).toFixed(6))), [15, 20, 35, 29, 48, 50]);
  });

  it('reads values already in score order without sorting them, with the same answer', () => {
    const values = [40, 15, 50, 20, 35];
    const sorted = sortScoresAscending(values);
    for (const q of [0, 12.5, 40, 77, 100]) assert.equal(percentileOfSorted(sorted, q), percentile(values, q));
  });

  it('refuses no values and percentiles outside [0, 100]', () => {
    assert.throws(() => percentile([], 50), /no values/);
    for (const q of [-1, 100.5, Number.NaN]) assert.throws(() => percentile([1, 2], q), /must be in \[0, 100\]/);
  });

  it('ranks NaN below every number and reads ±Infinity at an exact position instead of interpolating to NaN', () => {
    const values = [Number.NaN, 3, 1, 4, 2];
    assert.equal(percentile(values, 50), 2);
    assert.equal(percentile(values, 100), 4);
    assert.ok(Number.isNaN(percentile(values, 0)));
    assert.equal(percentile([1, Infinity], 100), Infinity);
    assert.equal(percentile([-Infinity, 1, 2], 50), 1);
  });

  it('gives the fraction of values at or below a value as its percentile rank', () => {
    assert.equal(percentileRank([1, 2, 3, 4], 2.5), 50);
    assert.equal(percentileRank([1, 2, 3, 4], 4), 100);
    assert.equal(percentileRank([1, 2, 3, 4], 0), 0);
    assert.equal(percentileRank([1, 2, 2, 3], 2), 75, 'ties at the value count as at or below it');
    assert.equal(percentileRank(sortScoresAscending([Number.NaN, 1, 2, 3]), 0), 25, 'a NaN is never above a value');
    assert.equal(percentileRank([], 1), 0);
  });

  it('clamps a requested percentile to [0, 100]', () => {
    assert.deepEqual([-5, 0, 42.5, 100, 250].map(clampPercentile), [0, 0, 42.5, 100, 100]);
  });
});
