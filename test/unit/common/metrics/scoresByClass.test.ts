import * as assert from 'node:assert/strict';
import { splitByClass } from '../../../../src/common/metrics/scoresByClass';

describe('scores by class', () => {
  it('leaves unknown items out and sorts each class ascending, whatever order the scores come in', () => {
    const isOutlier = [true, false, undefined, true, false, false];
    for (const scores of [[9, 7, 6, 5, 3, 1], [1, 3, 5, 6, 7, 9], [5, 1, 9, 3, 7, 6]]) {
      const classes = splitByClass(scores, (i) => isOutlier[i]);
      const expectedOutliers = scores.filter((_, i) => isOutlier[i] === true).sort((a, b) => a - b);
      const expectedInliers = scores.filter((_, i) => isOutlier[i] === false).sort((a, b) => a - b);
      assert.deepEqual(Array.from(classes.outlierScores), expectedOutliers, `outliers of ${scores}`);
      assert.deepEqual(Array.from(classes.inlierScores), expectedInliers, `inliers of ${scores}`);
    }
  });

  it('stores a NaN score as -Infinity: below every number, tied with the other NaNs', () => {
    const classes = splitByClass(new Float32Array([2, Number.NaN, -Infinity, Number.NaN]), (i) => i % 2 === 0);
    assert.deepEqual(Array.from(classes.outlierScores), [-Infinity, 2]);
    assert.deepEqual(Array.from(classes.inlierScores), [-Infinity, -Infinity]);
  });
});
