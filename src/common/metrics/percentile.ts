import { countNotAbove, sortScoresAscending } from './scoreOrder';

/**
 * The q-th percentile (0–100) of `values` with numpy's default linear interpolation
 * (`np.percentile(values, q)`), as alibi-detect infers thresholds; NaNs rank lowest.
 */
export function percentile(values: ArrayLike<number>, q: number): number {
  return percentileOfSorted(sortScoresAscending(values), q);
}

/** `percentile` of values already in `sortScoresAscending` order: no sort, for a slider's every move. */
export function percentileOfSorted(sortedAscending: ArrayLike<number>, q: number): number {
  if (sortedAscending.length === 0) {
    throw new Error('percentile of no values');
  }
  if (!(q >= 0 && q <= 100)) {
    throw new Error(`percentile must be in [0, 100], got ${q}`);
  }
  const position = (q / 100) * (sortedAscending.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sortedAscending.length - 1);
  const fraction = position - below;
  // An exact position reads one value: interpolating toward a neighbour would turn ±Infinity into NaN.
  return fraction === 0 ? sortedAscending[below] : sortedAscending[below] + (sortedAscending[above] - sortedAscending[below]) * fraction;
}

/** The share (0–100) of `sortedAscending` values not above `value`: the inverse of `percentile`, for linked sliders. */
export function percentileRank(sortedAscending: ArrayLike<number>, value: number): number {
  return sortedAscending.length === 0 ? 0 : (100 * countNotAbove(sortedAscending, value)) / sortedAscending.length;
}

/** A requested percentile held to [0, 100] (a typed value or a dragged slider may overshoot). */
export function clampPercentile(q: number): number {
  return Math.min(100, Math.max(0, q));
}
