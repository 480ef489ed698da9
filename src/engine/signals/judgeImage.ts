import { outlierVerdict } from '../../common/verdict/outlierVerdict';
import type { CalibratedSignal, ScoredImage } from '../../protocol/scanResults';
import { signalTails } from './signalTails';
import type { DetectorCalibration } from './types';

/**
 * An image's result with its calibrated verdict: each signal's tail probability, the combined
 * outlier score and the reasons past the threshold (see outlierVerdict). Without a calibration
 * the result is returned as it is: only the LLR and the detector's threshold can judge it.
 */
export function judgeImage(item: ScoredImage, calibration: DetectorCalibration | null, signals: readonly CalibratedSignal[]): ScoredImage {
  if (!calibration || signals.length === 0) {
    return item;
  }
  const tails = signalTails(item, calibration, signals);
  const verdict = outlierVerdict(tails);
  return {
    ...item,
    tailProbabilities: Object.fromEntries(tails.map((tail) => [tail.signal, tail.p])),
    outlierScore: verdict.outlierScore,
    reasons: verdict.reasons,
  };
}
