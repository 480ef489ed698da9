import type { OnnxGraph } from '../onnxGraph';

/** The operands of a filter gradient taken tap by tap. */
export interface PerTapOperands {
  /**
   * The tensor the kernel slides over, channels first and padded: [C, N, rows, cols], where tap
   * (r, c) of output (i, j) reads (stride·i + r, stride·j + c).
   */
  readonly windowed: string;
  /** Its channels. */
  readonly windowedChannels: number;
  /** The other operand, [D, N·outRows·outCols] (positions in (n, i, j) order). */
  readonly positions: string;
  readonly positionChannels: number;
  readonly batch: number;
  readonly outRows: number;
  readonly outCols: number;
  readonly kernelHeight: number;
  readonly kernelWidth: number;
  readonly stride: number;
  /** Whether the windowed operand's channels come first in each tap's [·, ·] block (else the positions'). */
  readonly windowedFirst: boolean;
}

/**
 * A convolution's filter gradient as TensorFlow lays kernels out, [kh, kw, first, second]: for each
 * tap a strided Slice of the windowed operand, a Reshape to [C, positions] and one Gemm against the
 * other operand (transposed), the taps concatenated. One GEMM per tap over all positions is what
 * ran fastest on ONNX Runtime's CPU provider (ENGINE.md: 80 GFLOP/s against 51 for one im2col GEMM
 * and 29 for a Conv over swapped axes).
 */
export function perTapFilterGradient(graph: OnnxGraph, operands: PerTapOperands): string {
  const { kernelHeight, kernelWidth, stride, outRows, outCols, batch } = operands;
  const positions = batch * outRows * outCols;
  const shape = graph.int64s([operands.windowedChannels, positions]);
  const axes = graph.int64s([2, 3]);
  const steps = graph.int64s([stride, stride]);
  const taps: string[] = [];
  for (let row = 0; row < kernelHeight; row++) {
    for (let col = 0; col < kernelWidth; col++) {
      const starts = graph.int64s([row, col]);
      const ends = graph.int64s([row + stride * (outRows - 1) + 1, col + stride * (outCols - 1) + 1]);
      const [tap] = graph.node('Slice', [operands.windowed, starts, ends, axes, steps]);
      const [flat] = graph.node('Reshape', [tap, shape]);
      const [product] = operands.windowedFirst
        ? graph.node('Gemm', [flat, operands.positions], { transB: 1 })
        : graph.node('Gemm', [operands.positions, flat], { transB: 1 });
      taps.push(product);
    }
  }
  const [first, second] = operands.windowedFirst ? [operands.windowedChannels, operands.positionChannels] : [operands.positionChannels, operands.windowedChannels];
  const [stacked] = taps.length === 1 ? taps : graph.node('Concat', taps, { axis: 0 });
  return graph.node('Reshape', [stacked, graph.int64s([kernelHeight, kernelWidth, first, second])])[0];
}

/** `x` [N, C, H, W] as [C, N, H, W], zero-padded on H and W by `pads` [top, left, bottom, right]. */
export function channelsFirstPadded(graph: OnnxGraph, x: string, pads: readonly number[]): string {
  const [swapped] = graph.node('Transpose', [x], { perm: [1, 0, 2, 3] });
  if (pads.every((pad) => pad === 0)) {
    return swapped;
  }
  return graph.node('Pad', [swapped, graph.int64s([0, 0, pads[0], pads[1], 0, 0, pads[2], pads[3]])])[0];
}

/** `x` [N, C, H, W] as [C, N·H·W]. */
export function channelsByPositions(graph: OnnxGraph, x: string, channels: number): string {
  const [swapped] = graph.node('Transpose', [x], { perm: [1, 0, 2, 3] });
  return graph.node('Reshape', [swapped, graph.int64s([channels, -1])])[0];
}

/** A bias's gradient: dy [N, C, H, W] summed over all but the channels. */
export function biasGradient(graph: OnnxGraph, dy: string): string {
  return graph.node('ReduceSum', [dy, graph.int64s([0, 2, 3])], { keepdims: 0 })[0];
}
