import * as tf from '@tensorflow/tfjs-core';
import type { MixtureParams } from './types';

/** Pixel value range of the discretized distribution. */
export interface PixelRange {
  readonly low: number;
  readonly high: number;
}

/** Bounds that keep every intermediate finite for any finite network output. */
const MAX_LOCATION = 1e30;
const MAX_SCALE = 1e30;
const MIN_BIN_WIDTH = 1e-30;
const MAX_STANDARDISED = 1e15;
const MIN_LOG_WEIGHT = -1e30;

/** Maps pixel values to the network's [-1, 1] input scale. */
export function toUnitScale(pixels: tf.Tensor, range: PixelRange): tf.Tensor {
  return tf.sub(tf.mul(pixels, 2 / (range.high - range.low)), (2 * range.low) / (range.high - range.low) + 1);
}

/**
 * Component locations after the within-pixel channel dependence: `loc_c += Σ_{j<c} coef · x_j`,
 * with the earlier channels on the [-1, 1] scale (as TFP; not the raw 0..255 values).
 */
export function conditionLocations(params: MixtureParams, unitPixels: tf.Tensor4D): tf.Tensor5D {
  const channels = params.locs.shape[4];
  if (channels === 1 || !params.coeffs) {
    return params.locs;
  }
  const locations = tf.unstack(params.locs, 4);
  const coefficients = tf.unstack(params.coeffs, 4);
  const earlier = tf.unstack(tf.expandDims(unitPixels, 3), 4); // each [N, H, W, 1]
  let coefficient = 0;
  for (let channel = 1; channel < channels; channel++) {
    for (let previous = 0; previous < channel; previous++) {
      locations[channel] = tf.add(locations[channel], tf.mul(coefficients[coefficient++], earlier[previous]));
    }
  }
  return tf.stack(locations, 4) as tf.Tensor5D;
}

/**
 * log P(x) of each pixel under the discretized logistic mixture, [N, H, W] (channels summed).
 * `pixels` are the integer values low..high as float32, [N, H, W, C].
 *
 * Interior values: P = σ(a) − σ(b) with a = (x + ½ − μ)/s, b = (x − ½ − μ)/s, computed as
 * log σ(a) − softplus(b) + log(1 − e^{−(a−b)}), which stays finite however far μ is from x or
 * however small or large s is. The lowest value takes the left tail, the highest the right tail.
 */
export function discretizedLogisticMixtureLogProb(params: MixtureParams, pixels: tf.Tensor4D, range: PixelRange): tf.Tensor3D {
  return tf.tidy(() => {
    const [batch, height, width, mixtures, channels] = params.locs.shape;
    // Computed at rank 4, [N·H, W, K, C]: the webgpu Select kernel (which tf.where and the
    // gradients of clipByValue, minimum and maximum run) stops at rank 4.
    const rank4 = (tensor: tf.Tensor): tf.Tensor4D => tf.reshape(tensor, [batch * height, width, mixtures, channels]);
    const halfRange = (range.high - range.low) / 2;
    const unitPixels = toUnitScale(pixels, range) as tf.Tensor4D;
    const unitLocations = tf.clipByValue(rank4(conditionLocations(params, unitPixels)), -MAX_LOCATION, MAX_LOCATION);
    // Locations and scales on the pixel scale, as TFP's Shift(-½)-Logistic quantized on low..high.
    const locations = tf.add(tf.mul(tf.add(unitLocations, 1), halfRange), range.low);
    const scales = tf.mul(tf.minimum(rank4(params.scales), MAX_SCALE), halfRange);
    const inverseScales = tf.reciprocal(scales);
    const x = tf.reshape(pixels, [batch * height, width, 1, channels]); // against [N·H, W, K, C]
    const centred = tf.sub(x, locations);
    const upper = tf.clipByValue(tf.mul(tf.add(centred, 0.5), inverseScales), -MAX_STANDARDISED, MAX_STANDARDISED);
    const lower = tf.clipByValue(tf.mul(tf.sub(centred, 0.5), inverseScales), -MAX_STANDARDISED, MAX_STANDARDISED);
    const logSigmoidUpper = tf.neg(tf.softplus(tf.neg(upper)));
    const logOneMinusSigmoidLower = tf.neg(tf.softplus(lower));
    const binWidth = tf.maximum(inverseScales, MIN_BIN_WIDTH);
    const logOneMinusExp = tf.log(tf.neg(tf.expm1(tf.neg(binWidth))));
    const interior = tf.add(tf.add(logSigmoidUpper, logOneMinusSigmoidLower), logOneMinusExp);
    const atLow = edgeMask(x, range.low, interior);
    const atHigh = edgeMask(x, range.high, interior);
    const perChannel = tf.where(atLow, logSigmoidUpper, tf.where(atHigh, logOneMinusSigmoidLower, interior));
    // Logits further apart than float32 can hold give a weight of −∞; a floor keeps the sum finite.
    const logits = tf.reshape(params.logits, [batch * height, width, mixtures]);
    const logWeights = tf.maximum(tf.logSoftmax(logits, 2), MIN_LOG_WEIGHT);
    const perComponent = tf.add(tf.sum(perChannel, 3), logWeights);
    return tf.reshape(tf.logSumExp(perComponent, 2), [batch, height, width]) as tf.Tensor3D;
  });
}

/**
 * Where `x` equals `value`, as a bool tensor of `like`'s full shape. Broadcast through float
 * arithmetic: the webgpu backend tiles a bool tensor only by reading it back to the CPU.
 */
function edgeMask(x: tf.Tensor, value: number, like: tf.Tensor): tf.Tensor {
  // A comparison has no gradient: the mask is a constant to the tape, as tf.where's condition is.
  const mask = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [pixels, full] = args as [tf.Tensor, tf.Tensor];
    return {
      value: tf.greater(tf.add(tf.cast(tf.equal(pixels, value), 'float32'), tf.zerosLike(full)), 0.5),
      gradFunc: () => [tf.zerosLike(pixels), tf.zerosLike(full)],
    };
  });
  return mask(x, like);
}
