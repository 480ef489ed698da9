import { axisWindow } from '../../pixelcnn/shiftedConv';
import type { CausalKernel } from '../../pixelcnn/topology';
import { UnsupportedNetworkError } from '../pixelCnnGraph';
import type { DifferentiableOps } from './differentiableOps';
import { biasGradient, channelsByPositions, channelsFirstPadded, perTapFilterGradient } from './filterGradient';
import type { Value } from './tape';

/** A convolution layer's trainable values: kernel [kh, kw, Cin, Cout] (TensorFlow's layout) and bias [Cout]. */
export interface ConvWeights {
  readonly kernel: Value;
  readonly bias: Value;
}

/** `kernel` [kh, kw, A, B] as [B, A, kh, kw] (ONNX Conv's [Cout, Cin, ·, ·]), or [A, B, kh, kw] (`inputFirst`). */
export function onnxKernel(ops: DifferentiableOps, kernel: string, inputFirst: boolean): string {
  return ops.node('Transpose', [kernel], { perm: inputFirst ? [2, 3, 0, 1] : [3, 2, 0, 1] });
}

/** `kernel` [A, B, kh, kw] turned by 180° in its spatial axes. */
function flipped(ops: DifferentiableOps, kernel: string, height: number, width: number): string {
  const graph = ops.tape.graph;
  const reversed = (size: number): string => graph.int64s(Array.from({ length: size }, (_, index) => size - 1 - index));
  const rows = height > 1 ? ops.node('Gather', [kernel, reversed(height)], { axis: 2 }) : kernel;
  return width > 1 ? ops.node('Gather', [rows, reversed(width)], { axis: 3 }) : rows;
}

/**
 * The causal convolution of `x` [N, Cin, H, W] with `weights` at `kernel`'s placement (see
 * KernelPlacement), stride 1 or 2, as the TensorFlow.js network computes it: rows and columns the
 * kernel never reads cropped, the rest zero-padded. Its gradients: the bias's a ReduceSum, the
 * kernel's tap by tap ({@link perTapFilterGradient}), the input's (where x is not data) a Conv of dy
 * with the kernel turned and transposed at stride 1 (faster than ConvTranspose: ENGINE.md), a
 * ConvTranspose at stride 2.
 */
export function causalConv(ops: DifferentiableOps, x: Value, weights: ConvWeights, kernel: CausalKernel, stride: 1 | 2, name: string): Value {
  const [batch, , height, width] = x.shape;
  const [kernelHeight, kernelWidth, inChannels, outChannels] = weights.kernel.shape;
  const outHeight = stride === 1 ? height : Math.ceil(height / 2);
  const outWidth = stride === 1 ? width : Math.ceil(width / 2);
  const rows = axisWindow(height, outHeight, kernelHeight, stride, kernel.rowOffset);
  const cols = axisWindow(width, outWidth, kernelWidth, stride, kernel.colOffset);
  const keptRows = height - rows.cropBefore - rows.cropAfter;
  const keptCols = width - cols.cropBefore - cols.cropAfter;
  if (keptRows <= 0 || keptCols <= 0) {
    throw new UnsupportedNetworkError(`layer '${name}' reads only padding on ${height}×${width} inputs`);
  }
  const input = keptRows < height || keptCols < width ? ops.slice(x, [2, 3], [rows.cropBefore, cols.cropBefore], [rows.cropBefore + keptRows, cols.cropBefore + keptCols]) : x;
  const pads = [rows.padBefore, cols.padBefore, rows.padAfter, cols.padAfter];
  const attributes = { kernel_shape: [kernelHeight, kernelWidth], strides: [stride, stride], pads };
  const convKernel = onnxKernel(ops, weights.kernel.name, false);
  const y: Value = { name: ops.node('Conv', [input.name, convKernel, weights.bias.name], attributes), shape: [batch, outChannels, outHeight, outWidth] };
  const graph = ops.tape.graph;
  ops.tape.record([input, weights.kernel, weights.bias], [y], ([dy], needs) => {
    const gradient = dy as string;
    const inputGradient = (): string => {
      const before = [kernelHeight - 1 - rows.padBefore, kernelWidth - 1 - cols.padBefore];
      const after = [kernelHeight - 1 - rows.padAfter, kernelWidth - 1 - cols.padAfter];
      const reachesAll = stride === 1 && [...before, ...after].every((pad) => pad >= 0);
      if (reachesAll) {
        const turned = flipped(ops, onnxKernel(ops, weights.kernel.name, true), kernelHeight, kernelWidth);
        return ops.node('Conv', [gradient, turned], { kernel_shape: [kernelHeight, kernelWidth], pads: [before[0], before[1], after[0], after[1]] });
      }
      // ConvTranspose's output ends where the last tap reaches; rows past it (read by no output) get output_padding's zeros.
      const end = (size: number, kernelSize: number, padBefore: number, kept: number): number => stride * (size - 1) + kernelSize - padBefore - kept;
      const endRows = end(outHeight, kernelHeight, rows.padBefore, keptRows);
      const endCols = end(outWidth, kernelWidth, cols.padBefore, keptCols);
      return ops.node('ConvTranspose', [gradient, convKernel], {
        kernel_shape: [kernelHeight, kernelWidth],
        strides: [stride, stride],
        pads: [rows.padBefore, cols.padBefore, Math.max(0, endRows), Math.max(0, endCols)],
        output_padding: [Math.max(0, -endRows), Math.max(0, -endCols)],
      });
    };
    const kernelGradient = (): string =>
      perTapFilterGradient(graph, {
        windowed: channelsFirstPadded(graph, input.name, pads),
        windowedChannels: inChannels,
        positions: channelsByPositions(graph, gradient, outChannels),
        positionChannels: outChannels,
        batch,
        outRows: outHeight,
        outCols: outWidth,
        kernelHeight,
        kernelWidth,
        stride,
        windowedFirst: true,
      });
    return [needs[0] ? inputGradient() : null, needs[1] ? kernelGradient() : null, needs[2] ? biasGradient(graph, gradient) : null];
  });
  return y;
}
