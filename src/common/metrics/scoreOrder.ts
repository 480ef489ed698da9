import { isOutlierScore } from '../threshold/outlierRule';

// The one order every score metric uses. A NaN score is never above a threshold (`NaN > t` is
// false), so it ranks below every number: first in ascending order, tied with the other NaNs.

/** An ascending copy of `scores`, NaNs first (a NaN is never above any threshold). */
export function sortScoresAscending(scores: ArrayLike<number>): Float64Array {
  const sorted = Float64Array.from(scores).sort();
  // Typed-array sort puts NaNs last; move them to the front.
  let numbers = sorted.length;
  while (numbers > 0 && Number.isNaN(sorted[numbers - 1])) numbers--;
  if (numbers < sorted.length) {
    sorted.copyWithin(sorted.length - numbers, 0, numbers);
    sorted.fill(Number.NaN, 0, sorted.length - numbers);
  }
  return sorted;
}

/** How many of `sortedAscending` (as `sortScoresAscending` orders them) are not above `threshold`: ≤ it, or NaN. */
export function countNotAbove(sortedAscending: ArrayLike<number>, threshold: number): number {
  let low = 0;
  let high = sortedAscending.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (!isOutlierScore(sortedAscending[middle], threshold)) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  return low;
}
