import type { SignalValues } from './signalTails';
import type { CalibrationReference, DetectorCalibration } from './types';

/** A measure as a calibration keeps it: 7 significant digits (float32's precision, which scores have anyway), so manifests stay small. */
export function referenceValue(value: number): number {
  return Number(value.toPrecision(7));
}

/**
 * The calibration with more known inliers: the images a user labelled inliers join the detector's
 * own (its training hold-out), each measure merged into the sorted reference. An image without
 * measures adds only its likelihoods.
 */
export function calibrationWithInliers(calibration: DetectorCalibration, inliers: readonly SignalValues[], source: string): DetectorCalibration {
  const reference = calibration.reference;
  const merged = (sorted: readonly number[], values: readonly number[]): number[] =>
    [...sorted, ...values.filter((value) => Number.isFinite(value)).map(referenceValue)].sort((a, b) => a - b);
  const measured = inliers.flatMap((inlier) => (inlier.measures ? [inlier.measures] : []));
  const extended: CalibrationReference = {
    llr: merged(reference.llr, inliers.map((inlier) => inlier.instanceScore)),
    semanticLogProb: merged(reference.semanticLogProb, inliers.map((inlier) => inlier.semanticLogProb)),
    brightness: merged(reference.brightness, measured.map((measures) => measures.brightness)),
    entropy: merged(reference.entropy, measured.map((measures) => measures.entropy)),
    sharpness: merged(reference.sharpness, measured.map((measures) => measures.sharpness)),
  };
  return { ...calibration, source, imageCount: calibration.imageCount + inliers.length, reference: extended };
}
