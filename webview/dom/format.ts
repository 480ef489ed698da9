/** Scores in nats with two decimals; large magnitudes keep their digits readable. */
export function formatScore(score: number): string {
  if (!Number.isFinite(score)) return String(score);
  return Math.abs(score) >= 1e5 ? score.toExponential(3) : score.toFixed(2);
}

/** A count with thousands separators, independent of the machine's locale (tests read it). */
export function formatCount(count: number): string {
  return count.toLocaleString('en-US');
}

/** A percentile or percentage with one decimal. */
export function formatPercent(value: number): string {
  return value.toFixed(1);
}

/** A rate in [0, 1] with three decimals (AUROC, precision, …). */
export function formatRate(value: number): string {
  return value.toFixed(3);
}
