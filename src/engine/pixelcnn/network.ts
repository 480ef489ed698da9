import * as tf from '@tensorflow/tfjs-core';
import { dropoutAcrossParts } from '../ops/dropout';
import { SeededRandom } from '../random/seededRandom';
import { fusedGate, hasFusedGate } from '../ops/gate';
import type { ChannelLayout, LayerContext } from './layers';
import { activate, causalConv, causalConvTranspose } from './layers';
import type { ParameterStore } from './parameters';
import type { CausalKernel, NetworkOps, Streams } from './topology';
import { pixelCnnTopology } from './topology';
import type { MixtureParams, PixelCnnConfig } from './types';

export { kernelGeometry } from './topology';

/**
 * The network's operations on TensorFlow.js tensors, computed eagerly on the active backend. Where
 * layers join output groups (the `joined` and `perPart` layouts) and the backend has the fused gate
 * (webgpu), a gated layer's second convolution gives [value, gate] as one
 * tensor and the gate reads both halves from it: no split, and its gradient no concatenation.
 */
function tensorOps(context: LayerContext, nextDropoutSeed: () => number): NetworkOps<tf.Tensor4D> {
  const gatedConv =
    context.layout !== 'separate' && hasFusedGate()
      ? (name: string, parts: readonly tf.Tensor4D[], kernel: CausalKernel, filters: number, x: tf.Tensor4D) =>
          fusedGate(x, causalConv(context, name, parts, kernel, [2 * filters], 1, false)[0])
      : undefined;
  return {
    ...(gatedConv ? { gatedConv } : {}),
    spatialSize: (x) => [x.shape[1], x.shape[2]],
    conv: (name, parts, kernel, outputGroups, stride, partsAreData) => causalConv(context, name, parts, kernel, outputGroups, stride, partsAreData),
    convTranspose: (name, x, kernel, outHeight, outWidth) => causalConvTranspose(context, name, x, kernel, outHeight, outWidth),
    activate: (parts) => [...activate(context, parts)],
    dropout: (parts) =>
      context.training && context.dropoutRate > 0
        ? // A mask for each layer, over all its parts, drawn on the device where it can be.
          dropoutAcrossParts(parts, context.dropoutRate, nextDropoutSeed())
        : [...parts],
    add: (a, b) => tf.add(a, b),
    gate: (x, value, gate) => tf.add(x, tf.mul(value, tf.sigmoid(gate))),
    elu: (x) => tf.elu(x),
    // Without a tape, each layer's temporaries are freed as it ends: at most one layer's and the
    // skip states live at once (the seed model's forward pass held 67 MB an image, which took wasm's
    // 4 GiB heap at batch 64). Training keeps them all anyway for the gradients.
    layer: (build) => (context.training ? build() : freeTemporaries(build)),
  };
}

/** Runs `build` in a tidy that keeps only the two streams it returns. */
function freeTemporaries(build: () => Streams<tf.Tensor4D>): Streams<tf.Tensor4D> {
  return tf.tidy(() => {
    const { vertical, horizontal } = build();
    return { vertical, horizontal };
  });
}

/**
 * PixelCNN++ (Salimans et al. 2017) as TFP builds it, on TensorFlow.js: `x` is [N, H, W, C] on
 * the [-1, 1] scale; the result holds each pixel's mixture parameters. Pixel (i, j) depends only on
 * pixels before it in raster order. With `training`, `x` is treated as data: no gradient flows back
 * to it (a gradient with respect to the image, as the causality tests take, needs `training` false).
 * Dropout masks (training only) are drawn from `dropoutSeed`, the same masks for the same seed; without
 * one, from a fresh random seed each pass, as tf.dropout.
 */
export function pixelCnnNetwork(
  store: ParameterStore,
  config: PixelCnnConfig,
  x: tf.Tensor4D,
  training: boolean,
  layout: ChannelLayout,
  dropoutSeed?: number,
): MixtureParams {
  const context: LayerContext = { store, activation: config.resnetActivation, dropoutRate: config.dropoutP, training, layout };
  const channels = x.shape[3];
  const [logits, locs, rawScales, coeffs] = pixelCnnTopology(tensorOps(context, dropoutSeeds(dropoutSeed)), config, x, channels);
  return mixtureParams(config, channels, logits, locs, rawScales, coeffs ?? null);
}

/** A stream of 32-bit dropout seeds: from `seed` where given, else from Math.random. */
function dropoutSeeds(seed: number | undefined): () => number {
  const draws = new SeededRandom(seed ?? Math.floor(Math.random() * 2 ** 32));
  return () => Math.floor(draws.next() * 2 ** 32);
}

/**
 * Mixture parameters from the mixture head's outputs (grouped as `mixtureHeadGroups` says), each [N, H, W, ·]:
 * scales through softplus, per-component tensors reshaped to [N, H, W, K, ·].
 */
export function mixtureParams(
  config: PixelCnnConfig,
  channels: number,
  logits: tf.Tensor4D,
  locs: tf.Tensor4D,
  rawScales: tf.Tensor4D,
  coeffs: tf.Tensor4D | null,
): MixtureParams {
  const [batch, height, width] = logits.shape;
  const mixtures = config.numLogisticMix;
  const perComponent = (tensor: tf.Tensor4D): tf.Tensor5D => tf.reshape(tensor, [batch, height, width, mixtures, tensor.shape[3] / mixtures]) as tf.Tensor5D;
  return {
    logits,
    locs: perComponent(locs),
    // Softplus keeps scales positive; e^-7 keeps them from collapsing (as TFP).
    scales: tf.add(tf.softplus(perComponent(rawScales)), Math.exp(-7)) as tf.Tensor5D,
    coeffs: coeffs && channels > 1 ? perComponent(coeffs) : null,
  };
}
