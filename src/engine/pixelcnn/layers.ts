import * as tf from '@tensorflow/tfjs-core';
import type { ParameterStore } from './parameters';
import type { KernelPlacement } from './shiftedConv';
import { shiftedConv2d, shiftedConv2dTranspose } from './shiftedConv';
import type { ResnetActivation } from './types';

/** A causal kernel: its size and where it sits relative to the pixel it feeds. */
export interface CausalKernel extends KernelPlacement {
  readonly height: number;
  readonly width: number;
}

/** The pieces every layer of one forward pass shares. */
export interface LayerContext {
  readonly store: ParameterStore;
  readonly activation: ResnetActivation;
  readonly dropoutRate: number;
  readonly training: boolean;
}

/** The resnet activation; `concat_elu` doubles the channels: elu([x, -x]). */
export function activate(context: LayerContext, x: tf.Tensor4D): tf.Tensor4D {
  switch (context.activation) {
    case 'concat_elu':
      return tf.elu(tf.concat([x, tf.neg(x)], 3));
    case 'elu':
      return tf.elu(x);
    case 'relu':
      return tf.relu(x);
  }
}

/** A causal convolution named `name`, keeping the size (stride 1) or halving it (stride 2, rounding up). */
export function causalConv(
  context: LayerContext,
  name: string,
  x: tf.Tensor4D,
  kernel: CausalKernel,
  outChannels: number,
  stride: 1 | 2 = 1,
): tf.Tensor4D {
  const [, height, width, inChannels] = x.shape;
  const weights = context.store.kernel(name, [kernel.height, kernel.width, inChannels, outChannels]) as tf.Tensor4D;
  const bias = context.store.bias(name, outChannels) as tf.Tensor1D;
  const outHeight = stride === 1 ? height : Math.ceil(height / 2);
  const outWidth = stride === 1 ? width : Math.ceil(width / 2);
  return shiftedConv2d(x, weights, bias, kernel, stride, outHeight, outWidth);
}

/** A causal stride-2 transposed convolution named `name`, up to `outHeight` × `outWidth`. */
export function causalConvTranspose(
  context: LayerContext,
  name: string,
  x: tf.Tensor4D,
  kernel: CausalKernel,
  outHeight: number,
  outWidth: number,
): tf.Tensor4D {
  const channels = x.shape[3];
  const weights = context.store.kernel(name, [kernel.height, kernel.width, channels, channels]) as tf.Tensor4D;
  const bias = context.store.bias(name, channels) as tf.Tensor1D;
  return shiftedConv2dTranspose(x, weights, bias, kernel, outHeight, outWidth);
}

/** A per-pixel dense layer (a 1×1 convolution) named `name`. */
export function pixelDense(context: LayerContext, name: string, x: tf.Tensor4D, outChannels: number): tf.Tensor4D {
  const [batch, height, width, inChannels] = x.shape;
  const weights = context.store.kernel(name, [inChannels, outChannels]) as tf.Tensor2D;
  const bias = context.store.bias(name, outChannels);
  const flat = tf.reshape(x, [batch * height * width, inChannels]);
  const out = tf.fused.matMul({ a: flat, b: weights, bias });
  return tf.reshape(out, [batch, height, width, outChannels]);
}

/**
 * One gated resnet layer (van den Oord et al. 2016, Fig. 2): `c = conv(act(x)) [+ dense(act(aux))];
 * c = conv(dropout(act(c))) → 2F; x + a · σ(b)`.
 */
export function gatedResnet(
  context: LayerContext,
  name: string,
  x: tf.Tensor4D,
  kernel: CausalKernel,
  auxiliary: tf.Tensor4D | null,
): tf.Tensor4D {
  const filters = x.shape[3];
  let hidden = causalConv(context, `${name}/conv1`, activate(context, x), kernel, filters);
  if (auxiliary) {
    hidden = tf.add(hidden, pixelDense(context, `${name}/auxiliary`, activate(context, auxiliary), filters)) as tf.Tensor4D;
  }
  hidden = activate(context, hidden);
  if (context.training && context.dropoutRate > 0) {
    hidden = tf.dropout(hidden, context.dropoutRate) as tf.Tensor4D;
  }
  const gated = causalConv(context, `${name}/conv2`, hidden, kernel, 2 * filters);
  const [value, gate] = tf.split(gated, 2, 3) as [tf.Tensor4D, tf.Tensor4D];
  return tf.add(x, tf.mul(value, tf.sigmoid(gate))) as tf.Tensor4D;
}
