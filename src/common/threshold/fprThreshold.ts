import { percentileOfSorted } from '../metrics/percentile';
import { countNotAbove, sortScoresAscending } from '../metrics/scoreOrder';

/**
 * The threshold whose false-positive rate on known inliers is `fpr` (0–1): the (1 − fpr) quantile
 * of their scores with numpy's interpolation, as the engine's `fpr` threshold and `--fpr` compute it.
 */
export function thresholdAtFpr(sortedInlierScores: ArrayLike<number>, fpr: number): number {
  return percentileOfSorted(sortedInlierScores, 100 * (1 - Math.min(1, Math.max(0, fpr))));
}

/** `thresholdAtFpr` for inlier scores in any order. */
export function thresholdAtFprOf(inlierScores: ArrayLike<number>, fpr: number): number {
  return thresholdAtFpr(sortScoresAscending(inlierScores), fpr);
}

/** The share (0–1) of known inliers (sorted ascending) the rule calls outliers at `threshold`: the false-positive rate. */
export function fprAt(sortedInlierScores: ArrayLike<number>, threshold: number): number {
  const count = sortedInlierScores.length;
  return count === 0 ? 0 : (count - countNotAbove(sortedInlierScores, threshold)) / count;
}
