import * as tf from '@tensorflow/tfjs-core';
import type {
  Conv2DBackpropFilterAttrs,
  DataId,
  KernelFunc,
  NamedAttrMap,
  NamedTensorInfoMap,
  TensorInfo,
} from '@tensorflow/tfjs-core';

/** The largest im2col buffer the kernel builds at once; larger batches are split and their products summed. */
export const DEFAULT_IM2COL_BUDGET_BYTES = 256 * 1024 * 1024;

/** The backends this kernel is registered on by the engine; it runs on any backend with the kernels it composes. */
export type Im2colBackendName = 'wasm' | 'cpu';

const BYTES_PER_FLOAT = 4;

type Shape4D = [number, number, number, number];
type ConvInfo = tf.backend_util.Conv2DInfo;

/**
 * How im2col meets dy in the one matMul. Both are exact; which is faster depends on the backend's
 * Slice, Transpose and BatchMatMul, so each backend gets the one measured faster on it.
 *
 * - `channelMajor`: im2col^T [KH*KW*inC, N*outH*outW] built from channel-major phase planes, then
 *   im2col^T · dy with no transposed operand (the wasm BatchMatMul sends any transposed operand to
 *   a scalar loop instead of XNNPACK).
 * - `positionMajor`: im2col [positions, KH*KW*inC] over every position of the padded grid, not only
 *   the outH*outW that are outputs, so that each filter tap's window is one contiguous run of
 *   NHWC x, which the cpu Slice kernel returns as a view; the cpu Slice copies any other window
 *   element by element through index arrays (6-10x slower in all, PixelCNN shapes included). dy is
 *   zero-padded onto the same grid, so the extra positions add nothing, and the product is
 *   im2col^T · dy with transposeA, which costs the cpu BatchMatMul nothing: its scalar loop ran
 *   within 3% for every operand layout.
 */
type Im2colLayout = 'channelMajor' | 'positionMajor';

/**
 * How x and dy are zero-padded: by the PadV2 kernel, or by concatenating zero blocks (Fill) along
 * each padded axis. The cpu PadV2 moves each element through index arrays, ~6x slower than the
 * cpu Concat's plain row copies; the wasm PadV2 (C++) is ~2x faster than its Concat route.
 */
type ZeroPadding = 'padKernel' | 'concatZeros';

/** The choices one backend runs with. */
interface Im2colPlan {
  layout: Im2colLayout;
  padding: ZeroPadding;
}

/** Measured on a 2-core VM for PixelCNN shapes; a backend not listed gets the wasm plan, which no transposed operand slows. */
const PLAN_BY_BACKEND: Readonly<Record<string, Im2colPlan>> = {
  wasm: { layout: 'channelMajor', padding: 'padKernel' },
  cpu: { layout: 'positionMajor', padding: 'concatZeros' },
};

/**
 * Whether registering replaces a Conv2DBackpropFilter the backend already has. The cpu kernel
 * is a per-element loop through TensorBuffer.get, 18x slower than im2col for PixelCNN shapes;
 * wasm has none, and one a later tfjs brings would be native code, worth keeping.
 */
const REPLACES_BUILT_IN: Readonly<Record<Im2colBackendName, boolean>> = { wasm: false, cpu: true };

/** The kernel functions this module made, so that registration recognises its own kernel. */
const IM2COL_KERNEL_FUNCS = new WeakSet<KernelFunc>();

/** The one part of a backend this kernel needs itself: freeing what it made. */
interface DisposingBackend {
  disposeData(dataId: DataId, force?: boolean): boolean;
}

/**
 * Calls the backend's own kernels. High-level tf ops must not run here: the engine is inside
 * this kernel, and tensors made by ops would be tracked by (and leak into) the outer scope.
 */
class BackendKernels {
  constructor(
    private readonly backend: DisposingBackend,
    private readonly backendName: string,
    readonly plan: Im2colPlan,
    readonly label: string,
  ) {}

  run(kernelName: string, inputs: NamedTensorInfoMap | TensorInfo[], attrs: NamedAttrMap = {}): TensorInfo {
    const kernel = tf.getKernel(kernelName, this.backendName) as tf.KernelConfig | undefined;
    if (kernel === undefined) {
      throw new Error(`${this.label}: the ${this.backendName} backend has no ${kernelName} kernel`);
    }
    // Concat takes its inputs as an array, as tf.concat hands them to the engine.
    const result = kernel.kernelFunc({ inputs: inputs as NamedTensorInfoMap, backend: this.backend, attrs });
    return Array.isArray(result) ? result[0] : result;
  }

  free(...infos: TensorInfo[]): void {
    for (const info of infos) {
      this.backend.disposeData(info.dataId);
    }
  }
}

/** Intermediates of one step, freed together whether the step finishes or throws. */
class Scratch {
  private readonly held: TensorInfo[] = [];

  constructor(private readonly kernels: BackendKernels) {}

  hold(info: TensorInfo): TensorInfo {
    this.held.push(info);
    return info;
  }

  /** Takes `info` (or a view of it) back out, for the caller to own. */
  release(info: TensorInfo): TensorInfo {
    const index = this.held.findIndex((held) => held.dataId === info.dataId);
    if (index >= 0) {
      this.held.splice(index, 1);
    }
    return info;
  }

  freeAll(): void {
    this.kernels.free(...this.held.splice(0));
  }
}

function withScratch<T>(kernels: BackendKernels, body: (scratch: Scratch) => T): T {
  const scratch = new Scratch(kernels);
  try {
    return body(scratch);
  } finally {
    scratch.freeAll();
  }
}

/**
 * The same data seen with another shape. Cheaper than the Reshape kernel, which bumps a reference
 * count that must then be released; a view is never freed itself, only the tensor it looks at.
 */
function viewAs(info: TensorInfo, shape: number[]): TensorInfo {
  return { dataId: info.dataId, shape, dtype: info.dtype };
}

function convInfoFor(x: TensorInfo, dy: TensorInfo, attrs: Conv2DBackpropFilterAttrs, label: string): ConvInfo {
  if (attrs.dataFormat === 'NCHW') {
    throw new Error(`${label} supports only NHWC (channels-last) input, got NCHW`);
  }
  if (x.dtype !== 'float32' || dy.dtype !== 'float32') {
    throw new Error(`${label} needs float32 x and dy, got ${x.dtype} and ${dy.dtype}`);
  }
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as Shape4D,
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    tf.backend_util.convertConv2DDataFormat(attrs.dataFormat),
  );
  const expectedDy = [info.batchSize, info.outHeight, info.outWidth, info.outChannels];
  if (dy.shape.length !== 4 || dy.shape.some((size, axis) => size !== expectedDy[axis])) {
    throw new Error(`${label}: dy has shape [${dy.shape}], the convolution gives [${expectedDy}]`);
  }
  return info;
}

/** Rows (or columns) of x, in units of the stride, that the phase planes must hold. */
function phaseExtent(outSize: number, filterSize: number, stride: number, inSize: number, padBefore: number): number {
  const reachedByTaps = outSize + Math.floor((filterSize - 1) / stride);
  // Never fewer than x itself covers, so that padding is never negative and x is never cropped.
  return Math.max(reachedByTaps, Math.ceil((inSize + padBefore) / stride));
}

/** Zero rows or columns [before, after] on each NHWC axis; only the spatial ones are ever non-zero. */
type NhwcPaddings = [[number, number], [number, number], [number, number], [number, number]];

/** The padded x both layouts split into stride phases: `rows`×`columns` per phase, and the padding that makes it. */
interface PhaseGrid {
  rows: number;
  columns: number;
  paddings: NhwcPaddings;
}

function phaseGrid(info: ConvInfo): PhaseGrid {
  const { inHeight, inWidth, strideHeight, strideWidth } = info;
  const { top, left } = info.padInfo;
  const rows = phaseExtent(info.outHeight, info.filterHeight, strideHeight, inHeight, top);
  const columns = phaseExtent(info.outWidth, info.filterWidth, strideWidth, inWidth, left);
  const bottom = rows * strideHeight - inHeight - top;
  const right = columns * strideWidth - inWidth - left;
  return { rows, columns, paddings: [[0, 0], [top, bottom], [left, right], [0, 0]] };
}

/** `x` zero-padded by `paddings` (held in `scratch`), or `x` itself where there is nothing to pad. */
function zeroPadded(kernels: BackendKernels, scratch: Scratch, x: TensorInfo, paddings: NhwcPaddings): TensorInfo {
  if (paddings.every(([before, after]) => before === 0 && after === 0)) {
    return x;
  }
  if (kernels.plan.padding === 'padKernel') {
    return scratch.hold(kernels.run('PadV2', { x }, { paddings, constantValue: 0 }));
  }
  return [1, 2].reduce((padded, axis) => paddedAlong(kernels, scratch, padded, axis, paddings[axis]), x);
}

/** `x` with `before` and `after` zero slices joined on along `axis`, by one Concat of its rows. */
function paddedAlong(kernels: BackendKernels, scratch: Scratch, x: TensorInfo, axis: number, [before, after]: [number, number]): TensorInfo {
  if (before + after === 0) {
    return x;
  }
  const product = (sizes: number[]) => sizes.reduce((total, size) => total * size, 1);
  const outer = product(x.shape.slice(0, axis));
  const inner = product(x.shape.slice(axis + 1));
  const zeros = (count: number) =>
    scratch.hold(kernels.run('Fill', {}, { shape: [outer, count * inner], value: 0, dtype: 'float32' }));
  const pieces = [viewAs(x, [outer, x.shape[axis] * inner])];
  if (before > 0) {
    pieces.unshift(zeros(before));
  }
  if (after > 0) {
    pieces.push(zeros(after));
  }
  const shape = x.shape.map((size, index) => (index === axis ? size + before + after : size));
  return viewAs(scratch.hold(kernels.run('Concat', pieces, { axis: 1 })), shape);
}

/** Every filter tap as (row, column), in the order the filter [KH, KW, inC, outC] lays them out. */
function filterTaps(info: ConvInfo): Array<[number, number]> {
  const taps: Array<[number, number]> = [];
  for (let kh = 0; kh < info.filterHeight; kh++) {
    for (let kw = 0; kw < info.filterWidth; kw++) {
      taps.push([kh, kw]);
    }
  }
  return taps;
}

/** Which stride phase tap (kh, kw) reads, numbered row phase first. */
function phaseOf(info: ConvInfo, kh: number, kw: number): number {
  return (kh % info.strideHeight) * info.strideWidth + (kw % info.strideWidth);
}

/** Joins per-tap windows along `axis`, freeing them as soon as they are joined, so that they and im2col overlap only briefly. */
function joinWindows(kernels: BackendKernels, scratch: Scratch, windows: TensorInfo[], axis: number): TensorInfo {
  return windows.length === 1 ? scratch.release(windows[0]) : kernels.run('Concat', windows, { axis });
}

// ---- channelMajor (wasm) -------------------------------------------------------------------

/**
 * x regrouped as [strideH*strideW*inC, N, H/strideH, W/strideW]: one plane per stride phase and
 * channel. Every filter tap then reads a unit-stride window of one phase, which the wasm Slice
 * kernel copies row by row; the wasm StridedSlice (C++, per-element index arithmetic) measured ~75x slower.
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
function channelMajorFilterGradient(kernels: BackendKernels, x: TensorInfo, dy: TensorInfo, info: ConvInfo): TensorInfo {
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
function positionMajorFilterGradient(kernels: BackendKernels, x: TensorInfo, dy: TensorInfo, info: ConvInfo): TensorInfo {
  const grid = phaseGrid(info);
  return withScratch(kernels, (scratch) => {
    const columns = scratch.hold(positionMajorIm2col(kernels, x, info, grid));
    const gradients = positionMajorGradients(kernels, scratch, dy, info, grid);
    return kernels.run('BatchMatMul', { a: columns, b: gradients }, { transposeA: true, transposeB: false });
  });
}

// ---- chunking and the kernel ---------------------------------------------------------------

const FILTER_GRADIENT_BY_LAYOUT: Readonly<
  Record<Im2colLayout, (kernels: BackendKernels, x: TensorInfo, dy: TensorInfo, info: ConvInfo) => TensorInfo>
> = {
  channelMajor: channelMajorFilterGradient,
  positionMajor: positionMajorFilterGradient,
};

function planFor(backendName: string): Im2colPlan {
  return PLAN_BY_BACKEND[backendName] ?? PLAN_BY_BACKEND.wasm;
}

/** Bytes of im2col one image adds on `backendName`; the chunking budget is counted in these. */
export function im2colBytesPerImage(backendName: string, info: ConvInfo): number {
  const rowBytes = info.filterHeight * info.filterWidth * info.inChannels * BYTES_PER_FLOAT;
  if (planFor(backendName).layout === 'channelMajor') {
    return info.outHeight * info.outWidth * rowBytes;
  }
  const grid = phaseGrid(info);
  return grid.rows * grid.columns * rowBytes;
}

/** Images [first, end) of a batch; the batch itself (not a copy) when that is all of it. */
function imagesOf(kernels: BackendKernels, scratch: Scratch, batch: TensorInfo, first: number, end: number): TensorInfo {
  const [count, ...imageShape] = batch.shape;
  if (first === 0 && end === count) {
    return batch;
  }
  const perImage = imageShape.reduce((product, size) => product * size, 1);
  const images = kernels.run(
    'Slice',
    { x: viewAs(batch, [count, perImage]) },
    { begin: [first, 0], size: [end - first, perImage] },
  );
  return viewAs(scratch.hold(images), [end - first, ...imageShape]);
}

/**
 * The filter gradient from images [first, end) alone, as [KH*KW*inC, outC]. Each chunk regroups
 * only its own images: the wasm Slice kernel copies its whole input on every call, so smaller is faster.
 */
function chunkFilterGradient(
  kernels: BackendKernels,
  x: TensorInfo,
  dy: TensorInfo,
  info: ConvInfo,
  first: number,
  end: number,
): TensorInfo {
  return withScratch(kernels, (scratch) => {
    const chunkInfo: ConvInfo = { ...info, batchSize: end - first };
    const images = imagesOf(kernels, scratch, x, first, end);
    const gradients = imagesOf(kernels, scratch, dy, first, end);
    return FILTER_GRADIENT_BY_LAYOUT[kernels.plan.layout](kernels, images, gradients, chunkInfo);
  });
}

/** Adds `partial` into `total`, consuming both. */
function accumulate(kernels: BackendKernels, total: TensorInfo, partial: TensorInfo): TensorInfo {
  try {
    return kernels.run('Add', { a: total, b: partial });
  } finally {
    kernels.free(total, partial);
  }
}

function filterGradient(
  kernels: BackendKernels,
  x: TensorInfo,
  dy: TensorInfo,
  info: ConvInfo,
  imagesPerChunk: number,
): TensorInfo {
  const filterShape = [info.filterHeight, info.filterWidth, info.inChannels, info.outChannels];
  if (info.batchSize * info.outHeight * info.outWidth === 0) {
    return kernels.run('Fill', {}, { shape: filterShape, value: 0, dtype: 'float32' });
  }
  let total: TensorInfo | undefined;
  try {
    for (let first = 0; first < info.batchSize; first += imagesPerChunk) {
      const end = Math.min(first + imagesPerChunk, info.batchSize);
      const partial = chunkFilterGradient(kernels, x, dy, info, first, end);
      total = total === undefined ? partial : accumulate(kernels, total, partial);
    }
  } catch (error) {
    if (total !== undefined) {
      kernels.free(total);
    }
    throw error;
  }
  // The engine adopts the returned data as the kernel's output, so `total` is handed over, not freed.
  return viewAs(total as TensorInfo, filterShape);
}

/** A Conv2DBackpropFilter kernel function for `backendName`, built from its own kernels; `budgetBytes` caps each im2col buffer. */
export function makeIm2colConv2dBackpropFilter(backendName: string, budgetBytes = DEFAULT_IM2COL_BUDGET_BYTES): KernelFunc {
  const label = `Conv2DBackpropFilter (im2col, ${backendName})`;
  const plan = planFor(backendName);
  const kernelFunc: KernelFunc = ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs;
    if (x === undefined || dy === undefined) {
      throw new Error(`${label} needs inputs x and dy`);
    }
    const info = convInfoFor(x, dy, attrs as unknown as Conv2DBackpropFilterAttrs, label);
    const imagesPerChunk = Math.max(1, Math.floor(budgetBytes / im2colBytesPerImage(backendName, info)));
    const kernels = new BackendKernels(backend as DisposingBackend, backendName, plan, label);
    return filterGradient(kernels, x, dy, info, imagesPerChunk);
  };
  IM2COL_KERNEL_FUNCS.add(kernelFunc);
  return kernelFunc;
}

/** Whether `backendName`'s Conv2DBackpropFilter is one this module made. */
export function usesIm2colConv2dBackpropFilter(backendName: string): boolean {
  const registered = tf.getKernel(tf.Conv2DBackpropFilter, backendName) as tf.KernelConfig | undefined;
  return registered !== undefined && IM2COL_KERNEL_FUNCS.has(registered.kernelFunc);
}

/**
 * Registers the im2col Conv2DBackpropFilter for `backendName` (idempotent). On cpu it replaces
 * tfjs's own kernel; on wasm it fills the gap and leaves any kernel already there alone.
 */
export function registerIm2colConv2dBackpropFilter(backendName: Im2colBackendName): void {
  if (usesIm2colConv2dBackpropFilter(backendName)) {
    return;
  }
  if (tf.getKernel(tf.Conv2DBackpropFilter, backendName) !== undefined) {
    if (!REPLACES_BUILT_IN[backendName]) {
      return;
    }
    tf.unregisterKernel(tf.Conv2DBackpropFilter, backendName);
  }
  tf.registerKernel({
    kernelName: tf.Conv2DBackpropFilter,
    backendName,
    kernelFunc: makeIm2colConv2dBackpropFilter(backendName),
  });
}
