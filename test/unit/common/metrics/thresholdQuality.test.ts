import * as assert from 'node:assert/strict';
import { splitByClass } from '../../../../src/common/metrics/scoresByClass';
import { qualityAt } from '../../../../src/common/metrics/thresholdQuality';
import { tiedItems } from './bruteForce';

describe('quality at a threshold', () => {
  it('counts outliers as score > threshold for precision, recall, F1, FPR and accuracy', () => {
    const isOutlier = [0, 0, 1, 0, 1, 1];
    const quality = qualityAt(splitByClass([1, 2, 3, 4, 5, 6], (i) => isOutlier[i] === 1), 3);
    assert.deepEqual(
      { tp: quality.truePositives, fp: quality.falsePositives, tn: quality.trueNegatives, fn: quality.falseNegatives },
      { tp: 2, fp: 1, tn: 2, fn: 1 },
    );
    assert.ok(Math.abs(quality.precision - 2 / 3) < 1e-12);
    assert.ok(Math.abs(quality.recall - 2 / 3) < 1e-12);
    assert.ok(Math.abs(quality.f1 - 2 / 3) < 1e-12);
    assert.ok(Math.abs(quality.falsePositiveRate - 1 / 3) < 1e-12);
    assert.ok(Math.abs(quality.accuracy - 4 / 6) < 1e-12);
  });

  it('agrees with a plain count at every threshold, a score equal to the threshold counting as an inlier', () => {
    const { scores, isOutlier } = tiedItems(300, 31);
    const classes = splitByClass(scores, (i) => isOutlier[i]);
    for (const threshold of [-1, 0, 5, 5.5, 12, 20, 26, 30]) {
      const count = (label: boolean, above: boolean): number => scores.filter((score, i) => isOutlier[i] === label && score > threshold === above).length;
      const quality = qualityAt(classes, threshold);
      assert.deepEqual(
        [quality.truePositives, quality.falsePositives, quality.trueNegatives, quality.falseNegatives],
        [count(true, true), count(false, true), count(false, false), count(true, false)],
        `threshold ${threshold}`,
      );
    }
  });

  it('never calls a NaN score an outlier', () => {
    const quality = qualityAt(splitByClass([Number.NaN, Number.NaN, 2], (i) => i !== 1), -Infinity);
    assert.deepEqual([quality.truePositives, quality.falsePositives, quality.trueNegatives, quality.falseNegatives], [1, 0, 1, 1]);
  });

  it('gives 0 for a rate with nothing to divide by: no outliers, no inliers, nothing called an outlier', () => {
    const inliersOnly = qualityAt(splitByClass([1, 2], () => false), 1.5);
    assert.deepEqual([inliersOnly.recall, inliersOnly.precision, inliersOnly.f1, inliersOnly.falsePositiveRate, inliersOnly.accuracy], [0, 0, 0, 0.5, 0.5]);
    const outliersOnly = qualityAt(splitByClass([1, 2], () => true), 5);
    assert.deepEqual([outliersOnly.recall, outliersOnly.precision, outliersOnly.f1, outliersOnly.falsePositiveRate, outliersOnly.accuracy], [0, 0, 0, 0, 0]);
    const nothing = qualityAt(splitByClass([], () => true), 0);
    assert.deepEqual([nothing.recall, nothing.precision, nothing.f1, nothing.falsePositiveRate, nothing.accuracy], [0, 0, 0, 0, 0]);
  });
});
