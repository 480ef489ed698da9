import type * as tf from '@tensorflow/tfjs-core';

export type { ImageShape, PixelCnnConfig, ResnetActivation } from '../../protocol/detector';

/** Per-pixel parameters of the discretized logistic mixture, on the [-1, 1] scale. */
export interface MixtureParams {
  /** Unnormalised mixture weights, [N, H, W, K]. */
  readonly logits: tf.Tensor4D;
  /** Component locations, [N, H, W, K, C] (before the channel coefficients are applied). */
  readonly locs: tf.Tensor5D;
  /** Component scales, positive, [N, H, W, K, C]. */
  readonly scales: tf.Tensor5D;
  /** Linear dependence of a channel's location on earlier channels, [N, H, W, K, C(C-1)/2]; null for gray. */
  readonly coeffs: tf.Tensor5D | null;
}

/**
 * Computes the network's mixture parameters for sampling elsewhere than TensorFlow.js (e.g. on
 * ONNX Runtime): `filled` holds the rows drawn so far, values low..high, [N, rows, W, C]; null leaves
 * that pass to TensorFlow.js.
 */
export interface SampleNetwork {
  params(filled: tf.Tensor4D): MixtureParams | null;
}
