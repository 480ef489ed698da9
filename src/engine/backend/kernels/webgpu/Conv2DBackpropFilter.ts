import * as tf from '@tensorflow/tfjs-core';
import type { Conv2DBackpropFilterAttrs, KernelFunc } from '@tensorflow/tfjs-core';
import { BackendKernels } from '../composed/backendKernels';
import { convInfoFor, installConv2dBackpropFilter, isOwnConv2dBackpropFilter } from '../composed/Conv2DBackpropFilter';
import type { WebgpuProgramRunner } from './flatProgram';
import { FlatProgram } from './flatProgram';

/*
 * The filter gradient as one WGSL matrix product whose left operand (im2col) is never built: each
 * workgroup reads the input pixels of its 64 filter rows straight from x into shared memory, tile
 * by tile. The reduction (images × output pixels, 200,000 deep at batch 256) is split across
 * workgroups, whose partial products a second shader sums. Two dispatches per gradient, against
 * ten for im2col composed of Pad, Slices, Concat and MatMul (each dispatch costs tfjs-webgpu tens
 * of microseconds of JavaScript), and no im2col buffer six times the input's size.
 */

/** Filter rows (KH·KW·inC) per workgroup tile. */
const TILE_ROWS = 64;
/** Reduction depth per shared-memory stage. */
const TILE_DEPTH = 16;
/** Threads per workgroup side: 16 × 16, each computing 4 rows × (tile columns / 16). */
const THREADS_PER_SIDE = 16;
const THREADS = THREADS_PER_SIDE * THREADS_PER_SIDE;
const ROWS_PER_THREAD = TILE_ROWS / THREADS_PER_SIDE;
/** Workgroups a gradient aims to fill the GPU with; the reduction is split until it gets there. */
const TARGET_WORKGROUPS = 1024;
/** The fewest stages a split runs, so that its partial product outweighs writing it. */
const MIN_STAGES_PER_SPLIT = 16;

/** How one gradient is cut: output columns per tile, and the reduction's splits. */
export interface FilterGradientTiling {
  /** Output channels per tile: 32 where the convolution has at most 32, else 64. */
  tileColumns: 32 | 64;
  rowTiles: number;
  columnTiles: number;
  /** Reduction depth per split, a multiple of the stage depth. */
  depthPerSplit: number;
  splits: number;
}

/** The tiling of a gradient with `rows` (KH·KW·inC) × `columns` (outC) outputs over a reduction `depth` deep. */
export function filterGradientTiling(rows: number, columns: number, depth: number): FilterGradientTiling {
  const tileColumns = columns <= 32 ? 32 : 64;
  const rowTiles = Math.ceil(rows / TILE_ROWS);
  const columnTiles = Math.ceil(columns / tileColumns);
  const maxSplits = Math.max(1, Math.ceil(depth / (MIN_STAGES_PER_SPLIT * TILE_DEPTH)));
  const wantedSplits = Math.min(maxSplits, Math.max(1, Math.ceil(TARGET_WORKGROUPS / (rowTiles * columnTiles))));
  const depthPerSplit = Math.ceil(Math.ceil(depth / wantedSplits) / TILE_DEPTH) * TILE_DEPTH;
  return { tileColumns, rowTiles, columnTiles, depthPerSplit, splits: Math.max(1, Math.ceil(depth / depthPerSplit)) };
}

/** The part of the webgpu backend the kernel calls. */
interface WebgpuProgramBackend extends WebgpuProgramRunner {
  disposeData(dataId: object): boolean;
}

/**
 * Partial filter gradients [splits, KH·KW·inC, outC]: workgroup (i, j, s) multiplies filter rows
 * 64i… by output channels (32 or 64)j… over reduction indices (image, output row, output column)
 * in split s. Row r is tap (r / inC) of input channel r % inC; its value at reduction index k is
 * the input pixel that tap reads for output pixel k (zero in the padding).
 */
class PartialFilterGradientProgram {
  readonly variableNames = ['x', 'dy'];
  readonly uniforms = 'filterWidth : i32, strideHeight : i32, strideWidth : i32, padTop : i32, padLeft : i32, depthPerSplit : i32,';
  readonly workgroupSize: [number, number, number] = [THREADS_PER_SIDE, THREADS_PER_SIDE, 1];
  readonly dispatchLayout = { x: [2], y: [1], z: [0] };
  readonly dispatch: [number, number, number];
  readonly shaderKey: string;

  constructor(
    readonly outputShape: number[],
    private readonly tiling: FilterGradientTiling,
  ) {
    this.dispatch = [tiling.rowTiles, tiling.columnTiles, tiling.splits];
    this.shaderKey = `outlierLensFilterGradient${tiling.tileColumns}`;
  }

  getUserCode(): string {
    const columns = this.tiling.tileColumns;
    const columnsPerThread = columns / THREADS_PER_SIDE;
    const dyLoadsPerThread = (TILE_DEPTH * columns) / THREADS;
    const xLoadsPerThread = (TILE_DEPTH * TILE_ROWS) / THREADS;
    return `
      var<workgroup> tileX : array<array<f32, ${TILE_ROWS}>, ${TILE_DEPTH}>;
      var<workgroup> tileDy : array<array<f32, ${columns}>, ${TILE_DEPTH}>;

      fn main() {
        let inHeight = uniforms.xShape.y;
        let inWidth = uniforms.xShape.z;
        let inChannels = uniforms.xShape.w;
        let outHeight = uniforms.dyShape.y;
        let outWidth = uniforms.dyShape.z;
        let outChannels = uniforms.dyShape.w;
        let depth = uniforms.dyShape.x * outHeight * outWidth;
        let rows = uniforms.outShape.y;
        let thread = i32(localIndex);
        let rowBase = i32(workgroupId.x) * ${TILE_ROWS};
        let columnBase = i32(workgroupId.y) * ${columns};
        let split = i32(workgroupId.z);
        let depthBegin = split * uniforms.depthPerSplit;
        let depthEnd = min(depthBegin + uniforms.depthPerSplit, depth);

        // The filter row this thread loads from x, stage after stage, and where its tap reads.
        let xLane = thread % ${TILE_ROWS};
        let xRow = rowBase + xLane;
        let channel = xRow % inChannels;
        let tap = xRow / inChannels;
        let rowOffset = (tap / uniforms.filterWidth) - uniforms.padTop;
        let columnOffset = (tap % uniforms.filterWidth) - uniforms.padLeft;
        let dyLane = thread % ${columns};
        let dyColumn = columnBase + dyLane;

        var sums : array<array<f32, ${columnsPerThread}>, ${ROWS_PER_THREAD}>;
        let stages = uniforms.depthPerSplit / ${TILE_DEPTH};
        for (var stage = 0; stage < stages; stage++) {
          let stageBegin = depthBegin + stage * ${TILE_DEPTH};
          for (var load = 0; load < ${xLoadsPerThread}; load++) {
            let slot = thread / ${TILE_ROWS} + load * ${THREADS / TILE_ROWS};
            let k = stageBegin + slot;
            var value = 0.0;
            if (k < depthEnd && xRow < rows) {
              let outColumn = k % outWidth;
              let image = k / (outWidth * outHeight);
              let outRow = (k / outWidth) % outHeight;
              let inRow = outRow * uniforms.strideHeight + rowOffset;
              let inColumn = outColumn * uniforms.strideWidth + columnOffset;
              if (inRow >= 0 && inRow < inHeight && inColumn >= 0 && inColumn < inWidth) {
                value = x[((image * inHeight + inRow) * inWidth + inColumn) * inChannels + channel];
              }
            }
            tileX[slot][xLane] = value;
          }
          for (var load = 0; load < ${dyLoadsPerThread}; load++) {
            let slot = thread / ${columns} + load * ${THREADS / columns};
            let k = stageBegin + slot;
            var value = 0.0;
            if (k < depthEnd && dyColumn < outChannels) {
              value = dy[k * outChannels + dyColumn];
            }
            tileDy[slot][dyLane] = value;
          }
          workgroupBarrier();
          for (var slot = 0; slot < ${TILE_DEPTH}; slot++) {
            var xs : array<f32, ${ROWS_PER_THREAD}>;
            for (var i = 0; i < ${ROWS_PER_THREAD}; i++) {
              xs[i] = tileX[slot][i32(localId.y) + ${THREADS_PER_SIDE} * i];
            }
            for (var j = 0; j < ${columnsPerThread}; j++) {
              let dyValue = tileDy[slot][i32(localId.x) + ${THREADS_PER_SIDE} * j];
              for (var i = 0; i < ${ROWS_PER_THREAD}; i++) {
                sums[i][j] = fma(xs[i], dyValue, sums[i][j]);
              }
            }
          }
          workgroupBarrier();
        }

        for (var i = 0; i < ${ROWS_PER_THREAD}; i++) {
          let row = rowBase + i32(localId.y) + ${THREADS_PER_SIDE} * i;
          for (var j = 0; j < ${columnsPerThread}; j++) {
            let column = columnBase + i32(localId.x) + ${THREADS_PER_SIDE} * j;
            if (row < rows && column < outChannels) {
              result[(split * rows + row) * outChannels + column] = sums[i][j];
            }
          }
        }
      }
    `;
  }
}

/** Sums the partial gradients [splits, n] over their first axis, one output value per thread. */
class SumSplitsProgram extends FlatProgram {
  readonly variableNames = ['partials'];
  readonly uniforms = 'splits : i32,';
  readonly shaderKey = 'outlierLensSumSplits';

  getUserCode(): string {
    return `
      fn main(index : i32) {
        if (index < uniforms.size) {
          var sum = 0.0;
          for (var split = 0; split < uniforms.splits; split++) {
            sum += partials[split * uniforms.size + index];
          }
          setOutputAtIndex(index, sum);
        }
      }
    `;
  }
}

const LABEL = 'Conv2DBackpropFilter (WGSL, webgpu)';

const webgpuConv2dBackpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs;
  if (x === undefined || dy === undefined) {
    throw new Error(`${LABEL} needs inputs x and dy`);
  }
  const info = convInfoFor(x, dy, attrs as unknown as Conv2DBackpropFilterAttrs, LABEL);
  const runner = backend as unknown as WebgpuProgramBackend;
  const filterShape = [info.filterHeight, info.filterWidth, info.inChannels, info.outChannels];
  const rows = info.filterHeight * info.filterWidth * info.inChannels;
  const depth = info.batchSize * info.outHeight * info.outWidth;
  if (depth === 0) {
    return new BackendKernels(runner, 'webgpu', LABEL).run('Fill', {}, { shape: filterShape, value: 0, dtype: 'float32' });
  }
  const tiling = filterGradientTiling(rows, info.outChannels, depth);
  const partials = runner.runWebGPUProgram(
    new PartialFilterGradientProgram([tiling.splits, rows, info.outChannels], tiling),
    [x, dy],
    'float32',
    [info.filterWidth, info.strideHeight, info.strideWidth, info.padInfo.top, info.padInfo.left, tiling.depthPerSplit].map((value) => ({
      type: 'int32' as const,
      data: [value],
    })),
  );
  if (tiling.splits === 1) {
    // The engine adopts the returned data as the kernel's output, so the one split is handed over as it is.
    return { dataId: partials.dataId, shape: filterShape, dtype: 'float32' };
  }
  try {
    return runner.runWebGPUProgram(new SumSplitsProgram(filterShape), [partials], 'float32', [{ type: 'int32', data: [tiling.splits] }]);
  } finally {
    runner.disposeData(partials.dataId);
  }
};

/** Whether webgpu's Conv2DBackpropFilter is this module's shader. */
export function usesWgslConv2dBackpropFilter(): boolean {
  const registered = tf.getKernel(tf.Conv2DBackpropFilter, 'webgpu') as tf.KernelConfig | undefined;
  return registered?.kernelFunc === webgpuConv2dBackpropFilter;
}

/** Registers the WGSL filter gradient on webgpu (idempotent), keeping tfjs's own kernel for benchmarks to restore. */
export function registerWgslConv2dBackpropFilter(): void {
  if (!isOwnConv2dBackpropFilter('webgpu', webgpuConv2dBackpropFilter)) {
    installConv2dBackpropFilter('webgpu', webgpuConv2dBackpropFilter);
  }
}
