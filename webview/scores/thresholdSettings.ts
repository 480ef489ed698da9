import { clampPercentile } from '../../src/common/metrics/percentile';
import { fprAt, thresholdAtFpr } from '../../src/common/threshold/fprThreshold';
import { DEFAULT_PERCENTILE } from '../../src/common/threshold/outlierRule';
import type { ThresholdSetting } from '../../src/protocol/scanResults';
import type { ScoreIndex } from './scoreIndex';

/** A threshold the user typed or dragged as a score. */
export function absoluteThreshold(value: number): ThresholdSetting {
  return { value, method: 'absolute' };
}

/** A threshold the user set as a percentile: its value follows the scores (numpy interpolation). */
export function percentileThreshold(index: ScoreIndex, percentile: number): ThresholdSetting {
  const clamped = clampPercentile(percentile);
  return { value: index.valueAtPercentile(clamped), method: 'percentile', percentile: clamped };
}

/** A threshold set as a false-positive rate (0–1) on the known inliers (sorted ascending), as `--fpr` sets it. */
export function fprThreshold(sortedInlierScores: ArrayLike<number>, fpr: number): ThresholdSetting {
  return { value: thresholdAtFpr(sortedInlierScores, fpr), method: 'fpr', fpr };
}

/**
 * The percentile the linked slider shows: the user's own when they set one, otherwise the
 * share of images at or below the value.
 */
export function displayedPercentile(setting: ThresholdSetting, index: ScoreIndex): number {
  if (setting.method === 'percentile' && setting.percentile !== undefined) {
    return setting.percentile;
  }
  return index.percentileOf(setting.value);
}

/** The false-positive rate (0–1) shown: the user's own when they set one, otherwise the measured share of known inliers above the value. */
export function displayedFpr(setting: ThresholdSetting, sortedInlierScores: ArrayLike<number>): number {
  if (setting.method === 'fpr' && setting.fpr !== undefined) {
    return setting.fpr;
  }
  return fprAt(sortedInlierScores, setting.value);
}

/**
 * The detector's own threshold for this scan (what Reset goes back to): a percentile is
 * recomputed here so that it matches what the percentile field gives; else the default percentile.
 */
export function detectorThreshold(setting: ThresholdSetting | undefined, index: ScoreIndex): ThresholdSetting {
  if (!setting) return percentileThreshold(index, DEFAULT_PERCENTILE);
  return setting.method === 'percentile' ? percentileThreshold(index, setting.percentile ?? DEFAULT_PERCENTILE) : setting;
}

/** How a threshold setting reads in a tooltip: "95th percentile", "FPR 5 % on known inliers", "score 12.5". */
export function describeThreshold(setting: ThresholdSetting): string {
  if (setting.method === 'percentile') return `the ${trim(setting.percentile ?? DEFAULT_PERCENTILE)}th percentile of the scores`;
  if (setting.method === 'fpr') return `a false-positive rate of ${trim(100 * (setting.fpr ?? 0))} % on known inliers`;
  return `score ${trim(setting.value)}`;
}

/** Same setting (method, level and value)? */
export function sameThreshold(a: ThresholdSetting, b: ThresholdSetting): boolean {
  return a.method === b.method && a.value === b.value && a.percentile === b.percentile && a.fpr === b.fpr;
}

function trim(value: number): string {
  return String(Number(value.toFixed(3)));
}
