import * as assert from 'node:assert/strict';
import { auprc } from '../../../../src/common/metrics/auprc';
import { auroc } from '../../../../src/common/metrics/auroc';
import { precisionRecallCurve, rocCurve } from '../../../../src/common/metrics/curves';
import { splitByClass } from '../../../../src/common/metrics/scoresByClass';
import { averagePrecisionByThresholds, pairwiseAuroc, tiedItems } from './bruteForce';

/** The classes of parallel score and 0/1 (or boolean, or unknown) label arrays. */
function classesOf(scores: readonly number[], isOutlier: readonly (boolean | number | undefined)[]): ReturnType<typeof splitByClass> {
  return splitByClass(scores, (i) => (isOutlier[i] === undefined ? undefined : Boolean(isOutlier[i])));
}

describe('ranking metrics (AUROC, AUPRC, ROC and PR curves)', () => {
  it('computes AUROC as the probability an outlier outscores an inlier (ties half), checked by brute force', () => {
    const scores = [0.1, 0.4, 0.35, 0.8, 0.4, 0.9, 0.05, 0.4];
    const isOutlier = [0, 1, 0, 1, 0, 1, 0, 1];
    assert.ok(Math.abs(auroc(classesOf(scores, isOutlier)) - pairwiseAuroc(scores, isOutlier.map(Boolean))) < 1e-12);
    assert.equal(auroc(classesOf([1, 2, 3, 4], [0, 0, 1, 1])), 1);
    assert.equal(auroc(classesOf([1, 2, 3, 4], [1, 1, 0, 0])), 0);
  });

  it('counts ties as half a win over many tied groups and unlabelled items, in any input order', () => {
    const { scores, isOutlier } = tiedItems(300, 11);
    const expected = pairwiseAuroc(scores, isOutlier);
    const order = scores.map((_, i) => i);
    for (const arranged of [order, [...order].sort((a, b) => scores[b] - scores[a]), [...order].sort((a, b) => scores[a] - scores[b])]) {
      const classes = splitByClass(arranged.map((i) => scores[i]), (k) => isOutlier[arranged[k]]);
      assert.ok(Math.abs(auroc(classes) - expected) < 1e-12, `${auroc(classes)} vs ${expected}`);
    }
    assert.equal(auroc(classesOf([5, 5, 5, 5], [0, 1, 0, 1])), 0.5, 'all tied: chance');
  });

  it('ranks NaN scores below every number, tied with each other, and still ends', () => {
    const scores = [Number.NaN, 0.2, Number.NaN, 0.9, 0.2];
    const isOutlier = [1, 0, 0, 1, 1];
    // Outlier NaN: loses to 0.2, ties the inlier NaN; outlier 0.9 beats both; outlier 0.2 ties 0.2 and beats NaN.
    assert.equal(auroc(classesOf(scores, isOutlier)), (0.5 + 2 + 1.5) / 6);
    assert.equal(auroc(classesOf(scores, isOutlier)), pairwiseAuroc(scores, isOutlier.map(Boolean)));
    assert.ok(Math.abs(auprc(classesOf(scores, isOutlier)) - averagePrecisionByThresholds(scores, isOutlier.map(Boolean))) < 1e-12);
  });

  it('refuses AUROC without both classes and AUPRC without outliers; AUPRC with outliers only is 1', () => {
    assert.throws(() => auroc(classesOf([1, 2], [1, 1])), /both inliers and outliers/);
    assert.throws(() => auroc(classesOf([1, 2], [0, 0])), /both inliers and outliers/);
    assert.throws(() => auroc(classesOf([], [])), /both inliers and outliers/);
    assert.throws(() => auprc(classesOf([1, 2], [0, 0])), /at least one outlier/);
    assert.equal(auprc(classesOf([1, 2], [1, 1])), 1);
  });

  it("computes AUPRC as scikit-learn's average precision, a group of tied scores as one threshold", () => {
    // sklearn.metrics.average_precision_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) = 0.8333…
    assert.ok(Math.abs(auprc(classesOf([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])) - 5 / 6) < 1e-12);
    // average_precision_score([0, 1, 0, 1], [0.1, 0.4, 0.4, 0.8]) = 0.8333… ; ([0, 1, 1, 0], [0.5, 0.5, 0.5, 0.2]) = 0.6666…
    assert.ok(Math.abs(auprc(classesOf([0.1, 0.4, 0.4, 0.8], [0, 1, 0, 1])) - 5 / 6) < 1e-12);
    assert.ok(Math.abs(auprc(classesOf([0.5, 0.5, 0.5, 0.2], [0, 1, 1, 0])) - 2 / 3) < 1e-12);
    const { scores, isOutlier } = tiedItems(300, 23);
    assert.ok(Math.abs(auprc(splitByClass(scores, (i) => isOutlier[i])) - averagePrecisionByThresholds(scores, isOutlier)) < 1e-12);
  });

  it('draws the ROC from (0, 0) to (1, 1) and the PR curve a point per tie group; the ROC encloses the AUROC', () => {
    const classes = classesOf([0.1, 0.4, 0.35, 0.8, 0.4, 0.9, 0.05, 0.4], [0, 1, 0, 1, 0, 1, 0, 1]);
    const roc = rocCurve(classes);
    // Groups from the top: 0.9 (+1 outlier), 0.8 (+1), 0.4 (+2 outliers, +1 inlier), 0.35 (+1 inlier), 0.1, 0.05.
    assert.deepEqual(Array.from(roc.x), [0, 0, 0, 0.25, 0.5, 0.75, 1]);
    assert.deepEqual(Array.from(roc.y), [0, 0.25, 0.5, 1, 1, 1, 1]);
    let area = 0;
    for (let i = 1; i < roc.x.length; i++) area += ((roc.x[i] - roc.x[i - 1]) * (roc.y[i] + roc.y[i - 1])) / 2;
    assert.ok(Math.abs(area - auroc(classes)) < 1e-12);
    const precisionRecall = precisionRecallCurve(classes);
    assert.deepEqual(Array.from(precisionRecall.x), [0.25, 0.5, 1, 1, 1, 1]);
    assert.deepEqual(Array.from(precisionRecall.y), [1, 1, 4 / 5, 4 / 6, 4 / 7, 4 / 8]);
  });
});
