import * as tf from '@tensorflow/tfjs-core';
import type { PixelRange } from './likelihood';
import type { MixtureParams } from './types';

/**
 * Draws one value per channel of each pixel of `params` [N, H, W, …]: a mixture component
 * (Gumbel-max), then the channels in order, each a logistic around its location shifted by the
 * channels already drawn (on the [-1, 1] scale), clipped to [-1, 1] and rounded to the pixel grid.
 * Returns the pixel values as float32, [N, H, W, C].
 */
export function sampleFromMixture(params: MixtureParams, range: PixelRange, seed: number): tf.Tensor4D {
  return tf.tidy(() => {
    const [batch, height, width, mixtures] = params.logits.shape;
    const channels = params.locs.shape[4];
    const gumbel = tf.neg(tf.log(tf.neg(tf.log(tf.randomUniform(params.logits.shape, 1e-6, 1 - 1e-6, 'float32', seed)))));
    const component = tf.argMax(tf.add(params.logits, gumbel), 3);
    const chosen = tf.equal(tf.expandDims(component, 3), tf.range(0, mixtures, 1, 'int32'));
    const mask = tf.reshape(tf.cast(chosen, 'float32'), [batch, height, width, mixtures, 1]);
    const pick = (values: tf.Tensor5D): tf.Tensor4D => tf.sum(tf.mul(values, mask), 3) as tf.Tensor4D;
    const locations = tf.unstack(pick(params.locs), 3);
    const scales = tf.unstack(pick(params.scales), 3);
    const coefficients = params.coeffs ? tf.unstack(pick(params.coeffs), 3) : [];
    const uniform = tf.unstack(tf.randomUniform([batch, height, width, channels], 1e-6, 1 - 1e-6, 'float32', seed + 1), 3);
    const halfRange = (range.high - range.low) / 2;
    const drawn: tf.Tensor3D[] = [];
    let coefficient = 0;
    for (let channel = 0; channel < channels; channel++) {
      let location = locations[channel];
      for (const previous of drawn) {
        location = tf.add(location, tf.mul(coefficients[coefficient++], previous));
      }
      const logisticNoise = tf.sub(tf.log(uniform[channel]), tf.log1p(tf.neg(uniform[channel])));
      const unitValue = tf.clipByValue(tf.add(location, tf.mul(scales[channel], logisticNoise)), -1, 1);
      // Round to the pixel grid so that later pixels are conditioned on values the data can take.
      const pixel = tf.round(tf.add(tf.mul(tf.add(unitValue, 1), halfRange), range.low));
      drawn.push(tf.sub(tf.div(tf.sub(pixel, range.low), halfRange), 1) as tf.Tensor3D);
    }
    return tf.round(tf.add(tf.mul(tf.add(tf.stack(drawn, 3), 1), halfRange), range.low)) as tf.Tensor4D;
  });
}
