import type { SignalGroup } from '../../protocol/scanResults';
import type { DetectorCalibration } from './types';

/** What a scan found out about its signals, for the log. */
export interface SignalFindings {
  readonly scored: number;
  readonly greyAsRgb: number;
  readonly duplicates: { readonly exact: readonly unknown[]; readonly near: readonly unknown[] };
}

/** Fewer known inliers than this resolve the corrected 1 % cut only by extrapolation. */
const FEW_CALIBRATION_IMAGES = 500;

/** What a user should know before a scan: which verdict applies and why a signal is missing. */
export function signalPlanNotes(groups: ReadonlySet<SignalGroup>, calibration: DetectorCalibration | null): string[] {
  const names = [...groups].join(', ') || 'none';
  if (!calibration) {
    return [
      `signals ${names}; this detector has no calibration (made before detector format 2, or trained on too few images to hold any out): ` +
        'typicality and the calibrated image checks are off, outliers are the LLR above the threshold; retrain to get them',
    ];
  }
  const notes = [`signals ${names}, calibrated on the detector's ${calibration.source}; flagged when the most extreme signal's tail probability is below 1 % after correcting for the number of signals`];
  if (calibration.imageCount < FEW_CALIBRATION_IMAGES) {
    notes.push(`only ${calibration.imageCount} known inliers: tail probabilities below 1/${calibration.imageCount + 1} are extrapolated and clean images may be flagged more often than 1 %; a detector trained on ${10 * FEW_CALIBRATION_IMAGES} images or more holds out enough`);
  }
  return notes;
}

/** What a finished scan found beside scores: grey images stored as RGB, duplicate groups. */
export function signalFindingNotes(findings: SignalFindings): string[] {
  const notes: string[] = [];
  if (findings.greyAsRgb > 0) {
    notes.push(`${findings.greyAsRgb} of ${findings.scored} images are grey stored as RGB (three equal channels)`);
  }
  if (findings.duplicates.exact.length > 0 || findings.duplicates.near.length > 0) {
    notes.push(`${findings.duplicates.exact.length} groups of exact duplicates, ${findings.duplicates.near.length} groups of near duplicates`);
  }
  return notes;
}
