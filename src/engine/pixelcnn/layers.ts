import * as tf from '@tensorflow/tfjs-core';
import { concatElu, hasFusedConcatElu } from '../ops/concatElu';
import type { ParameterStore } from './parameters';
import type { ConvGradients } from './shiftedConv';
import { shiftedConv2d, shiftedConv2dTranspose } from './shiftedConv';
import type { CausalKernel } from './topology';
import type { ResnetActivation } from './types';

/**
 * A tensor whose channels are the concatenation of these parts, never materialised: a layer
 * applies its kernel to each part with the matching slice of input channels and sums. Concatenating
 * and splitting on the channel axis copied more bytes than the convolutions computed (wasm).
 */
export type ChannelParts = readonly tf.Tensor4D[];

/** The pieces every layer of one forward pass shares. */
export interface LayerContext {
  readonly store: ParameterStore;
  readonly activation: ResnetActivation;
  readonly dropoutRate: number;
  readonly training: boolean;
  /** How layers apply a kernel to channel parts (see {@link channelLayoutFor}). */
  readonly layout: ChannelLayout;
}

/**
 * How a layer applies its kernel to channel parts: `joined` (concatenate the parts, one
 * convolution), `perPart` (one convolution per part over all output channels, summed, then split
 * into the output groups) or `separate` (one per part and output group). All compute the same function.
 */
export type ChannelLayout = 'joined' | 'perPart' | 'separate';

/** The layout {@link joinsChannelParts} and {@link joinsOutputGroups} choose for `backend`. */
export function channelLayoutFor(backend: string, training: boolean): ChannelLayout {
  if (joinsChannelParts(backend)) {
    return 'joined';
  }
  return joinsOutputGroups(backend, training) ? 'perPart' : 'separate';
}

/**
 * Whether layers with parts apart still join their output groups (a gated layer's value and gate):
 * in training on wasm. Each part's filter gradient then builds its im2col once rather than once per
 * group, and the products and convolutions are half as many and twice as wide. Measured in one
 * process, steps alternating (batch 32, 8 rounds, median of per-round ratios): seed step 0.969x,
 * fast step 0.933x the time of separate groups; the fast model's inference pass 1.12x (the split
 * costs more than it saves there), so inference keeps its groups apart.
 */
export function joinsOutputGroups(backend: string, training: boolean): boolean {
  return backend === 'wasm' && training;
}

/**
 * Whether layers on `backend` concatenate channel parts and run one convolution, rather than one
 * per part and output group: on webgpu (fewer, larger kernels). On the CPU backends parts stay
 * apart: joining paid only with ONNX Runtime's per-kernel convolutions, which the graph training
 * engine superseded (docs/measurements.md, "Channel parts").
 */
export function joinsChannelParts(backend: string): boolean {
  return backend === 'webgpu';
}

/** The resnet activation; `concat_elu` doubles the channels: elu([x, −x]) (parts first, then negations). */
export function activate(context: LayerContext, parts: ChannelParts): ChannelParts {
  switch (context.activation) {
    case 'concat_elu':
      if (context.layout === 'joined' && hasFusedConcatElu()) {
        // One part, [elu(parts), elu(−parts)]: the same channels in the same order, by one kernel each way.
        return [concatElu(parts.length === 1 ? parts[0] : (tf.concat(parts as tf.Tensor4D[], 3) as tf.Tensor4D))];
      }
      return [...parts.map((part) => tf.elu(part)), ...parts.map((part) => tf.elu(tf.neg(part)))];
    case 'elu':
      return parts.map((part) => tf.elu(part));
    case 'relu':
      return parts.map((part) => tf.relu(part));
  }
}

/** Channels of a parts list. */
function channelsOf(parts: ChannelParts): number {
  return parts.reduce((total, part) => total + part.shape[3], 0);
}

/**
 * Applies `apply(part, kernelSlice)` for each input part and each output group of a kernel whose
 * input channels are on `inputAxis` and output channels last, adding the group's bias once; or,
 * where the context joins parts, `apply` once to all channels and splits the output into groups;
 * or, where it joins only the groups, once per part over all output channels and splits the sum.
 */
function perPartAndGroup<K extends tf.Tensor>(
  context: LayerContext,
  parts: ChannelParts,
  kernel: K,
  bias: tf.Tensor1D,
  outputGroups: readonly number[],
  inputAxis: number,
  apply: (part: tf.Tensor4D, kernelSlice: K, bias: tf.Tensor1D | null) => tf.Tensor4D,
): tf.Tensor4D[] {
  if (context.layout === 'joined') {
    const joined = parts.length === 1 ? parts[0] : (tf.concat(parts as tf.Tensor4D[], 3) as tf.Tensor4D);
    const whole = apply(joined, kernel, bias);
    return outputGroups.length === 1 ? [whole] : (tf.split(whole, outputGroups as number[], 3) as tf.Tensor4D[]);
  }
  if (context.layout === 'perPart' && outputGroups.length > 1) {
    const channels = outputGroups.reduce((total, size) => total + size, 0);
    const [whole] = perPartAndGroup(context, parts, kernel, bias, [channels], inputAxis, apply);
    return tf.split(whole, outputGroups as number[], 3) as tf.Tensor4D[];
  }
  const results: tf.Tensor4D[] = [];
  let outputStart = 0;
  for (const groupSize of outputGroups) {
    const groupBias = outputGroups.length === 1 ? bias : (tf.slice(bias, [outputStart], [groupSize]) as tf.Tensor1D);
    let sum: tf.Tensor4D | null = null;
    let inputStart = 0;
    parts.forEach((part, index) => {
      const begin = new Array<number>(kernel.rank).fill(0);
      const size = [...kernel.shape];
      begin[inputAxis] = inputStart;
      size[inputAxis] = part.shape[3];
      begin[kernel.rank - 1] = outputStart;
      size[kernel.rank - 1] = groupSize;
      const whole = parts.length === 1 && outputGroups.length === 1;
      const kernelSlice = whole ? kernel : (tf.slice(kernel, begin, size) as K);
      const term = apply(part, kernelSlice, index === 0 ? groupBias : null);
      sum = sum ? (tf.add(sum, term) as tf.Tensor4D) : term;
      inputStart += part.shape[3];
    });
    results.push(sum as unknown as tf.Tensor4D);
    outputStart += groupSize;
  }
  return results;
}

/**
 * A causal convolution named `name` over `parts`, keeping the size (stride 1) or halving it
 * (stride 2, rounding up); one output per entry of `outputGroups` (channel counts). `partsAreData`
 * says the parts are the network's input, which training needs no gradient of.
 */
export function causalConv(
  context: LayerContext,
  name: string,
  parts: ChannelParts,
  kernel: CausalKernel,
  outputGroups: readonly number[],
  stride: 1 | 2 = 1,
  partsAreData = false,
): tf.Tensor4D[] {
  const [, height, width] = parts[0].shape;
  const outChannels = outputGroups.reduce((total, size) => total + size, 0);
  const weights = context.store.kernel(name, [kernel.height, kernel.width, channelsOf(parts), outChannels]) as tf.Tensor4D;
  const bias = context.store.bias(name, outChannels) as tf.Tensor1D;
  const outHeight = stride === 1 ? height : Math.ceil(height / 2);
  const outWidth = stride === 1 ? width : Math.ceil(width / 2);
  const gradients: ConvGradients = !context.training ? 'none' : partsAreData ? 'weights' : 'inputAndWeights';
  return perPartAndGroup(context, parts, weights, bias, outputGroups, 2, (part, slice, partBias) =>
    shiftedConv2d(part, slice, partBias, kernel, stride, outHeight, outWidth, gradients),
  );
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
