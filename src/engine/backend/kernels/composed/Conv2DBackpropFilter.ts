import * as tf from '@tensorflow/tfjs-core';
import type { Conv2DBackpropFilterAttrs, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { DisposingBackend, Scratch, ZeroPadding } from './backendKernels';
import { BackendKernels, viewAs, withScratch } from './backendKernels';
import { channelMajorFilterGradient, phaseGrid, positionMajorFilterGradient } from './im2col';

/** The largest im2col buffer the kernel builds at once; larger batches are split and their products summed. */
export const DEFAULT_IM2COL_BUDGET_BYTES = 256 * 1024 * 1024;

/** The backends this kernel is registered on by the engine; it runs on any backend with the kernels it composes. */
export type Im2colBackendName = 'wasm' | 'cpu' | 'webgpu';

const BYTES_PER_FLOAT = 4;

type Shape4D = [number, number, number, number];
type ConvInfo = tf.backend_util.Conv2DInfo;

/**
 * How im2col is built; all are exact, and each backend gets the one measured fastest on it.
 *
 * - `channelMajor`: im2col^T from the backend's Slice and Concat kernels (im2col.ts), which no
 *   transposed operand slows.
 * - `positionMajor`: im2col over the padded grid, for the cpu Slice's views (im2col.ts).
 */
export type Im2colLayout = 'channelMajor' | 'positionMajor';

/** The choices one backend runs with. */
interface Im2colPlan {
  layout: Im2colLayout;
  /** How the layouts zero-pad x and dy. */
  padding: ZeroPadding;
}

/**
 * The layout measured fastest per backend for PixelCNN shapes (docs/measurements.md, the filter
 * gradient on an H200); webgpu runs the WGSL kernel (../webgpu/) and keeps this one for comparison.
 * A backend not listed (wasm) gets `channelMajor`.
 */
const PLAN_BY_BACKEND: Readonly<Record<string, Im2colPlan>> = {
  cpu: { layout: 'positionMajor', padding: 'concatZeros' },
  webgpu: { layout: 'positionMajor', padding: 'padKernel' },
};
const FALLBACK_PLAN: Im2colPlan = { layout: 'channelMajor', padding: 'padKernel' };

/**
 * Whether registering replaces a Conv2DBackpropFilter the backend already has: cpu's (a
 * per-element loop) and webgpu's are an order of magnitude slower than im2col for PixelCNN shapes;
 * wasm has none, and one a later tfjs brings would be native code, worth keeping.
 */
const REPLACES_BUILT_IN: Readonly<Record<Im2colBackendName, boolean>> = { wasm: false, cpu: true, webgpu: true };

/** The built-in kernels registration replaced, by backend, so that benchmarks can compare against them. */
const REPLACED_BUILT_INS = new Map<string, tf.KernelConfig>();

/** The kernel functions this module made, so that registration recognises its own kernel. */
const IM2COL_KERNEL_FUNCS = new WeakSet<KernelFunc>();

/** Every filter-gradient kernel Outlier Lens installed (im2col, webgpu's WGSL one): never kept as a built-in to restore. */
const OWN_KERNEL_FUNCS = new WeakSet<KernelFunc>();

/** The backend's kernels and the layout they build im2col in. */
interface ChunkContext {
  kernels: BackendKernels;
  layout: Im2colLayout;
}

/** The convolution's geometry from a filter gradient's inputs, with clear errors for what the kernels do not take. */
export function convInfoFor(x: TensorInfo, dy: TensorInfo, attrs: Conv2DBackpropFilterAttrs, label: string): ConvInfo {
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

// ---- chunking and the kernel ---------------------------------------------------------------

/** The filter gradient [KH*KW*inC, outC] of a chunk of images, by `context`'s layout. */
function layoutFilterGradient(context: ChunkContext, x: TensorInfo, dy: TensorInfo, info: ConvInfo): TensorInfo {
  const { kernels, layout } = context;
  return layout === 'channelMajor' ? channelMajorFilterGradient(kernels, x, dy, info) : positionMajorFilterGradient(kernels, x, dy, info);
}

function planFor(backendName: string, layout?: Im2colLayout): Im2colPlan {
  const plan = PLAN_BY_BACKEND[backendName] ?? FALLBACK_PLAN;
  return layout === undefined ? plan : { ...plan, layout };
}

/** Bytes of im2col one image adds on `backendName` (with `layout`, if given); the chunking budget is counted in these. */
export function im2colBytesPerImage(backendName: string, info: ConvInfo, layout?: Im2colLayout): number {
  const rowBytes = info.filterHeight * info.filterWidth * info.inChannels * BYTES_PER_FLOAT;
  if (planFor(backendName, layout).layout !== 'positionMajor') {
    return info.outHeight * info.outWidth * rowBytes;
  }
  const grid = phaseGrid(info);
  return grid.rows * grid.columns * rowBytes;
}

/** Images [first, end) of a batch; the batch itself (not a copy) when that is all of it. */
function imagesOf(context: ChunkContext, scratch: Scratch, batch: TensorInfo, first: number, end: number): TensorInfo {
  const [count, ...imageShape] = batch.shape;
  if (first === 0 && end === count) {
    return batch;
  }
  const perImage = imageShape.reduce((product, size) => product * size, 1);
  const images = context.kernels.run(
    'Slice',
    { x: viewAs(batch, [count, perImage]) },
    { begin: [first, 0], size: [end - first, perImage] },
  );
  return viewAs(scratch.hold(images), [end - first, ...imageShape]);
}

/** The filter gradient from images [first, end) alone, as [KH*KW*inC, outC]. Each chunk regroups only its own images. */
function chunkFilterGradient(
  context: ChunkContext,
  x: TensorInfo,
  dy: TensorInfo,
  info: ConvInfo,
  first: number,
  end: number,
): TensorInfo {
  return withScratch(context.kernels, (scratch) => {
    const chunkInfo: ConvInfo = { ...info, batchSize: end - first };
    const images = imagesOf(context, scratch, x, first, end);
    const gradients = imagesOf(context, scratch, dy, first, end);
    return layoutFilterGradient(context, images, gradients, chunkInfo);
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
  context: ChunkContext,
  x: TensorInfo,
  dy: TensorInfo,
  info: ConvInfo,
  imagesPerChunk: number,
): TensorInfo {
  const { kernels } = context;
  const filterShape = [info.filterHeight, info.filterWidth, info.inChannels, info.outChannels];
  if (info.batchSize * info.outHeight * info.outWidth === 0) {
    return kernels.run('Fill', {}, { shape: filterShape, value: 0, dtype: 'float32' });
  }
  let total: TensorInfo | undefined;
  try {
    for (let first = 0; first < info.batchSize; first += imagesPerChunk) {
      const end = Math.min(first + imagesPerChunk, info.batchSize);
      const partial = chunkFilterGradient(context, x, dy, info, first, end);
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

/**
 * A Conv2DBackpropFilter kernel function for `backendName`; `budgetBytes` caps each im2col buffer,
 * and `layout` overrides the backend's own (for tests and benchmarks).
 */
export function makeIm2colConv2dBackpropFilter(
  backendName: string,
  budgetBytes = DEFAULT_IM2COL_BUDGET_BYTES,
  layout?: Im2colLayout,
): KernelFunc {
  const label = `Conv2DBackpropFilter (im2col, ${backendName})`;
  const plan = planFor(backendName, layout);
  const kernelFunc: KernelFunc = ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs;
    if (x === undefined || dy === undefined) {
      throw new Error(`${label} needs inputs x and dy`);
    }
    const info = convInfoFor(x, dy, attrs as unknown as Conv2DBackpropFilterAttrs, label);
    const imagesPerChunk = Math.max(1, Math.floor(budgetBytes / im2colBytesPerImage(backendName, info, plan.layout)));
    const context: ChunkContext = {
      kernels: new BackendKernels(backend as DisposingBackend, backendName, label, plan.padding),
      layout: plan.layout,
    };
    return filterGradient(context, x, dy, info, imagesPerChunk);
  };
  IM2COL_KERNEL_FUNCS.add(kernelFunc);
  OWN_KERNEL_FUNCS.add(kernelFunc);
  return kernelFunc;
}

/** Whether `backendName`'s Conv2DBackpropFilter is one this module made. */
export function usesIm2colConv2dBackpropFilter(backendName: string): boolean {
  const registered = tf.getKernel(tf.Conv2DBackpropFilter, backendName) as tf.KernelConfig | undefined;
  return registered !== undefined && IM2COL_KERNEL_FUNCS.has(registered.kernelFunc);
}

/**
 * Registers the im2col Conv2DBackpropFilter for `backendName` (idempotent), with the backend's
 * layout unless `layout` is given. On cpu it replaces tfjs's own kernel; on wasm it fills the gap
 * and leaves any kernel already there alone.
 */
export function registerIm2colConv2dBackpropFilter(backendName: Im2colBackendName, layout?: Im2colLayout): void {
  if (usesIm2colConv2dBackpropFilter(backendName)) {
    return;
  }
  const registered = tf.getKernel(tf.Conv2DBackpropFilter, backendName) as tf.KernelConfig | undefined;
  if (registered !== undefined && !OWN_KERNEL_FUNCS.has(registered.kernelFunc) && !REPLACES_BUILT_IN[backendName]) {
    return;
  }
  installConv2dBackpropFilter(backendName, makeIm2colConv2dBackpropFilter(backendName, DEFAULT_IM2COL_BUDGET_BYTES, layout));
}

/** Whether `backendName`'s Conv2DBackpropFilter is `kernelFunc`. */
export function isOwnConv2dBackpropFilter(backendName: string, kernelFunc: KernelFunc): boolean {
  const registered = tf.getKernel(tf.Conv2DBackpropFilter, backendName) as tf.KernelConfig | undefined;
  return registered?.kernelFunc === kernelFunc;
}

/**
 * Makes `kernelFunc` `backendName`'s Conv2DBackpropFilter. A built-in kernel it replaces is kept
 * for {@link restoreBuiltInConv2dBackpropFilter}; one of Outlier Lens's own is simply dropped.
 */
export function installConv2dBackpropFilter(backendName: string, kernelFunc: KernelFunc): void {
  OWN_KERNEL_FUNCS.add(kernelFunc);
  const registered = tf.getKernel(tf.Conv2DBackpropFilter, backendName) as tf.KernelConfig | undefined;
  if (registered !== undefined) {
    if (!OWN_KERNEL_FUNCS.has(registered.kernelFunc)) {
      REPLACED_BUILT_INS.set(backendName, registered);
    }
    tf.unregisterKernel(tf.Conv2DBackpropFilter, backendName);
  }
  tf.registerKernel({ kernelName: tf.Conv2DBackpropFilter, backendName, kernelFunc });
}

/**
 * Puts back the Conv2DBackpropFilter that registration replaced on `backendName` (for benchmarks
 * that compare against tfjs's own kernel). Returns false where there was none to put back.
 */
export function restoreBuiltInConv2dBackpropFilter(backendName: string): boolean {
  const builtIn = REPLACED_BUILT_INS.get(backendName);
  if (builtIn === undefined) {
    return false;
  }
  tf.unregisterKernel(tf.Conv2DBackpropFilter, backendName);
  tf.registerKernel(builtIn);
  REPLACED_BUILT_INS.delete(backendName);
  return true;
}
