import { LlrDetector, toImageSet } from '../../../src/engine/llr';
import { fingerprintImages, saveDetector } from '../../../src/engine/store';

/** A PixelCNN++ small enough to train in a second, for tests that need a real detector on disk. */
export const TINY_CONFIG = { numResnet: 1, numHierarchies: 1, numFilters: 4, numLogisticMix: 1, dropoutP: 0 } as const;

/** Trains a tiny detector for 28×28 gray images (one epoch on 8 flat images) and saves it in `folder`. */
export async function writeTinyDetector(folder: string): Promise<void> {
  const images = toImageSet(new Uint8Array(8 * 28 * 28).fill(90), [28, 28, 1]);
  const detector = await LlrDetector.fit(images, { epochs: 1, batchSize: 4, semanticConfig: TINY_CONFIG });
  try {
    await saveDetector(detector, folder, { name: 'tiny', backend: 'wasm: test', data: fingerprintImages(images, 'flat'), trainingSeconds: 1 });
  } finally {
    detector.dispose();
  }
}
