import * as assert from 'node:assert/strict';
import { auprc, auroc, metricsAtThreshold } from '../../../../src/engine/metrics/detectionMetrics';
import { percentile, percentileRank } from '../../../../src/engine/metrics/percentile';

describe('detection metrics', () => {
  it("matches numpy's linear-interpolation percentile", () => {
    const values = [15, 20, 35, 40, 50];
    // np.percentile([15, 20, 35, 40, 50], [0, 25, 50, 40, 95, 100]) = 15, 20, 35, 29, 48, 50
    assert.deepEqual([0, 25, 50, 40, 95, 100].map((q) => Number(percentile(values, q).toFixed(6))), [15, 20, 35, 29, 48, 50]);
  });

  it('gives the fraction of values at or below a value as its percentile rank', () => {
    assert.equal(percentileRank([1, 2, 3, 4], 2.5), 50);
    assert.equal(percentileRank([1, 2, 3, 4], 4), 100);
    assert.equal(percentileRank([1, 2, 3, 4], 0), 0);
  });

  it('computes AUROC as the probability an outlier outscores an inlier (ties half), checked by brute force', () => {
    const scores = [0.1, 0.4, 0.35, 0.8, 0.4, 0.9, 0.05, 0.4];
    const isOutlier = [0, 1, 0, 1, 0, 1, 0, 1];
    let wins = 0;
    let pairs = 0;
    scores.forEach((outlierScore, i) => {
      if (!isOutlier[i]) return;
      scores.forEach((inlierScore, j) => {
        if (isOutlier[j]) return;
        pairs++;
        wins += outlierScore > inlierScore ? 1 : outlierScore === inlierScore ? 0.5 : 0;
      });
    });
    assert.ok(Math.abs(auroc({ scores, isOutlier }) - wins / pairs) < 1e-12);
    assert.equal(auroc({ scores: [1, 2, 3, 4], isOutlier: [0, 0, 1, 1] }), 1);
    assert.equal(auroc({ scores: [1, 2, 3, 4], isOutlier: [1, 1, 0, 0] }), 0);
  });

  it("computes AUPRC as scikit-learn's average precision", () => {
    // sklearn.metrics.average_precision_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) = 0.8333…
    assert.ok(Math.abs(auprc({ scores: [0.1, 0.4, 0.35, 0.8], isOutlier: [0, 0, 1, 1] }) - 5 / 6) < 1e-12);
  });

  it('counts outliers as score > threshold for precision, recall, F1 and accuracy', () => {
    const metrics = metricsAtThreshold({ scores: [1, 2, 3, 4, 5, 6], isOutlier: [0, 0, 1, 0, 1, 1] }, 3);
    assert.deepEqual(
      { tp: metrics.truePositives, fp: metrics.falsePositives, tn: metrics.trueNegatives, fn: metrics.falseNegatives },
      { tp: 2, fp: 1, tn: 2, fn: 1 },
    );
    assert.ok(Math.abs(metrics.precision - 2 / 3) < 1e-12);
    assert.ok(Math.abs(metrics.recall - 2 / 3) < 1e-12);
    assert.ok(Math.abs(metrics.f1 - 2 / 3) < 1e-12);
    assert.ok(Math.abs(metrics.accuracy - 4 / 6) < 1e-12);
  });
});
