import type * as tf from '@tensorflow/tfjs-core';

/** Height, width and channels of the images a model describes (channels 1 = gray, 3 = RGB). */
export type ImageShape = readonly [height: number, width: number, channels: number];

/** Activation used inside the gated resnet blocks. */
export type ResnetActivation = 'concat_elu' | 'elu' | 'relu';

/**
 * PixelCNN++ hyper-parameters, with TensorFlow Probability's names in camelCase
 * (`tfp.distributions.PixelCNN`).
 */
export interface PixelCnnConfig {
  /** Gated resnet layers in each block of the U-net. */
  readonly numResnet: number;
  /** Blocks of the U-net, separated by stride-2 down- and up-sampling. */
  readonly numHierarchies: number;
  /** Channels of every hidden layer. */
  readonly numFilters: number;
  /** Components of the discretized logistic mixture per pixel. */
  readonly numLogisticMix: number;
  /** Rows (including the current one) and columns (odd) of the causal receptive field of a layer. */
  readonly receptiveFieldDims: readonly [rows: number, cols: number];
  /** Dropout rate inside the resnet blocks, during training only. */
  readonly dropoutP: number;
  /** Activation inside the resnet blocks. */
  readonly resnetActivation: ResnetActivation;
  /** L2 penalty on every kernel, added to the loss as `l2Weight · Σ w² / 2`. */
  readonly l2Weight: number;
  /** Weight normalisation of every kernel (Salimans & Kingma 2016). */
  readonly useWeightNorm: boolean;
  /** Largest pixel value. */
  readonly high: number;
  /** Smallest pixel value. */
  readonly low: number;
}

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
