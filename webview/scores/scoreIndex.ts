import { clampPercentile, percentileOfSorted, percentileRank } from '../../src/common/metrics/percentile';
import { countNotAbove, sortScoresAscending } from '../../src/common/metrics/scoreOrder';
import { isOutlierScore } from '../../src/common/threshold/outlierRule';

/**
 * All instance scores of a scan, sorted once, so that counts, percentiles and ranks at any
 * threshold are binary searches: a slider move costs O(log n), not O(n). A NaN score ranks below
 * every number and is never above a threshold, as everywhere scores are compared.
 */
export class ScoreIndex {
  /** Ascending copy of the scores, NaNs first. */
  readonly sorted: Float64Array;
  /** Where the numbers start in `sorted` (after the NaNs). */
  private readonly firstNumber: number;

  private constructor(sorted: Float64Array) {
    this.sorted = sorted;
    let firstNumber = 0;
    while (firstNumber < sorted.length && Number.isNaN(sorted[firstNumber])) firstNumber++;
    this.firstNumber = firstNumber;
  }

  /** Sort a copy of `scores` (the host's array is left as it came). */
  static fromScores(scores: Float32Array): ScoreIndex {
    return new ScoreIndex(sortScoresAscending(scores));
  }

  /** Number of scored images. */
  get count(): number {
    return this.sorted.length;
  }

  /** Lowest score that is a number, or 0 when there is none. */
  get min(): number {
    return this.firstNumber < this.sorted.length ? this.sorted[this.firstNumber] : 0;
  }

  /** Highest score that is a number, or 0 when there is none. */
  get max(): number {
    return this.firstNumber < this.sorted.length ? this.sorted[this.sorted.length - 1] : 0;
  }

  /** Images with score ≤ `threshold` (or NaN): the inliers. */
  inlierCount(threshold: number): number {
    return countNotAbove(this.sorted, threshold);
  }

  /** Images with score > `threshold`: the outliers. */
  outlierCount(threshold: number): number {
    return this.sorted.length - countNotAbove(this.sorted, threshold);
  }

  /** Percentage (0–100) of images with score ≤ `value`: the inverse of `valueAtPercentile`. */
  percentileOf(value: number): number {
    return percentileRank(this.sorted, value);
  }

  /**
   * The `percentile`-th percentile (clamped to 0–100; 0 with no scores) with numpy's default linear
   * interpolation, the definition the engine and CLI use, so a percentile set here gives the same
   * threshold as `outlier-lens threshold`.
   */
  valueAtPercentile(percentile: number): number {
    return this.sorted.length === 0 ? 0 : percentileOfSorted(this.sorted, clampPercentile(percentile));
  }

  /** 1-based rank of `score` in descending order (1 = most outlying); ties share the best rank, NaNs rank last. */
  rankOf(score: number): number {
    // Every number is above a NaN: rank it as the lowest score there can be.
    const comparable = Number.isNaN(score) ? -Infinity : Math.fround(score);
    return this.sorted.length - countNotAbove(this.sorted, comparable) + 1;
  }
}

/**
 * Whether an item's score is above the threshold, compared in float32 like the snapshot the
 * counts come from, so a cell's outlier mark always agrees with the toolbar's counts.
 */
export function isAboveThreshold(instanceScore: number, threshold: number): boolean {
  return isOutlierScore(Math.fround(instanceScore), threshold);
}
