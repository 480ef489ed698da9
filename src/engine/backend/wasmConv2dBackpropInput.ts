import * as tf from '@tensorflow/tfjs-core';
import type { Conv2DBackpropInputAttrs, DataId, KernelFunc, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmHeapBackend } from './wasmHeap';
import { heapSpan, isWasmHeapBackend } from './wasmHeap';

const BACKEND = 'wasm';
/** Marks our kernel function, so that registering twice is a no-op. */
const REPLACED = Symbol('outlier-lens.conv2dBackpropInput');

interface DisposingBackend {
  disposeData(dataId: DataId, force?: boolean): boolean;
}

/** Runs wasm kernels and remembers their outputs, so that every intermediate is freed. */
class KernelRunner {
  private readonly made: TensorInfo[] = [];

  constructor(private readonly backend: DisposingBackend) {}

  run(kernelName: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap): TensorInfo {
    const kernel = tf.getKernel(kernelName, BACKEND);
    if (!kernel) {
      throw new Error(`Conv2DBackpropInput (wasm): the wasm backend has no ${kernelName} kernel`);
    }
    const result = kernel.kernelFunc({ inputs, backend: this.backend as unknown as tf.KernelBackend, attrs });
    const info = Array.isArray(result) ? result[0] : result;
    this.made.push(info);
    return info;
  }

  /** Takes an intermediate made outside {@link run}, to be freed with the others. */
  keep(info: TensorInfo): TensorInfo {
    this.made.push(info);
    return info;
  }

  /** Frees every intermediate except `kept`, which becomes the kernel's output. */
  freeAllBut(kept: TensorInfo): void {
    for (const info of this.made) {
      if (info.dataId !== kept.dataId) {
        this.backend.disposeData(info.dataId);
      }
    }
  }
}

/** Zero padding (negative: cropping) of one axis of the forward convolution that computes dx. */
function axisWindow(inputLength: number, outputLength: number, kernelSize: number, offset: number): { padBefore: number; padAfter: number; cropBefore: number; cropAfter: number } {
  const last = offset + outputLength - 1 + kernelSize - 1;
  return {
    padBefore: Math.max(0, -offset),
    cropBefore: Math.max(0, offset),
    padAfter: Math.max(0, last - (inputLength - 1)),
    cropAfter: Math.max(0, inputLength - 1 - last),
  };
}

/**
 * The filter [kh, kw, in, out] flipped in both spatial axes with in and out swapped, by one pass
 * over wasm memory: the wasm Reverse kernel took 0.8 ms for a 2×3×64×64 filter (the Transpose
 * 0.02), nearly half the cost of the convolution that follows at batch 8.
 */
function flippedTransposed(backend: WasmHeapBackend, filter: TensorInfo): TensorInfo {
  const [height, width, inChannels, outChannels] = filter.shape;
  const result = backend.makeOutput([height, width, outChannels, inChannels], 'float32');
  // Views only now: the allocation may have grown (and so detached) wasm memory.
  const source = heapSpan(backend, filter);
  const target = heapSpan(backend, result);
  const heap = target.heap;
  const tapSize = inChannels * outChannels;
  for (let row = 0; row < height; row++) {
    for (let column = 0; column < width; column++) {
      const from = source.start + ((height - 1 - row) * width + (width - 1 - column)) * tapSize;
      let to = target.start + (row * width + column) * tapSize;
      for (let out = 0; out < outChannels; out++) {
        for (let input = 0, at = from + out; input < inChannels; input++, at += outChannels) {
          heap[to++] = heap[at];
        }
      }
    }
  }
  return result;
}

/** Inserts stride − 1 zeros after every row and column of dy (the transposed convolution's upsampling). */
function dilate(runner: KernelRunner, dy: TensorInfo, strideHeight: number, strideWidth: number): TensorInfo {
  const [batch, height, width, channels] = dy.shape;
  let result = dy;
  if (strideHeight > 1) {
    const rows = runner.run('Reshape', { x: result }, { shape: [batch * height, 1, width * channels] });
    const padded = runner.run('PadV2', { x: rows }, { paddings: [[0, 0], [0, strideHeight - 1], [0, 0]], constantValue: 0 });
    result = runner.run('Reshape', { x: padded }, { shape: [batch, height * strideHeight, width, channels] });
  }
  if (strideWidth > 1) {
    const [, rowsNow] = result.shape;
    const pixels = runner.run('Reshape', { x: result }, { shape: [batch * rowsNow * width, 1, channels] });
    const padded = runner.run('PadV2', { x: pixels }, { paddings: [[0, 0], [0, strideWidth - 1], [0, 0]], constantValue: 0 });
    result = runner.run('Reshape', { x: padded }, { shape: [batch, rowsNow, width * strideWidth, channels] });
  }
  return result;
}

/**
 * Conv2DBackpropInput for wasm as one forward convolution: dx is dy (zero-dilated for stride 2)
 * correlated with the spatially flipped, channel-transposed filter. The wasm backend's own kernel is
 * a plain loop; this runs on XNNPACK and measured several times faster on PixelCNN++ shapes.
 */
const conv2dBackpropInputOnConv2d: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, filter } = inputs;
  if (!dy || !filter) {
    throw new Error('Conv2DBackpropInput (wasm) needs inputs dy and filter');
  }
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as Conv2DBackpropInputAttrs;
  if (dataFormat === 'NCHW') {
    throw new Error('Conv2DBackpropInput (wasm): only NHWC is supported, got NCHW');
  }
  const info = tf.backend_util.computeConv2DInfo(inputShape, filter.shape as [number, number, number, number], strides, 1, pad, dimRoundingMode, false, 'channelsLast');
  const runner = new KernelRunner(backend as unknown as DisposingBackend);
  const dilated = dilate(runner, dy, info.strideHeight, info.strideWidth);
  const [batch, dilatedHeight, dilatedWidth, outChannels] = dilated.shape;
  const { filterHeight, filterWidth, inHeight, inWidth } = info;
  const rows = axisWindow(dilatedHeight, inHeight, filterHeight, info.padInfo.top - (filterHeight - 1));
  const cols = axisWindow(dilatedWidth, inWidth, filterWidth, info.padInfo.left - (filterWidth - 1));
  let source = dilated;
  if (rows.cropBefore || rows.cropAfter || cols.cropBefore || cols.cropAfter) {
    source = runner.run('Slice', { x: dilated }, {
      begin: [0, rows.cropBefore, cols.cropBefore, 0],
      size: [batch, dilatedHeight - rows.cropBefore - rows.cropAfter, dilatedWidth - cols.cropBefore - cols.cropAfter, outChannels],
    });
  }
  const transposed = isWasmHeapBackend(backend)
    ? runner.keep(flippedTransposed(backend, filter))
    : runner.run('Transpose', { x: runner.run('Reverse', { x: filter }, { dims: [0, 1] }) }, { perm: [0, 1, 3, 2] });
  const dx = runner.run('Conv2D', { x: source, filter: transposed }, {
    strides: 1,
    pad: [[0, 0], [rows.padBefore, rows.padAfter], [cols.padBefore, cols.padAfter], [0, 0]],
    dataFormat: 'NHWC',
    dilations: 1,
  });
  runner.freeAllBut(dx);
  return dx;
};
Object.defineProperty(conv2dBackpropInputOnConv2d, REPLACED, { value: true });

/** Whether the wasm backend's Conv2DBackpropInput is this module's. */
export function usesXnnpackConv2dBackpropInput(): boolean {
  const current = tf.getKernel(tf.Conv2DBackpropInput, BACKEND);
  return Boolean(current && (current.kernelFunc as unknown as Record<symbol, boolean>)[REPLACED]);
}

/** Replaces the wasm backend's Conv2DBackpropInput (a plain loop) with one that runs on XNNPACK (idempotent). */
export function registerWasmConv2dBackpropInput(): void {
  if (usesXnnpackConv2dBackpropInput()) {
    return;
  }
  if (tf.getKernel(tf.Conv2DBackpropInput, BACKEND)) {
    tf.unregisterKernel(tf.Conv2DBackpropInput, BACKEND);
  }
  tf.registerKernel({ kernelName: tf.Conv2DBackpropInput, backendName: BACKEND, kernelFunc: conv2dBackpropInputOnConv2d });
}
