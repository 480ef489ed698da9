import { percentile } from '../../common/metrics/percentile';
import { thresholdAtFprOf } from '../../common/threshold/fprThreshold';
import { countOutliers, DEFAULT_PERCENTILE } from '../../common/threshold/outlierRule';
import { parseThresholdInput } from '../../common/threshold/thresholdInput';
import type { ThresholdSetting } from '../../protocol/scanResults';
import { LABEL_CODE } from '../../protocol/webview';
import type { RankingMode } from '../../protocol/webview';
import { OUTLIER_ALPHA, verdictScoreThreshold } from '../../common/verdict/outlierVerdict';
import type { DetectorManifest } from '../../engine/store/detectorManifest';

/**
 * The threshold a ranking starts from: under the calibrated verdict an outlier score of
 * −log10(alpha) = 2 (corrected p < 1 %); under the LLR the detector's own, its saved one, else the
 * default percentile of the scan's scores (value filled in by `followScores`).
 */
export function initialThreshold(manifest: DetectorManifest, mode: RankingMode = 'llr'): ThresholdSetting {
  if (mode === 'verdict') return { value: verdictScoreThreshold(OUTLIER_ALPHA), method: 'absolute' };
  const saved = manifest.threshold;
  if (saved) {
    return saved.method === 'percentile'
      ? { value: saved.value, method: 'percentile', percentile: saved.percentile }
      : saved.method === 'fpr'
        ? { value: saved.value, method: 'fpr', fpr: saved.fpr }
        : { value: saved.value, method: 'absolute' };
  }
  return { value: 0, method: 'percentile', percentile: DEFAULT_PERCENTILE };
}

/**
 * A percentile threshold follows the scores (its value is recomputed as results stream in); an
 * absolute or FPR threshold keeps its value. With no scores yet the value stays as it is.
 */
export function followScores(setting: ThresholdSetting, scores: Float32Array): ThresholdSetting {
  if (setting.method !== 'percentile' || scores.length === 0) {
    return setting;
  }
  const level = setting.percentile ?? DEFAULT_PERCENTILE;
  return { value: Math.fround(percentile(scores, level)), method: 'percentile', percentile: level };
}

/** Scores of the images labelled as inliers (`LABEL_CODE` per score), for a false-positive-rate threshold. */
export function knownInlierScores(scores: Float32Array, labels: Uint8Array): Float32Array {
  return scores.filter((_score, i) => labels[i] === LABEL_CODE.inlier);
}

/**
 * The threshold at false-positive rate `fpr` (0–1) on the known inliers, or null when none is
 * labelled: the same quantile the panel and `outlier-lens threshold --fpr` compute.
 */
export function fprThreshold(fpr: number, inlierScores: Float32Array): ThresholdSetting | null {
  return inlierScores.length === 0 ? null : { value: Math.fround(thresholdAtFprOf(inlierScores, fpr)), method: 'fpr', fpr };
}

/** A threshold typed as a score, a percentile or a false-positive rate in per cent, or why it cannot be used. */
export type TypedThreshold = { readonly ok: true; readonly setting: ThresholdSetting } | { readonly ok: false; readonly message: string };

/**
 * Reads a threshold the user typed (side view) with the same checks as the panel's fields; a
 * percentile's value is filled in when the model follows the scores.
 */
export function typedThreshold(method: ThresholdSetting['method'], text: string, scores: Float32Array, labels: Uint8Array | null): TypedThreshold {
  const parsed = parseThresholdInput(method === 'absolute' ? 'score' : method === 'percentile' ? 'percentile' : 'fprPercent', text);
  if (!parsed.ok) return parsed;
  if (method === 'absolute') return { ok: true, setting: { value: parsed.value, method: 'absolute' } };
  if (method === 'percentile') return { ok: true, setting: followScores({ value: 0, method: 'percentile', percentile: parsed.value }, scores) };
  const setting = labels ? fprThreshold(parsed.value / 100, knownInlierScores(scores, labels)) : null;
  return setting ? { ok: true, setting } : { ok: false, message: 'No image is labelled as an inlier: mark a folder as inliers (Explorer) to set a false-positive rate.' };
}

/** A threshold value read as a score, a percentile (share of images not above it) and a false-positive rate in per cent on known inliers. */
export function thresholdReadings(scores: Float32Array, labels: Uint8Array | null, value: number): { score: number; percentile: number; fprPercent: number | null } {
  const percentileOfValue = scores.length === 0 ? 0 : (100 * (scores.length - countOutliers(scores, value))) / scores.length;
  const inliers = labels ? knownInlierScores(scores, labels) : new Float32Array(0);
  return { score: value, percentile: percentileOfValue, fprPercent: inliers.length === 0 ? null : (100 * countOutliers(inliers, value)) / inliers.length };
}
