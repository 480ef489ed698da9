import type { CausalKernel } from '../../pixelcnn/topology';
import { UnsupportedNetworkError } from '../pixelCnnGraph';
import type { ConvWeights } from './convolution';
import { onnxKernel } from './convolution';
import type { DifferentiableOps } from './differentiableOps';
import { biasGradient, channelsByPositions, channelsFirstPadded, perTapFilterGradient } from './filterGradient';
import type { Value } from './tape';

/**
 * The causal stride-2 transposed convolution of `x` [N, C, h, w] up to `outHeight` × `outWidth`
 * (input (i, j) adds the kernel into rows 2i + rowOffset + [0, kh)), as the scoring graph writes
 * it. Its gradients: the input's a stride-2 Conv of dy with the same kernel and pads (the adjoint),
 * the kernel's tap by tap over dy padded as the forward pass pads, the bias's a ReduceSum.
 */
export function causalConvTranspose(ops: DifferentiableOps, x: Value, weights: ConvWeights, kernel: CausalKernel, outHeight: number, outWidth: number, name: string): Value {
  const [batch, , height, width] = x.shape;
  const [kernelHeight, kernelWidth, inChannels, outChannels] = weights.kernel.shape;
  const padTop = -kernel.rowOffset;
  const padLeft = -kernel.colOffset;
  const padBottom = 2 * (height - 1) + kernelHeight - padTop - outHeight;
  const padRight = 2 * (width - 1) + kernelWidth - padLeft - outWidth;
  if (padTop < 0 || padLeft < 0 || padBottom < 0 || padRight < 0) {
    throw new UnsupportedNetworkError(`layer '${name}' does not map ${height}×${width} onto ${outHeight}×${outWidth}`);
  }
  const pads = [padTop, padLeft, padBottom, padRight];
  const attributes = { kernel_shape: [kernelHeight, kernelWidth], strides: [2, 2], pads };
  const transposeKernel = onnxKernel(ops, weights.kernel.name, true);
  const y: Value = { name: ops.node('ConvTranspose', [x.name, transposeKernel, weights.bias.name], attributes), shape: [batch, outChannels, outHeight, outWidth] };
  const graph = ops.tape.graph;
  ops.tape.record([x, weights.kernel, weights.bias], [y], ([dy], needs) => {
    const gradient = dy as string;
    const kernelGradient = (): string =>
      perTapFilterGradient(graph, {
        windowed: channelsFirstPadded(graph, gradient, pads),
        windowedChannels: outChannels,
        positions: channelsByPositions(graph, x.name, inChannels),
        positionChannels: inChannels,
        batch,
        outRows: height,
        outCols: width,
        kernelHeight,
        kernelWidth,
        stride: 2,
        windowedFirst: false,
      });
    return [
      needs[0] ? ops.node('Conv', [gradient, transposeKernel], attributes) : null,
      needs[1] ? kernelGradient() : null,
      needs[2] ? biasGradient(graph, gradient) : null,
    ];
  });
  return y;
}
