import type { NetworkOps } from '../../pixelcnn/topology';
import type { PixelCnnConfig } from '../../pixelcnn/types';
import { concatElu, elu, relu } from './activations';
import type { ConvWeights } from './convolution';
import { causalConv } from './convolution';
import type { DifferentiableOps } from './differentiableOps';
import type { Value } from './tape';
import { causalConvTranspose } from './transposedConvolution';

/** Where the training graph's layers find their weights and dropout masks. */
export interface TrainingSources {
  /** Layer `name`'s kernel (of `kernelShape`, TensorFlow's layout) and bias, as watched graph values. */
  weights(name: string, kernelShape: readonly number[]): ConvWeights;
  /** The inverted-dropout mask for a value of shape [N, C, H, W], a graph value of that shape; null: no dropout. */
  dropoutMask(shape: readonly number[]): Value | null;
}

/**
 * The network's operations over [N, C, H, W] values of a training graph, each recording its
 * gradient on the tape. Channel parts are joined (concatenated) before a convolution and
 * concat_elu makes one part of its doubled channels: TensorFlow.js's `joined` layout, so that a
 * dropout mask covers the same values in the same order as the wasm path's.
 */
export function trainingNetworkOps(ops: DifferentiableOps, config: PixelCnnConfig, sources: TrainingSources): NetworkOps<Value> {
  return {
    spatialSize: (x) => [x.shape[2], x.shape[3]],
    conv: (name, parts, kernel, outputGroups, stride) => {
      const input = ops.concat(parts, 1);
      const outChannels = outputGroups.reduce((total, size) => total + size, 0);
      const weights = sources.weights(name, [kernel.height, kernel.width, input.shape[1], outChannels]);
      return ops.split(causalConv(ops, input, weights, kernel, stride, name), outputGroups, 1);
    },
    convTranspose: (name, x, kernel, outHeight, outWidth) => {
      const weights = sources.weights(name, [kernel.height, kernel.width, x.shape[1], x.shape[1]]);
      return causalConvTranspose(ops, x, weights, kernel, outHeight, outWidth, name);
    },
    activate: (parts) => {
      switch (config.resnetActivation) {
        case 'concat_elu':
          return [concatElu(ops, ops.concat(parts, 1))];
        case 'elu':
          return parts.map((part) => elu(ops, part));
        case 'relu':
          return parts.map((part) => relu(ops, part));
      }
    },
    dropout: (parts) =>
      parts.map((part) => {
        const mask = sources.dropoutMask(part.shape);
        return mask ? ops.mul(part, mask) : part;
      }),
    add: (a, b) => ops.add(a, b),
    gate: (x, value, gate) => ops.add(x, ops.mul(value, ops.sigmoid(gate))),
    elu: (x) => elu(ops, x),
    layer: (build) => build(),
  };
}
