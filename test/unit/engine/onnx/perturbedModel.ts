import * as tf from '@tensorflow/tfjs-core';
import type { PixelCnnConfig } from '../../../../src/engine/pixelcnn';
import { PixelCnn } from '../../../../src/engine/pixelcnn';

/**
 * A model whose weights are moved off their initial values by N(0, `spread`) (biases start at
 * zero), so that every term counts; `spread` small enough that activations stay O(1–100) through
 * the layers (a network whose activations explode to 1e6 amplifies any difference in summation order).
 */
export function perturbedModel(shape: [number, number, number], config: Partial<PixelCnnConfig>, seed: number, spread = 0.1): PixelCnn {
  const model = new PixelCnn(shape, config, seed);
  tf.tidy(() => {
    for (const variable of model.variables.values()) {
      variable.assign(tf.add(variable, tf.randomNormal(variable.shape, 0, spread, 'float32', seed + 1)));
    }
  });
  return model;
}
