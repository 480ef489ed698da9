// The one definition of "outlier" that the engine's export, the host, the CLI and the panel share.
// It imports nothing, so the score-order metrics can use it too.

/** alibi-detect's usual choice when a detector carries no threshold: the 95th percentile of the scores. */
export const DEFAULT_PERCENTILE = 95;

/** An image is an outlier when its score is strictly above the threshold; a NaN score never is. */
export function isOutlierScore(score: number, threshold: number): boolean {
  return score > threshold;
}

/** Number of scores the rule calls outliers (a linear pass: sort once and binary-search for many thresholds). */
export function countOutliers(scores: ArrayLike<number>, threshold: number): number {
  let count = 0;
  for (let i = 0; i < scores.length; i++) {
    if (isOutlierScore(scores[i], threshold)) count++;
  }
  return count;
}
