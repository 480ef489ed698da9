import type * as tf from '@tensorflow/tfjs-core';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendKernels, NhwcPaddings, Scratch } from './backendKernels';
import { filterTaps, viewAs, withScratch, zeroPadded } from './backendKernels';

type ConvInfo = tf.backend_util.Conv2DInfo;

/*
 * im2col filter gradients composed from a backend's own Slice, Transpose, Concat and BatchMatMul
 * kernels, for backends whose memory a kernel cannot reach directly (cpu, and any but wasm).
 *
 * - `channelMajor`: im2col^T [KH*KW*inC, N*outH*outW] built from channel-major phase planes, then
 *   im2col^T · dy with no transposed operand. It needs one Slice per filter tap; wasm's Slice copies
 *   its whole input out of wasm memory on every call, so wasm has a route of its own (wasmHeapIm2col).
 * - `positionMajor`: im2col [positions, KH*KW*inC] over every position of the padded grid, not only
 *   the outH*outW that are outputs, so that each filter tap's window is one contiguous run of
 *   NHWC x, which the cpu Slice kernel returns as a view; the cpu Slice copies any other window
 *   element by element through index arrays (6-10x slower in all, PixelCNN shapes included). dy is
 *   zero-padded onto the same grid, so the extra positions add nothing, and the product is
 *   im2col^T · dy with transposeA, which costs the cpu BatchMatMul nothing: its scalar loop ran
 *   within 3% for every operand layout.
 */

/** Rows (or columns) of x, in units of the stride, that the phase planes must hold. */
function phaseExtent(outSize: number, filterSize: number, stride: number, inSize: number, padBefore: number): number {
  const reachedByTaps = outSize + Math.floor((filterSize - 1) / stride);
  // Never fewer than x itself covers, so that padding is never negative and x is never cropped.
  return Math.max(reachedByTaps, Math.ceil((inSize + padBefore) / stride));
}

/** The padded x both layouts split into stride phases: `rows`×`columns` per phase, and the padding that makes it. */
export interface PhaseGrid {
  rows: number;
  columns: number;
  paddings: NhwcPaddings;
}

/** The phase grid of `info`'s x: what both layouts pad x to before splitting it into stride phases. */
export function phaseGrid(info: ConvInfo): PhaseGrid {
  const { inHeight, inWidth, strideHeight, strideWidth } = info;
  const { top, left } = info.padInfo;
  const rows = phaseExtent(info.outHeight, info.filterHeight, strideHeight, inHeight, top);
  const columns = phaseExtent(info.outWidth, info.filterWidth, strideWidth, inWidth, left);
  const bottom = rows * strideHeight - inHeight - top;
  const right = columns * strideWidth - inWidth - left;
  return { rows, columns, paddings: [[0, 0], [top, bottom], [left, right], [0, 0]] };
}

/** Which stride phase tap (kh, kw) reads, numbered row phase first. */
function phaseOf(info: ConvInfo, kh: number, kw: number): number {
  return (kh % info.strideHeight) * info.strideWidth + (kw % info.strideWidth);
}

/** Joins per-tap windows along `axis`, freeing them as soon as they are joined, so that they and im2col overlap only briefly. */
function joinWindows(kernels: BackendKernels, scratch: Scratch, windows: TensorInfo[], axis: number): TensorInfo {
  return windows.length === 1 ? scratch.release(windows[0]) : kernels.run('Concat', windows, { axis });
}

// ---- channelMajor ---------------------------------------------------------------------------

/**
 * x regrouped as [strideH*strideW*inC, N, H/strideH, W/strideW]: one plane per stride phase and
 * channel. Every filter tap then reads a unit-stride window of one phase, which a Slice kernel
 * copies row by row; the wasm StridedSlice (C++, per-element index arithmetic) measured ~75x slower.
 * Channel-major so that windows flatten straight into rows of im2col^T and the product needs no
 * transposeA: the wasm BatchMatMul sends any transposed operand to a scalar loop instead of XNNPACK.
 */
function channelMajorPlanes(kernels: BackendKernels, x: TensorInfo, info: ConvInfo): TensorInfo {
  const { batchSize, inChannels, strideHeight, strideWidth } = info;
  const { rows, columns, paddings } = phaseGrid(info);
  return withScratch(kernels, (scratch) => {
    const padded = zeroPadded(kernels, scratch, x, paddings);
    // Two transposes of rank <= 4: the wasm Transpose falls back to a per-element loop above rank 4.
    const rowPhases =
      strideHeight === 1
        ? padded
        : scratch.hold(
            kernels.run(
              'Transpose',
              { x: viewAs(padded, [batchSize * rows, strideHeight, columns * strideWidth * inChannels]) },
              { perm: [1, 0, 2] },
            ),
          );
    const planes = kernels.run(
      'Transpose',
      { x: viewAs(rowPhases, [strideHeight, batchSize * rows * columns, strideWidth, inChannels]) },
      { perm: [0, 2, 3, 1] },
    );
    return viewAs(planes, [strideHeight * strideWidth * inChannels, batchSize, rows, columns]);
  });
}

/**
 * im2col^T of x: [KH*KW*inC, N*outH*outW], rows ordered tap-major then channel, as the filter
 * [KH, KW, inC, outC] is laid out. The caller owns the result.
 */
function channelMajorIm2col(kernels: BackendKernels, x: TensorInfo, info: ConvInfo): TensorInfo {
  const { batchSize, inChannels, outHeight, outWidth, strideHeight, strideWidth } = info;
  const positions = batchSize * outHeight * outWidth;
  return withScratch(kernels, (scratch) => {
    const planes = scratch.hold(channelMajorPlanes(kernels, x, info));
    const windows = filterTaps(info).map(([kh, kw]) => {
      const window = kernels.run(
        'Slice',
        { x: planes },
        {
          begin: [phaseOf(info, kh, kw) * inChannels, 0, Math.floor(kh / strideHeight), Math.floor(kw / strideWidth)],
          size: [inChannels, batchSize, outHeight, outWidth],
        },
      );
      return viewAs(scratch.hold(window), [inChannels, positions]);
    });
    return joinWindows(kernels, scratch, windows, 0);
  });
}

/** The filter gradient [KH*KW*inC, outC] of one chunk of images, channel-major. */
export function channelMajorFilterGradient(kernels: BackendKernels, x: TensorInfo, dy: TensorInfo, info: ConvInfo): TensorInfo {
  return withScratch(kernels, (scratch) => {
    const columns = scratch.hold(channelMajorIm2col(kernels, x, info));
    const gradients = viewAs(dy, [info.batchSize * info.outHeight * info.outWidth, info.outChannels]);
    return kernels.run('BatchMatMul', { a: columns, b: gradients }, { transposeA: false, transposeB: false });
  });
}

// ---- positionMajor (cpu) -------------------------------------------------------------------

/**
 * Positions of the padded grid the product runs over: all of them but the last few, which no tap
 * can read a whole window from. Output (n, i, j) sits at n*rows*columns + i*columns + j; the
 * positions in between (past an output row's end, below an image's last output row) are the
 * ones dy is zero at.
 */
function gridPositions(info: ConvInfo, grid: PhaseGrid): number {
  const furthestShift =
    Math.floor((info.filterHeight - 1) / info.strideHeight) * grid.columns + Math.floor((info.filterWidth - 1) / info.strideWidth);
  return info.batchSize * grid.rows * grid.columns - furthestShift;
}

/**
 * x regrouped as [strideH*strideW * N*rows*columns, inC]: each stride phase an NHWC image batch
 * of its own, so that every tap's window is a contiguous run of one phase. One transpose, of rank
 * 6; the cpu Transpose handles any rank the same way. The result is held in `scratch` (or is x).
 */
function positionMajorPlanes(kernels: BackendKernels, scratch: Scratch, x: TensorInfo, info: ConvInfo, grid: PhaseGrid): TensorInfo {
  const { batchSize, inChannels, strideHeight, strideWidth } = info;
  const padded = zeroPadded(kernels, scratch, x, grid.paddings);
  const planeShape = [strideHeight * strideWidth * batchSize * grid.rows * grid.columns, inChannels];
  if (strideHeight * strideWidth === 1) {
    return viewAs(padded, planeShape);
  }
  const phases = kernels.run(
    'Transpose',
    { x: viewAs(padded, [batchSize, grid.rows, strideHeight, grid.columns, strideWidth, inChannels]) },
    { perm: [2, 4, 0, 1, 3, 5] },
  );
  return viewAs(scratch.hold(phases), planeShape);
}

/**
 * im2col of x over the padded grid: [gridPositions, KH*KW*inC], columns ordered tap-major then
 * channel, as the filter [KH, KW, inC, outC] is laid out. The caller owns the result.
 */
function positionMajorIm2col(kernels: BackendKernels, x: TensorInfo, info: ConvInfo, grid: PhaseGrid): TensorInfo {
  const positions = gridPositions(info, grid);
  const phaseSize = info.batchSize * grid.rows * grid.columns;
  return withScratch(kernels, (scratch) => {
    const planes = positionMajorPlanes(kernels, scratch, x, info, grid);
    const windows = filterTaps(info).map(([kh, kw]) => {
      const shift = Math.floor(kh / info.strideHeight) * grid.columns + Math.floor(kw / info.strideWidth);
      const begin = [phaseOf(info, kh, kw) * phaseSize + shift, 0];
      return scratch.hold(kernels.run('Slice', { x: planes }, { begin, size: [positions, info.inChannels] }));
    });
    return joinWindows(kernels, scratch, windows, 1);
  });
}

/** dy zero-padded onto the grid's positions, [gridPositions, outC]; held in `scratch` (or is dy). */
function positionMajorGradients(kernels: BackendKernels, scratch: Scratch, dy: TensorInfo, info: ConvInfo, grid: PhaseGrid): TensorInfo {
  const { batchSize, outHeight, outWidth, outChannels } = info;
  const onGrid = zeroPadded(kernels, scratch, dy, [[0, 0], [0, grid.rows - outHeight], [0, grid.columns - outWidth], [0, 0]]);
  const positions = gridPositions(info, grid);
  const allPositions = batchSize * grid.rows * grid.columns;
  const flat = viewAs(onGrid, [allPositions, outChannels]);
  if (positions === allPositions) {
    return flat;
  }
  return scratch.hold(kernels.run('Slice', { x: flat }, { begin: [0, 0], size: [positions, outChannels] }));
}

/** The filter gradient [KH*KW*inC, outC] of one chunk of images, position-major. */
export function positionMajorFilterGradient(kernels: BackendKernels, x: TensorInfo, dy: TensorInfo, info: ConvInfo): TensorInfo {
  const grid = phaseGrid(info);
  return withScratch(kernels, (scratch) => {
    const columns = scratch.hold(positionMajorIm2col(kernels, x, info, grid));
    const gradients = positionMajorGradients(kernels, scratch, dy, info, grid);
    return kernels.run('BatchMatMul', { a: columns, b: gradients }, { transposeA: true, transposeB: false });
  });
}

