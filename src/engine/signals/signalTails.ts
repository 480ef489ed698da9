import type { SignalTail } from '../../common/verdict/outlierVerdict';
import { smallerTail, tailProbability } from '../../common/verdict/tailProbability';
import type { CalibratedSignal, ImageMeasures, OutlierReason, SignalGroup } from '../../protocol/scanResults';
import type { DetectorCalibration } from './types';

/** An image's values of the calibrated signals. */
export interface SignalValues {
  readonly instanceScore: number;
  readonly semanticLogProb: number;
  readonly measures?: Pick<ImageMeasures, 'brightness' | 'entropy' | 'sharpness'>;
}

/** One calibrated signal's tail and which signal it is. */
export interface NamedTail extends SignalTail<OutlierReason> {
  readonly signal: CalibratedSignal;
}

/** The calibrated signals a set of groups turns on (duplicates and odd size are folder rules, not calibrated). */
export function calibratedSignalsOf(groups: ReadonlySet<SignalGroup>): CalibratedSignal[] {
  return [
    ...(groups.has('llr') ? (['llr'] as const) : []),
    ...(groups.has('typicality') ? (['typicality'] as const) : []),
    ...(groups.has('checks') ? (['brightness', 'information', 'sharpness'] as const) : []),
  ];
}

/**
 * Each signal's tail probability against the calibration's inliers, with the reason it gives:
 * the LLR's upper tail; typicality two-sided on log p_semantic (too likely or unlikely); brightness
 * two-sided (dark or light); entropy's lower tail (low information); sharpness's lower tail (blurry).
 */
export function signalTails(values: SignalValues, calibration: DetectorCalibration, signals: readonly CalibratedSignal[]): NamedTail[] {
  const reference = calibration.reference;
  const twoSided = (sorted: readonly number[], value: number, low: OutlierReason, high: OutlierReason): SignalTail<OutlierReason> => ({
    p: tailProbability(sorted, value, 'two-sided'),
    reason: smallerTail(sorted, value) === 'lower' ? low : high,
  });
  const tails: NamedTail[] = [];
  for (const signal of signals) {
    const measures = values.measures;
    if (signal === 'llr') {
      tails.push({ signal, reason: 'llr', p: tailProbability(reference.llr, values.instanceScore, 'upper') });
    } else if (signal === 'typicality') {
      tails.push({ signal, ...twoSided(reference.semanticLogProb, values.semanticLogProb, 'unlikely', 'too-likely') });
    } else if (!measures) {
      continue;
    } else if (signal === 'brightness') {
      tails.push({ signal, ...twoSided(reference.brightness, measures.brightness, 'dark', 'light') });
    } else if (signal === 'information') {
      tails.push({ signal, reason: 'low-information', p: tailProbability(reference.entropy, measures.entropy, 'lower') });
    } else {
      tails.push({ signal, reason: 'blurry', p: tailProbability(reference.sharpness, measures.sharpness, 'lower') });
    }
  }
  return tails;
}
