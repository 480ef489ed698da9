/**
 * All instance scores of a scan, sorted once, so that counts, percentiles and ranks at any
 * threshold are binary searches: a slider move costs O(log n), not O(n).
 */
export class ScoreIndex {
  /** Ascending copy of the scores. */
  readonly sorted: Float32Array;

  private constructor(sorted: Float32Array) {
    this.sorted = sorted;
  }

  /** Sort a copy of `scores` (the host's array is left as it came). */
  static fromScores(scores: Float32Array): ScoreIndex {
    return new ScoreIndex(Float32Array.from(scores).sort());
  }

  /** Number of scored images. */
  get count(): number {
    return this.sorted.length;
  }

  /** Lowest score, or 0 when there are none. */
  get min(): number {
    return this.sorted.length > 0 ? this.sorted[0] : 0;
  }

  /** Highest score, or 0 when there are none. */
  get max(): number {
    return this.sorted.length > 0 ? this.sorted[this.sorted.length - 1] : 0;
  }

  /** Images with score ≤ `threshold`: the inliers. */
  inlierCount(threshold: number): number {
    return upperBound(this.sorted, threshold);
  }

  /** Images with score > `threshold`: the outliers. */
  outlierCount(threshold: number): number {
    return this.sorted.length - upperBound(this.sorted, threshold);
  }

  /** Percentage (0–100) of images with score ≤ `value`: the inverse of `valueAtPercentile`. */
  percentileOf(value: number): number {
    return this.sorted.length === 0 ? 0 : (100 * upperBound(this.sorted, value)) / this.sorted.length;
  }

  /**
   * The `percentile`-th percentile with numpy's default linear interpolation, the definition the
   * engine and CLI use, so a percentile set here gives the same threshold as `outlier-lens threshold`.
   */
  valueAtPercentile(percentile: number): number {
    const n = this.sorted.length;
    if (n === 0) {
      return 0;
    }
    const clamped = Math.min(100, Math.max(0, percentile));
    const position = (clamped / 100) * (n - 1);
    const below = Math.floor(position);
    const above = Math.min(below + 1, n - 1);
    return this.sorted[below] + (this.sorted[above] - this.sorted[below]) * (position - below);
  }

  /** 1-based rank of `score` in descending order (1 = most outlying); ties share the best rank. */
  rankOf(score: number): number {
    return this.sorted.length - upperBound(this.sorted, Math.fround(score)) + 1;
  }
}

/** First index whose value is > `value` in an ascending array (= number of values ≤ `value`). */
export function upperBound(sortedAscending: ArrayLike<number>, value: number): number {
  let low = 0;
  let high = sortedAscending.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sortedAscending[middle] <= value) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  return low;
}

/**
 * Whether an item's score is above the threshold, compared in float32 like the snapshot the
 * counts come from, so a cell's outlier mark always agrees with the toolbar's counts.
 */
export function isAboveThreshold(instanceScore: number, threshold: number): boolean {
  return Math.fround(instanceScore) > threshold;
}
