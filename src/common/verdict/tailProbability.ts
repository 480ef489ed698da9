/** Which tail of the known inliers' distribution counts as outlying. */
export type TailSide = 'upper' | 'lower' | 'two-sided';

/**
 * The probability that a known inlier is at least as extreme as `value`: the conformal p-value
 * (1 + #{reference at or beyond value}) / (n + 1) against `sortedReference` (ascending). Past the
 * most extreme reference value it keeps falling, exponentially with the scale of the reference's
 * outer 1 % (at least its five outermost values), so that images far beyond every inlier still rank among themselves. Two-sided: twice
 * the smaller tail, at most 1. NaN (an unmeasured value) gives 1.
 */
export function tailProbability(sortedReference: readonly number[], value: number, side: TailSide): number {
  const n = sortedReference.length;
  if (n === 0 || Number.isNaN(value)) {
    return 1;
  }
  if (side === 'two-sided') {
    return Math.min(1, 2 * Math.min(upperTail(sortedReference, value), upperTail(sortedReference, value, -1)));
  }
  return upperTail(sortedReference, value, side === 'upper' ? 1 : -1);
}

/** Which one-sided tail of `value` is the smaller: what a two-sided signal's reason names (dark or light, unlikely or too likely). */
export function smallerTail(sortedReference: readonly number[], value: number): 'lower' | 'upper' {
  return tailProbability(sortedReference, value, 'lower') <= tailProbability(sortedReference, value, 'upper') ? 'lower' : 'upper';
}

/** The upper tail of `value` (direction 1), or the lower tail (direction −1, the upper tail of −value). */
function upperTail(sorted: readonly number[], value: number, direction: 1 | -1 = 1): number {
  const n = sorted.length;
  // Count of reference values at or beyond `value` in the direction, by binary search.
  let low = 0;
  let high = n;
  if (direction === 1) {
    while (low < high) {
      const middle = (low + high) >> 1;
      if (sorted[middle] < value) low = middle + 1;
      else high = middle;
    }
  } else {
    while (low < high) {
      const middle = (low + high) >> 1;
      if (sorted[middle] <= value) low = middle + 1;
      else high = middle;
    }
  }
  const beyond = direction === 1 ? n - low : low;
  if (beyond > 0) {
    return (1 + beyond) / (n + 1);
  }
  const extreme = direction === 1 ? sorted[n - 1] : sorted[0];
  // The outer 1 %, but never fewer than five values: a small reference's last gap alone is no scale.
  const outerIndex = Math.min(n - 1, Math.max(5, Math.ceil(0.01 * n)));
  const outer = direction === 1 ? sorted[n - 1 - outerIndex] : sorted[outerIndex];
  const span = Math.abs(sorted[n - 1] - sorted[0]);
  const scale = Math.max(Math.abs(extreme - outer), 1e-3 * span, 1e-9 * Math.max(1, Math.abs(extreme)));
  return Math.exp(-Math.abs(value - extreme) / scale) / (n + 1);
}
