import * as assert from 'node:assert/strict';
import { isFlagged, outlierVerdict, verdictScoreThreshold } from '../../../../src/common/verdict/outlierVerdict';
import { tailProbability } from '../../../../src/common/verdict/tailProbability';

describe('tail probabilities against known inliers', () => {
  const reference = Array.from({ length: 99 }, (_, i) => i + 1); // 1..99

  it('is the conformal p-value inside the reference: (1 + values at or beyond) / (n + 1)', () => {
    assert.equal(tailProbability(reference, 95, 'upper'), (1 + 5) / 100);
    assert.equal(tailProbability(reference, 5, 'lower'), (1 + 5) / 100);
    assert.equal(tailProbability(reference, 0, 'upper'), 1);
    assert.equal(tailProbability(reference, 50, 'two-sided'), 1);
    assert.equal(tailProbability(reference, 3, 'two-sided'), 2 * (4 / 100));
  });

  it('keeps falling past the most extreme inlier, so far outliers still rank among themselves', () => {
    const justPast = tailProbability(reference, 100, 'upper');
    const farPast = tailProbability(reference, 150, 'upper');
    assert.ok(justPast < 1 / 100 && farPast < justPast, `${justPast} ${farPast}`);
    assert.ok(tailProbability(reference, -10, 'lower') < tailProbability(reference, 0, 'lower'));
  });

  it('gives a uniform p on new draws from the same distribution: about 5 % fall below 0.05', () => {
    let state = 12345;
    const next = (): number => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
    const inliers = Array.from({ length: 2000 }, next).sort((a, b) => a - b);
    const fresh = Array.from({ length: 20000 }, next);
    for (const side of ['upper', 'lower', 'two-sided'] as const) {
      const rate = fresh.filter((value) => tailProbability(inliers, value, side) < 0.05).length / fresh.length;
      assert.ok(Math.abs(rate - 0.05) < 0.01, `${side}: ${rate}`);
    }
  });

  it('counts ties as at least as extreme and gives 1 for an unmeasured value', () => {
    assert.equal(tailProbability([0, 0, 0, 5], 0, 'lower'), 4 / 5);
    assert.equal(tailProbability(reference, Number.NaN, 'upper'), 1);
    assert.equal(tailProbability([], 3, 'upper'), 1);
  });
});

describe('the outlier verdict', () => {
  it('corrects for the number of signals, scores the most extreme one and gives every reason past the threshold', () => {
    const verdict = outlierVerdict([
      { reason: 'llr', p: 0.5 },
      { reason: 'low-information', p: 1e-6 },
      { reason: 'blurry', p: 0.001 },
    ]);
    assert.ok(Math.abs(verdict.outlierScore - -Math.log10(3e-6)) < 1e-9);
    assert.equal(verdict.isOutlier, true);
    assert.deepEqual(verdict.reasons, ['low-information', 'blurry']);
  });

  it('does not flag a signal that is past 1 % alone but not after the correction', () => {
    const verdict = outlierVerdict([
      { reason: 'llr', p: 0.004 },
      { reason: 'blurry', p: 0.9 },
      { reason: 'dark', p: 0.9 },
    ]);
    assert.equal(verdict.isOutlier, false);
    assert.deepEqual(verdict.reasons, []);
    assert.equal(outlierVerdict([{ reason: 'llr', p: 0.004 }]).isOutlier, true);
  });

  it('has one threshold: −log10(alpha), finite scores even for a zero tail, and nothing flagged without signals', () => {
    assert.equal(verdictScoreThreshold(0.01), 2);
    assert.equal(isFlagged(2), false);
    assert.equal(isFlagged(2.0001), true);
    assert.ok(Number.isFinite(outlierVerdict([{ reason: 'llr', p: 0 }]).outlierScore));
    assert.deepEqual(outlierVerdict([]), { outlierScore: 0, isOutlier: false, reasons: [] });
  });
});
