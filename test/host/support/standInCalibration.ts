// A detector's calibration and scanned images without a trained model: real measures of
// Fashion-MNIST test images, and a stand-in LLR and log-likelihood spread like a detector's (the same
// rule for the known inliers and the scan), so the host's verdict can be checked against the engine's.
import type { ImageDataset } from '../../../src/engine/data';
import { judgeImage, measureDecodedImage } from '../../../src/engine/signals';
import type { DetectorCalibration } from '../../../src/engine/signals';
import type { ScoredImage } from '../../../src/protocol/scanResults';
import { CALIBRATED_SIGNALS } from '../../../src/protocol/scanResults';

/** The side of the images, in pixels. */
export const SIDE = 28;
/** The stand-in LLR of image `i`. */
export const llrOf = (i: number): number => ((i * 7919) % 1009) / 10;
/** The stand-in log p_semantic of image `i` with entropy `entropy`. */
export const semanticOf = (entropy: number, i: number): number => -300 * entropy - ((i * 104729) % 97);

/** An image's measures as a scan takes them. */
export function measure(pixels: Uint8Array): ReturnType<typeof measureDecodedImage> {
  return measureDecodedImage({ pixels, height: SIDE, width: SIDE, channels: 1, source: { width: SIDE, height: SIDE } });
}

/** The pixels of image `i` of the data set. */
export function pixelsOf(dataset: ImageDataset, i: number): Uint8Array {
  return dataset.images.slice(i * SIDE * SIDE, (i + 1) * SIDE * SIDE);
}

/** The calibration of known inliers: test images 1000–1499, which the tests never scan. */
export function standInCalibration(dataset: ImageDataset, source: string): DetectorCalibration {
  const inliers = Array.from({ length: 500 }, (_, k) => ({ i: 1000 + k, measures: measure(pixelsOf(dataset, 1000 + k)) }));
  const sorted = (values: number[]): number[] => values.sort((a, b) => a - b);
  return {
    version: 1,
    source,
    imageCount: inliers.length,
    reference: {
      llr: sorted(inliers.map(({ i }) => llrOf(i))),
      semanticLogProb: sorted(inliers.map(({ i, measures }) => semanticOf(measures.entropy, i))),
      brightness: sorted(inliers.map(({ measures }) => measures.brightness)),
      entropy: sorted(inliers.map(({ measures }) => measures.entropy)),
      sharpness: sorted(inliers.map(({ measures }) => measures.sharpness)),
    },
  };
}

/** The scan's results of `scanned` (image i has the stand-in scores of i), judged by the engine's rule against `calibration`. */
export function standInScan(scanned: readonly { name: string; pixels: Uint8Array }[], calibration: DetectorCalibration): ScoredImage[] {
  return scanned.map(({ name, pixels }, i) => {
    const measures = measure(pixels);
    const item: ScoredImage = { relativePath: name, instanceScore: llrOf(i), semanticLogProb: semanticOf(measures.entropy, i), backgroundLogProb: -1000, size: 1, mtimeMs: 1, measures };
    return judgeImage(item, calibration, CALIBRATED_SIGNALS);
  });
}
