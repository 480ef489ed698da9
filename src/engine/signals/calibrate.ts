import type { ImageSet, LlrDetector, ScoreOptions } from '../llr';
import { imageSize } from '../llr';
import { referenceValue } from './calibrationWithInliers';
import { measureImage } from './imageMeasures';
import type { DetectorCalibration } from './types';
import { CALIBRATION_VERSION } from './types';

/**
 * Measures every calibrated signal on known inliers the detector did not train on and keeps each
 * sorted: the reference its tail probabilities are taken against (values as `referenceValue` keeps them).
 */
export async function calibrateDetector(detector: LlrDetector, inliers: ImageSet, source: string, options: ScoreOptions = {}): Promise<DetectorCalibration> {
  if (inliers.count === 0) {
    throw new Error('calibration needs at least one known inlier image');
  }
  const scores = await detector.score(inliers, options);
  const [height, width, channels] = inliers.shape;
  const size = imageSize(inliers.shape);
  const brightness: number[] = [];
  const entropy: number[] = [];
  const sharpness: number[] = [];
  for (let i = 0; i < inliers.count; i++) {
    const measures = measureImage(inliers.pixels.subarray(i * size, (i + 1) * size), height, width, channels as 1 | 3);
    brightness.push(measures.brightness);
    entropy.push(measures.entropy);
    sharpness.push(measures.sharpness);
  }
  const sorted = (values: ArrayLike<number>): number[] => Array.from(values, referenceValue).sort((a, b) => a - b);
  return {
    version: CALIBRATION_VERSION,
    source,
    imageCount: inliers.count,
    reference: {
      llr: sorted(scores.instanceScore),
      semanticLogProb: sorted(scores.semanticLogProb),
      brightness: sorted(brightness),
      entropy: sorted(entropy),
      sharpness: sorted(sharpness),
    },
  };
}
