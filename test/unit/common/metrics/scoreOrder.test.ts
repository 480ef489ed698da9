import * as assert from 'node:assert/strict';
import { countNotAbove, sortScoresAscending } from '../../../../src/common/metrics/scoreOrder';
import { countNotAboveByLoop, seededRandom } from './bruteForce';

describe('score order', () => {
  it('sorts a copy ascending with NaNs first, leaving the input as it came', () => {
    const scores = new Float32Array([3, Number.NaN, -1, Infinity, 2, Number.NaN, -Infinity, 2]);
    const sorted = sortScoresAscending(scores);
    assert.deepEqual(Array.from(sorted), [Number.NaN, Number.NaN, -Infinity, -1, 2, 2, 3, Infinity]);
    assert.ok(Number.isNaN(scores[1]) && scores[0] === 3, 'input untouched');
    assert.deepEqual(Array.from(sortScoresAscending([])), []);
  });

  it('counts the scores not above a threshold by binary search: a score equal to the threshold and a NaN are not above', () => {
    const random = seededRandom(5);
    const values = Array.from({ length: 500 }, () => (random() < 0.05 ? Number.NaN : Math.round(random() * 40) / 4));
    const sorted = sortScoresAscending(values);
    for (const threshold of [-Infinity, -1, 0, 0.25, 3, 3.1, 5, 9.75, 10, 11, Infinity, Number.NaN]) {
      assert.equal(countNotAbove(sorted, threshold), countNotAboveByLoop(values, threshold), `threshold ${threshold}`);
    }
    assert.equal(countNotAbove([1, 2, 2, 2, 3], 2), 4, 'every tie at the threshold counts');
    assert.equal(countNotAbove([], 1), 0);
  });
});
