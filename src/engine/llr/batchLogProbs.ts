import * as tf from '@tensorflow/tfjs-core';
import type { NativeLogProbPair } from '../onnx/nativeLogProb';
import type { PixelCnn } from '../pixelcnn/model';
import type { ImageSet } from './imageSet';
import { imageSize, rangeBatch } from './imageSet';

/** Both models' log-likelihoods of one batch, per image (or per pixel). */
export interface BatchLogProbs {
  readonly semantic: Float32Array;
  readonly background: Float32Array;
}

/**
 * log p of images [start, end) of `images` under both models, one sum per image or per pixel
 * with `perPixel`: on ONNX Runtime where `native` holds the pair's sessions, else on TensorFlow.js.
 * The detector and the scoring workers score each batch this way.
 */
export async function batchLogProbs(
  models: { readonly semantic: PixelCnn; readonly background: PixelCnn },
  native: NativeLogProbPair | null | undefined,
  images: ImageSet,
  start: number,
  end: number,
  perPixel: boolean,
): Promise<BatchLogProbs> {
  if (native) {
    const size = imageSize(images.shape);
    const pixels = images.pixels.subarray(start * size, end * size);
    return { semantic: native.semantic.logProb(pixels, end - start, perPixel), background: native.background.logProb(pixels, end - start, perPixel) };
  }
  const batch = rangeBatch(images, start, end);
  const [semantic, background] = tf.tidy(() => {
    try {
      return [models.semantic.logProb(batch, { perPixel }), models.background.logProb(batch, { perPixel })];
    } finally {
      batch.dispose();
    }
  });
  try {
    return { semantic: (await semantic.data()) as Float32Array, background: (await background.data()) as Float32Array };
  } finally {
    tf.dispose([semantic, background]);
  }
}
