import * as assert from 'node:assert/strict';
import { sortScoresAscending } from '../../../../src/common/metrics/scoreOrder';
import { fprAt, thresholdAtFpr, thresholdAtFprOf } from '../../../../src/common/threshold/fprThreshold';
import { countOutliers, isOutlierScore } from '../../../../src/common/threshold/outlierRule';
import { parseThresholdInput } from '../../../../src/common/threshold/thresholdInput';

describe('the outlier rule', () => {
  it('calls a score an outlier only when strictly above the threshold; NaN never', () => {
    assert.deepEqual([4.9, 5, 5.1, Number.NaN, Infinity].map((score) => isOutlierScore(score, 5)), [false, false, true, false, true]);
    assert.equal(countOutliers(Float32Array.of(1, 5, 7, Number.NaN, 9), 5), 2);
  });
});

describe('the false-positive-rate threshold', () => {
  // 20 inliers 1..20. np.percentile(range(1, 21), 90) = 18.1.
  const inliers = Array.from({ length: 20 }, (_, i) => 20 - i);

  it("is numpy's (1 − fpr) percentile of the known inliers, as `--fpr` sets it", () => {
    assert.ok(Math.abs(thresholdAtFprOf(inliers, 0.1) - 18.1) < 1e-12);
    assert.equal(thresholdAtFpr(sortScoresAscending(inliers), 0), 20);
    assert.equal(thresholdAtFpr(sortScoresAscending(inliers), 1), 1);
  });

  it('flags at most that share of the inliers, and fprAt measures it back', () => {
    const sorted = sortScoresAscending(inliers);
    for (const fpr of [0.05, 0.1, 0.25, 0.5]) {
      const threshold = thresholdAtFpr(sorted, fpr);
      const measured = fprAt(sorted, threshold);
      assert.equal(measured, inliers.filter((score) => score > threshold).length / inliers.length);
      assert.ok(measured <= fpr + 1e-12, `${measured} at fpr ${fpr}`);
    }
    assert.equal(fprAt(new Float64Array(0), 3), 0);
  });
});

describe('typed thresholds', () => {
  it('takes any finite score, and percentiles and rates in 0–100', () => {
    assert.deepEqual(parseThresholdInput('score', ' -1340.25 '), { ok: true, value: -1340.25 });
    assert.deepEqual(parseThresholdInput('percentile', '99.95'), { ok: true, value: 99.95 });
    assert.deepEqual(parseThresholdInput('fprPercent', '0'), { ok: true, value: 0 });
  });

  it('says why a value is refused', () => {
    assert.deepEqual(parseThresholdInput('percentile', '120'), { ok: false, message: 'The percentile must be between 0 and 100, got 120.' });
    assert.deepEqual(parseThresholdInput('fprPercent', '-1'), { ok: false, message: 'The false-positive rate must be between 0 and 100 %, got -1 %.' });
    assert.deepEqual(parseThresholdInput('score', 'twelve'), { ok: false, message: 'The threshold score must be a number, got "twelve".' });
    assert.deepEqual(parseThresholdInput('score', ''), { ok: false, message: 'The threshold score must be a number.' });
  });
});
