/** The family-wise false-flag rate of the default verdict: a clean folder flags about 1 % of its images. */
export const OUTLIER_ALPHA = 0.01;

/** One signal's tail probability for an image and the reason it gives when it is past its threshold. */
export interface SignalTail<Reason extends string = string> {
  readonly reason: Reason;
  /** Probability that a known inlier is at least as extreme (0–1]. */
  readonly p: number;
}

/** The combined verdict of an image's signals. */
export interface OutlierVerdict<Reason extends string = string> {
  /** −log10 of the smallest Bonferroni-corrected tail probability: higher = more outlying; 0 with no signals. */
  readonly outlierScore: number;
  readonly isOutlier: boolean;
  /** Reasons of the signals past the threshold, most extreme first. */
  readonly reasons: Reason[];
}

/** Tail probabilities are clamped here so that scores stay finite (JSON has no Infinity). */
const SMALLEST_P = 1e-300;

/** The outlier score above which an image is flagged at family-wise rate `alpha` (2 at 1 %). */
export function verdictScoreThreshold(alpha: number = OUTLIER_ALPHA): number {
  return -Math.log10(alpha);
}

/**
 * The one outlier rule: each of the k signals' tail probabilities is corrected for the number of
 * signals (Bonferroni, min(1, k·p)); the score is the most extreme one on a −log10 scale, and an
 * image is flagged when that is past −log10(alpha). Its reasons are every signal past the threshold.
 */
export function outlierVerdict<Reason extends string>(tails: readonly SignalTail<Reason>[], alpha: number = OUTLIER_ALPHA): OutlierVerdict<Reason> {
  const threshold = verdictScoreThreshold(alpha);
  const scored = tails.map((tail) => ({ reason: tail.reason, score: -Math.log10(Math.min(1, tails.length * Math.max(tail.p, SMALLEST_P))) + 0 }));
  const outlierScore = scored.reduce((most, tail) => Math.max(most, tail.score), 0);
  const reasons = scored.filter((tail) => tail.score > threshold).sort((a, b) => b.score - a.score).map((tail) => tail.reason);
  return { outlierScore, isOutlier: isFlagged(outlierScore, alpha), reasons };
}

/** Whether an outlier score (see outlierVerdict) flags its image at family-wise rate `alpha`. */
export function isFlagged(outlierScore: number, alpha: number = OUTLIER_ALPHA): boolean {
  return outlierScore > verdictScoreThreshold(alpha);
}
