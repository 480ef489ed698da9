import { percentile } from '../../common/metrics/percentile';
import { DEFAULT_PERCENTILE } from '../../common/threshold/outlierRule';
import type { ThresholdSetting } from '../../protocol/scanResults';

/** Threshold when neither the user nor the detector sets one: alibi-detect's default percentile. */
export const DEFAULT_EXPORT_PERCENTILE = DEFAULT_PERCENTILE;

/** The threshold a user asks of an export: a percentile of the scores, a false-positive rate (the scores taken as inliers), or none. */
export type ExportThresholdRequest = { readonly percentile: number } | { readonly fpr: number } | null;

/**
 * An export's threshold: the one asked for; else the detector's saved one; else the 95th
 * percentile of the scores (`defaulted` then says so); with no scores and no threshold, +∞.
 */
export function exportThreshold(scores: ArrayLike<number>, request: ExportThresholdRequest, detectorThreshold: ThresholdSetting | null): { threshold: ThresholdSetting; defaulted: boolean } {
  if (request !== null && scores.length > 0) {
    if ('percentile' in request) {
      return { threshold: { method: 'percentile', percentile: request.percentile, value: percentile(scores, request.percentile) }, defaulted: false };
    }
    return { threshold: { method: 'fpr', fpr: request.fpr, value: percentile(scores, 100 * (1 - request.fpr)) }, defaulted: false };
  }
  if (detectorThreshold !== null) return { threshold: detectorThreshold, defaulted: false };
  if (scores.length > 0) {
    return { threshold: { method: 'percentile', percentile: DEFAULT_EXPORT_PERCENTILE, value: percentile(scores, DEFAULT_EXPORT_PERCENTILE) }, defaulted: true };
  }
  return { threshold: { method: 'absolute', value: Number.POSITIVE_INFINITY }, defaulted: false };
}
