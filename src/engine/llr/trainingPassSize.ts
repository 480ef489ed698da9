import * as tf from '@tensorflow/tfjs-core';
import type { PixelCnn } from '../pixelcnn';

/**
 * Tape memory one wasm training pass may use: its heap is 4 GiB in all, and the training images and
 * weights share it. A seed-model pass of 16 images grew the heap to 1.9 GiB with its channel parts
 * apart (of 8: 1.0 GiB), to 1.3 GiB joined, as it trains now.
 */
const WASM_TAPE_BUDGET_BYTES = 2 * 2 ** 30;

/**
 * Images × one layer's activation values (height · width · filters) of the wasm training pass that
 * ran fastest, about 1.6 MB of float32 a layer: the seed model (32 filters) at 16 images, the fast
 * model (16 filters) at 32. Steps alternating in one process, medians: seed at batch 64 in passes of
 * 16 took 0.94x the time of passes of 9, passes of 21 and 32 0.96x (batch 32: 16 a pass 0.98x of 9);
 * fast at batch 64 in passes of 32 took 0.94x of 64 and 0.96x of 16. Fewer, larger passes make
 * fewer kernel calls; past this size a layer's activations no longer stay in the cache.
 */
const WASM_PASS_ACTIVATION_VALUES = 16 * 28 * 28 * 32;

/**
 * Images per training pass for a model whose step keeps `bytesPerImage` an image on the tape and
 * whose layers have `activationValuesPerImage` values an image, on `backend`: on wasm, the pass size
 * that ran fastest where its heap holds it; elsewhere the whole batch.
 */
export function trainingPassImages(bytesPerImage: number, activationValuesPerImage: number, backend: string): number {
  if (backend !== 'wasm') {
    return Number.POSITIVE_INFINITY;
  }
  const fitsMemory = Math.floor(WASM_TAPE_BUDGET_BYTES / bytesPerImage);
  const fastest = Math.round(WASM_PASS_ACTIVATION_VALUES / activationValuesPerImage);
  return Math.max(1, Math.min(fitsMemory, fastest));
}

/** Images per training pass of `model` on the active backend (see {@link trainingPassImages}). */
export function imagesPerPass(model: PixelCnn): number {
  return trainingPassImages(model.trainingBytesPerImage(), model.activationValuesPerImage(), tf.getBackend());
}
