import * as assert from 'node:assert/strict';
import { sortByScoreDescending } from '../../../../src/common/gallery/scoreSort';

describe('sorting slots by score, highest first', () => {
  let state = 99;
  const next = (): number => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);

  /** Scores with every hard case: negatives, zeros of both signs, infinities, ties, values equal in float32 but not float64, and a tie-break by a second key. */
  function scores(count: number): { score: Float64Array; second: Float64Array } {
    const score = Float64Array.from({ length: count }, (_, i) => {
      const kind = i % 9;
      if (kind === 0) return Math.round(next() * 20) - 10; // many exact ties
      if (kind === 1) return i % 2 ? 0 : -0;
      if (kind === 2) return 1 + next() * 1e-9; // distinct doubles, one float32
      if (kind === 3) return i % 4 === 3 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
      if (kind === 4) return -Math.log10(Math.max(1e-300, next() ** 8));
      return (next() - 0.5) * 1e6;
    });
    return { score, second: Float64Array.from({ length: count }, () => Math.floor(next() * 5)) };
  }

  it('gives exactly the comparator sort\'s order, float32 ties broken by the full score and then the tie-break', () => {
    const { score, second } = scores(20_000);
    const compare = (a: number, b: number): number => score[b] - score[a] || second[b] - second[a] || a - b;
    const slots = Int32Array.from({ length: score.length }, (_, i) => (i * 7919) % score.length);
    assert.deepEqual(Array.from(sortByScoreDescending(slots.slice(), (slot) => score[slot], compare)), Array.from(slots.slice().sort(compare)));
  });

  it('falls back to the comparator when a score is NaN', () => {
    const score = Float64Array.from([3, Number.NaN, 1, 2]);
    const compare = (a: number, b: number): number => score[b] - score[a] || a - b;
    const slots = Int32Array.from([0, 1, 2, 3]);
    assert.deepEqual(Array.from(sortByScoreDescending(slots.slice(), (slot) => score[slot], compare)), Array.from(slots.slice().sort(compare)));
  });

  it('sorts nothing and one slot', () => {
    assert.deepEqual(Array.from(sortByScoreDescending(new Int32Array(0), () => 0, () => 0)), []);
    assert.deepEqual(Array.from(sortByScoreDescending(Int32Array.from([4]), () => 1, () => 0)), [4]);
  });
});
