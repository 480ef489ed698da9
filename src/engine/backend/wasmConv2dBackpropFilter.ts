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

const BACKEND = 'wasm';
const KERNEL_LABEL = 'Conv2DBackpropFilter (wasm)';
const BYTES_PER_FLOAT = 4;

type Shape4D = [number, number, number, number];
type ConvInfo = tf.backend_util.Conv2DInfo;

/** The one part of the wasm backend this kernel needs itself: freeing what it made. */
interface DisposingBackend {
  disposeData(dataId: DataId, force?: boolean): boolean;
}

/**
 * Calls the wasm backend's own kernels. High-level tf ops must not run here: the engine is inside
 * this kernel, and tensors made by ops would be tracked by (and leak into) the outer scope.
 */
class WasmKernels {
  constructor(private readonly backend: DisposingBackend) {}

  run(kernelName: string, inputs: NamedTensorInfoMap | TensorInfo[], attrs: NamedAttrMap = {}): TensorInfo {
    const kernel = tf.getKernel(kernelName, BACKEND) as tf.KernelConfig | undefined;
    if (kernel === undefined) {
      throw new Error(`${KERNEL_LABEL}: the wasm backend has no ${kernelName} kernel`);
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

  constructor(private readonly kernels: WasmKernels) {}

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

function withScratch<T>(kernels: WasmKernels, body: (scratch: Scratch) => T): T {
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

function convInfoFor(x: TensorInfo, dy: TensorInfo, attrs: Conv2DBackpropFilterAttrs): ConvInfo {
  if (attrs.dataFormat === 'NCHW') {
    throw new Error(`${KERNEL_LABEL} supports only NHWC (channels-last) input, got NCHW`);
  }
  if (x.dtype !== 'float32' || dy.dtype !== 'float32') {
    throw new Error(`${KERNEL_LABEL} needs float32 x and dy, got ${x.dtype} and ${dy.dtype}`);
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
    throw new Error(`${KERNEL_LABEL}: dy has shape [${dy.shape}], the convolution gives [${expectedDy}]`);
  }
  return info;
}

/** Rows (or columns) of x, in units of the stride, that the phase planes must hold. */
function phaseExtent(outSize: number, filterSize: number, stride: number, inSize: number, padBefore: number): number {
  const reachedByTaps = outSize + Math.floor((filterSize - 1) / stride);
  // Never fewer than x itself covers, so that padding is never negative and x is never cropped.
  return Math.max(reachedByTaps, Math.ceil((inSize + padBefore) / stride));
}

/**
 * x regrouped as [strideH*strideW*inC, N, H/strideH, W/strideW]: one plane per stride phase and
 * channel. Every filter tap then reads a unit-stride window of one phase, which the Slice kernel
 * copies row by row; the wasm StridedSlice (C++, per-element index arithmetic) measured ~75x slower.
 * Channel-major so that windows flatten straight into rows of im2col^T and the product needs no
 * transposeA: the wasm BatchMatMul sends any transposed operand to a scalar loop instead of XNNPACK.
 */
function phasePlanes(kernels: WasmKernels, x: TensorInfo, info: ConvInfo): TensorInfo {
  const { batchSize, inHeight, inWidth, inChannels, strideHeight, strideWidth } = info;
  const { top, left } = info.padInfo;
  const rows = phaseExtent(info.outHeight, info.filterHeight, strideHeight, inHeight, top);
  const columns = phaseExtent(info.outWidth, info.filterWidth, strideWidth, inWidth, left);
  const bottom = rows * strideHeight - inHeight - top;
  const right = columns * strideWidth - inWidth - left;
  return withScratch(kernels, (scratch) => {
    const padded =
      top + bottom + left + right === 0
        ? x
        : scratch.hold(
            kernels.run('PadV2', { x }, { paddings: [[0, 0], [top, bottom], [left, right], [0, 0]], constantValue: 0 }),
          );
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
function transposedIm2col(kernels: WasmKernels, x: TensorInfo, info: ConvInfo): TensorInfo {
  const { batchSize, inChannels, outHeight, outWidth, strideHeight, strideWidth } = info;
  const positions = batchSize * outHeight * outWidth;
  return withScratch(kernels, (scratch) => {
    const planes = scratch.hold(phasePlanes(kernels, x, info));
    const windows: TensorInfo[] = [];
    for (let kh = 0; kh < info.filterHeight; kh++) {
      for (let kw = 0; kw < info.filterWidth; kw++) {
        const phase = (kh % strideHeight) * strideWidth + (kw % strideWidth);
        const window = kernels.run(
          'Slice',
          { x: planes },
          {
            begin: [phase * inChannels, 0, Math.floor(kh / strideHeight), Math.floor(kw / strideWidth)],
            size: [inChannels, batchSize, outHeight, outWidth],
          },
        );
        windows.push(viewAs(scratch.hold(window), [inChannels, positions]));
      }
    }
    // The windows are freed as soon as they are joined, so that they and im2col overlap only briefly.
    return windows.length === 1 ? scratch.release(windows[0]) : kernels.run('Concat', windows, { axis: 0 });
  });
}

/** Images [first, end) of a batch; the batch itself (not a copy) when that is all of it. */
function imagesOf(kernels: WasmKernels, scratch: Scratch, batch: TensorInfo, first: number, end: number): TensorInfo {
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
 * only its own images: the Slice kernel copies its whole input on every call, so smaller is faster.
 */
function chunkFilterGradient(
  kernels: WasmKernels,
  x: TensorInfo,
  dy: TensorInfo,
  info: ConvInfo,
  first: number,
  end: number,
): TensorInfo {
  return withScratch(kernels, (scratch) => {
    const chunkInfo: ConvInfo = { ...info, batchSize: end - first };
    const columns = scratch.hold(transposedIm2col(kernels, imagesOf(kernels, scratch, x, first, end), chunkInfo));
    const gradients = viewAs(imagesOf(kernels, scratch, dy, first, end), [
      chunkInfo.batchSize * info.outHeight * info.outWidth,
      info.outChannels,
    ]);
    return kernels.run('BatchMatMul', { a: columns, b: gradients }, { transposeA: false, transposeB: false });
  });
}

function imagesPerChunk(info: ConvInfo, budgetBytes: number): number {
  const bytesPerImage =
    info.outHeight * info.outWidth * info.filterHeight * info.filterWidth * info.inChannels * BYTES_PER_FLOAT;
  return Math.max(1, Math.floor(budgetBytes / bytesPerImage));
}

/** Adds `partial` into `total`, consuming both. */
function accumulate(kernels: WasmKernels, total: TensorInfo, partial: TensorInfo): TensorInfo {
  try {
    return kernels.run('Add', { a: total, b: partial });
  } finally {
    kernels.free(total, partial);
  }
}

function filterGradient(kernels: WasmKernels, x: TensorInfo, dy: TensorInfo, info: ConvInfo, budgetBytes: number): TensorInfo {
  const filterShape = [info.filterHeight, info.filterWidth, info.inChannels, info.outChannels];
  if (info.batchSize * info.outHeight * info.outWidth === 0) {
    return kernels.run('Fill', {}, { shape: filterShape, value: 0, dtype: 'float32' });
  }
  let total: TensorInfo | undefined;
  try {
    const step = imagesPerChunk(info, budgetBytes);
    for (let first = 0; first < info.batchSize; first += step) {
      const partial = chunkFilterGradient(kernels, x, dy, info, first, Math.min(first + step, info.batchSize));
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

/** A Conv2DBackpropFilter kernel function for the wasm backend; `budgetBytes` caps each im2col buffer. */
export function makeWasmConv2dBackpropFilter(budgetBytes = DEFAULT_IM2COL_BUDGET_BYTES): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs;
    if (x === undefined || dy === undefined) {
      throw new Error(`${KERNEL_LABEL} needs inputs x and dy`);
    }
    const convAttrs = attrs as unknown as Conv2DBackpropFilterAttrs;
    const info = convInfoFor(x, dy, convAttrs);
    return filterGradient(new WasmKernels(backend as DisposingBackend), x, dy, info, budgetBytes);
  };
}

/** Registers a Conv2DBackpropFilter kernel for the wasm backend (idempotent). */
export function registerWasmConv2dBackpropFilter(): void {
  if (tf.getKernel(tf.Conv2DBackpropFilter, BACKEND) !== undefined) {
    return;
  }
  tf.registerKernel({
    kernelName: tf.Conv2DBackpropFilter,
    backendName: BACKEND,
    kernelFunc: makeWasmConv2dBackpropFilter(),
  });
}
