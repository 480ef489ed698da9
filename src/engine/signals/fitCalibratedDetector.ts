import type { FitOptions, ImageSet, ModelTrainer, ScoringPlan } from '../llr';
import { LlrDetector } from '../llr';
import { throwIfAborted } from '../llr/abort';
import { calibrateDetector } from './calibrate';
import { CALIBRATION_FRACTION, splitForCalibration } from './calibrationSplit';
import type { DetectorCalibration } from './types';

/** A trained detector and what its held-out inliers measured (null when the folder was too small to hold any out). */
export interface CalibratedFit {
  readonly detector: LlrDetector;
  readonly calibration: DetectorCalibration | null;
}

/** Options of `fitCalibratedDetector` beyond the fit's. */
export interface CalibrationHooks {
  readonly onProgress?: (done: number, total: number) => void;
}

/**
 * Holds out known inliers (see splitForCalibration), trains the detector on the rest and measures
 * every calibrated signal on the held-out images: one step for the CLI and the engine process alike.
 */
export async function fitCalibratedDetector(
  images: ImageSet,
  options: FitOptions,
  strategies: { readonly trainer?: ModelTrainer; readonly scoring?: ScoringPlan } = {},
  hooks: CalibrationHooks = {},
): Promise<CalibratedFit> {
  const { training, calibration: heldOut } = splitForCalibration(images, options.seed ?? 0);
  const detector = await LlrDetector.fit(training, options, strategies);
  if (!heldOut) {
    return { detector, calibration: null };
  }
  try {
    throwIfAborted(options.signal, 'calibration');
    const source = `training hold-out (${heldOut.count} images, ${Math.round(CALIBRATION_FRACTION * 100)} % of the folder at most)`;
    const calibration = await calibrateDetector(detector, heldOut, source, { signal: options.signal, onProgress: hooks.onProgress });
    return { detector, calibration };
  } catch (error) {
    detector.dispose();
    throw error;
  }
}
