/** The family-wise false-flag rate of the default verdict: a clean folder flags about 1 % of its images. */
export const OUTLIER_ALPHA = 0.01;

/** One signal's tail probability for an image and the reason it gives when it is past its threshold. */
export interface SignalTail<Reason extends string = string> {
  readonly reason: Reason;
  /** Probability that a known inlier is at least as extreme (0–1]. */
  readonly p: number;
}

/** A signal's tail with the cut the user set for it: past the cut ⇔ p < cut; absent = the default cut alpha/k. */
export interface CutTail<Reason extends string = string> extends SignalTail<Reason> {
  readonly cut?: number;
}

/** The combined verdict of an image's signals. */
export interface OutlierVerdict<Reason extends string = string> {
  /** −log10 of the smallest corrected tail probability: higher = more outlying; 0 with no signals. */
  readonly outlierScore: number;
  readonly isOutlier: boolean;
  /** Reasons of the signals past their cuts, most extreme first. */
  readonly reasons: Reason[];
}

/** Tail probabilities are clamped here so that scores stay finite (JSON has no Infinity). */
export const SMALLEST_TAIL = 1e-300;

/** The outlier score above which an image is flagged at family-wise rate `alpha` (2 at 1 %). */
export function verdictScoreThreshold(alpha: number = OUTLIER_ALPHA): number {
  return -Math.log10(alpha);
}

/** The default cut of each of `signalCount` signals: alpha / k (Bonferroni), 0.2 % each of five at 1 %. */
export function defaultCut(signalCount: number, alpha: number = OUTLIER_ALPHA): number {
  return alpha / Math.max(1, signalCount);
}

/**
 * What a signal's tail probability is multiplied by before the family's threshold: k (Bonferroni)
 * at the default cut, alpha / cut at the user's own. Kept as k, not alpha / (alpha / k), so the
 * default is bit for bit the Bonferroni verdict the engine writes.
 */
export function signalCorrection(cut: number | undefined, signalCount: number, alpha: number = OUTLIER_ALPHA): number {
  return cut === undefined ? signalCount : alpha / cut;
}

/** One signal's score: −log10 of its corrected tail probability min(1, correction · p), never negative. */
export function signalScore(p: number, correction: number): number {
  return -Math.log10(Math.min(1, correction * Math.max(p, SMALLEST_TAIL))) + 0;
}

/**
 * The one outlier rule. Each signal s has a cut c_s (a tail probability; default alpha/k for k
 * signals) and scores −log10(min(1, p_s · alpha / c_s)); the outlier score is the most extreme
 * signal's, and an image is flagged when it is past −log10(alpha) — i.e. when some p_s < c_s. Its
 * reasons are the signals past their own cuts, most extreme first.
 */
export function cutVerdict<Reason extends string>(tails: readonly CutTail<Reason>[], alpha: number = OUTLIER_ALPHA): OutlierVerdict<Reason> {
  const threshold = verdictScoreThreshold(alpha);
  const scored = tails.map((tail) => ({ reason: tail.reason, score: signalScore(tail.p, signalCorrection(tail.cut, tails.length, alpha)) }));
  const outlierScore = scored.reduce((most, tail) => Math.max(most, tail.score), 0);
  const reasons = scored.filter((tail) => tail.score > threshold).sort((a, b) => b.score - a.score).map((tail) => tail.reason);
  return { outlierScore, isOutlier: isFlagged(outlierScore, alpha), reasons };
}

/**
 * The default verdict (every signal at its default cut): each of the k signals' tail probabilities
 * is corrected for the number of signals (Bonferroni, min(1, k·p)); the score is the most extreme
 * one on a −log10 scale, flagged past −log10(alpha). What the engine and the CLI write.
 */
export function outlierVerdict<Reason extends string>(tails: readonly SignalTail<Reason>[], alpha: number = OUTLIER_ALPHA): OutlierVerdict<Reason> {
  return cutVerdict(tails.map((tail) => ({ reason: tail.reason, p: tail.p })), alpha);
}

/** Whether an outlier score (see cutVerdict) flags its image at family-wise rate `alpha`. */
export function isFlagged(outlierScore: number, alpha: number = OUTLIER_ALPHA): boolean {
  return outlierScore > verdictScoreThreshold(alpha);
}
