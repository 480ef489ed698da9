/**
 * The q-th percentile (0–100) of `values` with numpy's default linear interpolation
 * (`np.percentile(values, q)`), as alibi-detect infers thresholds.
 */
export function percentile(values: ArrayLike<number>, q: number): number {
  if (values.length === 0) {
    throw new Error('percentile of no values');
  }
  if (!(q >= 0 && q <= 100)) {
    throw new Error(`percentile must be in [0, 100], got ${q}`);
  }
  const sorted = Float64Array.from(values).sort();
  const position = (q / 100) * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

/** The fraction (0–100) of `sortedAscending` values ≤ `value`: the inverse of `percentile`, for linked sliders. */
export function percentileRank(sortedAscending: ArrayLike<number>, value: number): number {
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
  return sortedAscending.length === 0 ? 0 : (100 * low) / sortedAscending.length;
}
