import type * as tf from '@tensorflow/tfjs-core';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { OnnxGraph, OnnxType } from '../onnx/onnxGraph';
import { hasSyncSessions, sessionCache } from '../onnx/syncSession';
import { filterTaps } from './backendKernels';
import type { WasmHeapBackend } from './wasmHeap';

type ConvInfo = tf.backend_util.Conv2DInfo;

/**
 * Input channels below which the wasm-memory im2col kernel keeps the filter gradient: a tap's
 * product has one row per input channel, and with one channel (the image layers) the im2col
 * kernel's single product measured 2x faster than six one-row products (batch 32, 28², 1 → 32).
 */
export const MIN_NATIVE_FILTER_GRADIENT_CHANNELS = 8;

/**
 * Output positions (images × outH × outW) one session run covers. Runs of 8 images of 28²
 * measured fastest per image on this VM's EPYC (seed model, 32 → 32, 2×3: 0.29 ms an image,
 * against 0.33 at 4 images and 0.52 at 32), where a tap's slice of x still fits the cache.
 */
const POSITIONS_PER_RUN = 8 * 28 * 28;

/** The geometry a session is built for; the batch is free. */
interface FilterGradientGeometry {
  readonly inHeight: number;
  readonly inWidth: number;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly outHeight: number;
  readonly outWidth: number;
  readonly strideHeight: number;
  readonly strideWidth: number;
  readonly taps: readonly (readonly [number, number])[];
  readonly pads: readonly [top: number, left: number, bottom: number, right: number];
}

let nativeCalls = 0;

/** Filter gradients computed on ONNX Runtime so far in this process (for tests and benchmarks). */
export function nativeFilterGradientCount(): number {
  return nativeCalls;
}

/** A session per geometry. */
const sessionFor = sessionCache(filterGradientGraph);

/**
 * dW [KH·KW·inC, outC] from x [N, H, W, inC] and dy [N·outH·outW, outC], both as tfjs lays them out:
 * x zero-padded, then for each tap its strided window of x, [N·outH·outW, inC], times dy
 * (window^T · dy, one Gemm with A transposed), the taps' [inC, outC] products stacked in the
 * filter's order. No im2col buffer: each window is read once, while it is in the cache.
 */
function filterGradientGraph(geometry: FilterGradientGeometry): Uint8Array {
  const { inHeight, inWidth, inChannels, outChannels, outHeight, outWidth, strideHeight, strideWidth, pads } = geometry;
  const graph = new OnnxGraph();
  const x = graph.input({ name: 'x', type: OnnxType.float, dims: ['N', inHeight, inWidth, inChannels] });
  const dy = graph.input({ name: 'dy', type: OnnxType.float, dims: ['P', outChannels] });
  const [top, left, bottom, right] = pads;
  const padded = top + left + bottom + right > 0 ? graph.node('Pad', [x, graph.int64s([0, top, left, 0, 0, bottom, right, 0])])[0] : x;
  const axes = graph.int64s([1, 2]);
  const steps = graph.int64s([strideHeight, strideWidth]);
  const positions = graph.int64s([-1, inChannels]);
  const products = geometry.taps.map(([row, column]) => {
    const starts = graph.int64s([row, column]);
    const ends = graph.int64s([row + (outHeight - 1) * strideHeight + 1, column + (outWidth - 1) * strideWidth + 1]);
    const [window] = graph.node('Slice', [padded, starts, ends, axes, steps]);
    const [rows] = graph.node('Reshape', [window, positions]);
    return graph.node('Gemm', [rows, dy], { transA: 1 })[0];
  });
  const [stacked] = products.length === 1 ? products : graph.node('Concat', products, { axis: 0 });
  graph.output(stacked, { name: 'dw', type: OnnxType.float, dims: [geometry.taps.length * inChannels, outChannels] });
  return graph.toModel('conv2d_backprop_filter');
}

/**
 * The filter gradient [KH·KW·inC, outC] on ONNX Runtime, read from and written to wasm memory,
 * in runs of about {@link POSITIONS_PER_RUN} output positions whose products are summed; null where
 * it does not apply (no synchronous sessions, too few input channels, nothing to sum, negative
 * padding, or a window past the padding), and the caller computes it itself. Per call on the seed model's
 * shapes at the training pass size then (9 images) it took 50-75 % of the time of the im2col kernel.
 */
export function nativeFilterGradient(backend: WasmHeapBackend, x: TensorInfo, dy: TensorInfo, info: ConvInfo): TensorInfo | null {
  const { batchSize, inHeight, inWidth, inChannels, outChannels, outHeight, outWidth, padInfo } = info;
  const positionsPerImage = outHeight * outWidth;
  const pads = [padInfo.top, padInfo.left, padInfo.bottom, padInfo.right] as const;
  // With ceil rounding the last window can reach past the padding, where the runtime's Slice would stop short.
  const windowsFit =
    info.filterHeight + (outHeight - 1) * info.strideHeight <= inHeight + padInfo.top + padInfo.bottom &&
    info.filterWidth + (outWidth - 1) * info.strideWidth <= inWidth + padInfo.left + padInfo.right;
  if (!hasSyncSessions() || inChannels < MIN_NATIVE_FILTER_GRADIENT_CHANNELS || batchSize * positionsPerImage === 0 || pads.some((pad) => pad < 0) || !windowsFit) {
    return null;
  }
  const taps = filterTaps(info);
  const session = sessionFor({ inHeight, inWidth, inChannels, outChannels, outHeight, outWidth, strideHeight: info.strideHeight, strideWidth: info.strideWidth, taps, pads });
  if (!session) {
    return null;
  }
  const rows = taps.length * inChannels;
  const output = backend.makeOutput([rows, outChannels], 'float32');
  // Views only now: the allocation may have grown (and so detached) wasm memory.
  const xValues = backend.typedArrayFromHeap(x) as Float32Array;
  const dyValues = backend.typedArrayFromHeap(dy) as Float32Array;
  const total = backend.typedArrayFromHeap(output) as Float32Array;
  const imagesPerRun = Math.max(1, Math.floor(POSITIONS_PER_RUN / positionsPerImage));
  const imageSize = inHeight * inWidth * inChannels;
  const gradientSize = positionsPerImage * outChannels;
  let partial: Float32Array | null = null;
  for (let first = 0; first < batchSize; first += imagesPerRun) {
    const count = Math.min(imagesPerRun, batchSize - first);
    const inputs = {
      x: { values: xValues.subarray(first * imageSize, (first + count) * imageSize), dims: [count, inHeight, inWidth, inChannels] },
      dy: { values: dyValues.subarray(first * gradientSize, (first + count) * gradientSize), dims: [count * positionsPerImage, outChannels] },
    };
    if (first === 0) {
      session.runInto(inputs, 'dw', { values: total, dims: [rows, outChannels] });
      continue;
    }
    partial ??= new Float32Array(total.length);
    session.runInto(inputs, 'dw', { values: partial, dims: [rows, outChannels] });
    for (let index = 0; index < total.length; index++) {
      total[index] += partial[index];
    }
  }
  nativeCalls++;
  return output;
}
