import { clampPercentile } from '../../src/common/metrics/percentile';
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
