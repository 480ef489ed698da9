import type { ImageSet } from '../llr';
import { selectImages } from '../llr';
import { SeededRandom } from '../random/seededRandom';

/** Share of a training folder held out as known inliers for calibration. */
export const CALIBRATION_FRACTION = 0.1;
/** At most this many held-out images: 2,000 resolve tail probabilities to 1/2,001, past the corrected 1 % cut. */
export const CALIBRATION_MAX_IMAGES = 2000;
/** Below this many images nothing is held out: the detector trains on all of them and has no calibration. */
export const CALIBRATION_MIN_FOLDER = 200;

/** Training images, and the held-out known inliers (null when the folder is too small to spare any). */
export interface CalibrationSplit {
  readonly training: ImageSet;
  readonly calibration: ImageSet | null;
}

/** Holds out {@link CALIBRATION_FRACTION} of `images` (at most {@link CALIBRATION_MAX_IMAGES}), chosen by `seed`. */
export function splitForCalibration(images: ImageSet, seed: number): CalibrationSplit {
  if (images.count < CALIBRATION_MIN_FOLDER) {
    return { training: images, calibration: null };
  }
  const heldOut = Math.min(CALIBRATION_MAX_IMAGES, Math.floor(images.count * CALIBRATION_FRACTION));
  // Another stream than the fit's own validation split (which permutes with `seed` itself).
  const order = new SeededRandom(seed + 0x5eed).permutation(images.count);
  const kept = Array.from(order.subarray(heldOut)).sort((a, b) => a - b);
  const held = Array.from(order.subarray(0, heldOut)).sort((a, b) => a - b);
  return { training: selectImages(images, kept), calibration: selectImages(images, held) };
}
