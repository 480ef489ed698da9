import { percentile } from '../../common/metrics/percentile';
import type { ThresholdSetting } from '../../protocol/scanResults';
import type { DetectorManifest } from '../../engine/store/detectorManifest';

/** alibi-detect's usual choice when a detector carries no threshold: the 95th percentile of the scores. */
export const DEFAULT_PERCENTILE = 95;

/** The threshold a new scan starts with: the detector's saved one, else the 95th percentile of the scan's scores. */
export function initialThreshold(manifest: DetectorManifest): ThresholdSetting {
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

/** Number of scores strictly above the threshold (outlier ⇔ score > threshold). */
export function countOutliers(scores: Float32Array, threshold: number): number {
  let count = 0;
  for (const score of scores) {
    if (score > threshold) count++;
  }
  return count;
}
