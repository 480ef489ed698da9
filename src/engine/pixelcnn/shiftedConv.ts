import * as tf from '@tensorflow/tfjs-core';
import { biasedConv2d } from './biasedConv2d';

/**
 * Where a kernel sits relative to the output pixel it feeds: output (i, j) reads input rows
 * `stride·i + rowOffset + [0, kernelHeight)` and columns `stride·j + colOffset + [0, kernelWidth)`.
 * Offsets that keep a kernel above and to the left of a pixel make the convolution causal
 * without masking (Salimans et al.'s shifted convolutions).
 */
export interface KernelPlacement {
  readonly rowOffset: number;
  readonly colOffset: number;
}

/** Zero padding (or, where negative, cropping) of one spatial axis so that a 'valid' convolution lines up. */
export interface AxisWindow {
  readonly padBefore: number;
  readonly padAfter: number;
  readonly cropBefore: number;
  readonly cropAfter: number;
}

/**
 * The padding and cropping of an axis of `inputSize` that a kernel at `offset` with `stride` needs
 * for `outputSize` outputs. An unread tail shorter than the stride is not cropped: a convolution's
 * output size (⌊(size + padding − kernel) / stride⌋ + 1) leaves it out by itself, and a crop is a copy.
 */
export function axisWindow(inputSize: number, outputSize: number, kernelSize: number, stride: number, offset: number): AxisWindow {
  const first = offset;
  const last = offset + (outputSize - 1) * stride + kernelSize - 1;
  const unreadTail = Math.max(0, inputSize - 1 - last);
  return {
    padBefore: Math.max(0, -first),
    cropBefore: Math.max(0, first),
    padAfter: Math.max(0, last - (inputSize - 1)),
    cropAfter: unreadTail < stride ? 0 : unreadTail,
  };
}

/**
 * Which gradients a convolution is trained through: none (inference), the weights only (its input
 * is data, e.g. the image), or the input and the weights.
 */
export type ConvGradients = 'none' | 'weights' | 'inputAndWeights';

/**
 * Convolution of `x` [N, H, W, Cin] with `kernel` [kh, kw, Cin, Cout] placed at `placement`,
 * giving [N, outHeight, outWidth, Cout], plus `bias` if given. Zero padding is passed to the kernel (no padded copy);
 * only rows or columns the kernel never reads are cropped. With a bias, `gradients` says which
 * gradients training needs (see {@link biasedConv2d}); without one, tfjs computes only those needed.
 */
export function shiftedConv2d(
  x: tf.Tensor4D,
  kernel: tf.Tensor4D,
  bias: tf.Tensor1D | null,
  placement: KernelPlacement,
  stride: 1 | 2,
  outHeight: number,
  outWidth: number,
  gradients: ConvGradients = 'none',
): tf.Tensor4D {
  const [batch, height, width, channels] = x.shape;
  const [kernelHeight, kernelWidth] = kernel.shape;
  const rows = axisWindow(height, outHeight, kernelHeight, stride, placement.rowOffset);
  const cols = axisWindow(width, outWidth, kernelWidth, stride, placement.colOffset);
  const keptRows = height - rows.cropBefore - rows.cropAfter;
  const keptCols = width - cols.cropBefore - cols.cropAfter;
  if (keptRows <= 0 || keptCols <= 0) {
    // The kernel reads only padding (e.g. the first row when sampling): the output is the bias.
    const zeros = tf.zeros([batch, outHeight, outWidth, kernel.shape[3]]) as tf.Tensor4D;
    return bias ? (tf.add(zeros, bias) as tf.Tensor4D) : zeros;
  }
  let input = x;
  if (rows.cropBefore || rows.cropAfter || cols.cropBefore || cols.cropAfter) {
    input = tf.slice(x, [0, rows.cropBefore, cols.cropBefore, 0], [batch, keptRows, keptCols, channels]);
  }
  const pad: [[number, number], [number, number], [number, number], [number, number]] = [
    [0, 0],
    [rows.padBefore, rows.padAfter],
    [cols.padBefore, cols.padAfter],
    [0, 0],
  ];
  if (!bias) {
    return tf.conv2d(input, kernel, stride, pad);
  }
  if (gradients === 'none') {
    return tf.fused.conv2d({ x: input, filter: kernel, strides: stride, pad, bias });
  }
  return biasedConv2d(input, kernel, bias, stride, pad, gradients === 'weights');
}

/**
 * Stride-2 transposed convolution: input (i, j) adds `kernel` [kh, kw, Cin, Cout] into output
 * rows `2i + rowOffset + [0, kh)` and columns `2j + colOffset + [0, kw)`; the output is
 * [N, outHeight, outWidth, Cout]. Offsets must be ≤ 0 (the kernel starts at or before 2i).
 */
export function shiftedConv2dTranspose(
  x: tf.Tensor4D,
  kernel: tf.Tensor4D,
  bias: tf.Tensor1D,
  placement: KernelPlacement,
  outHeight: number,
  outWidth: number,
): tf.Tensor4D {
  const [batch, inHeight, inWidth] = x.shape;
  const [kernelHeight, kernelWidth, , outChannels] = kernel.shape;
  if (placement.rowOffset > 0 || placement.colOffset > 0) {
    throw new Error(`transposed convolution offsets must be ≤ 0, got (${placement.rowOffset}, ${placement.colOffset})`);
  }
  // conv2dTranspose is the input gradient of a forward convolution from the output grid to the
  // input grid; its padding is that convolution's, chosen so that it maps outHeight to inHeight.
  const padTop = -placement.rowOffset;
  const padLeft = -placement.colOffset;
  const padBottom = Math.max(0, 2 * (inHeight - 1) + kernelHeight - outHeight - padTop);
  const padRight = Math.max(0, 2 * (inWidth - 1) + kernelWidth - outWidth - padLeft);
  const transposedKernel = tf.transpose(kernel, [0, 1, 3, 2]) as tf.Tensor4D;
  const output = tf.conv2dTranspose(x, transposedKernel, [batch, outHeight, outWidth, outChannels], 2, [
    [0, 0],
    [padTop, padBottom],
    [padLeft, padRight],
    [0, 0],
  ]);
  return tf.add(output, bias);
}
