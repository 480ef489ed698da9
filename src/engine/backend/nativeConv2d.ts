import * as tf from '@tensorflow/tfjs-core';
import type { Conv2DAttrs, FusedConv2DAttrs, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { nchwcBlockSize } from '../onnx/nchwcBlockSize';
import { NCHWC_DOMAIN } from '../onnx/nchwcLayout';
import { OnnxGraph, OnnxType } from '../onnx/onnxGraph';
import { hasSyncSessions, sessionCache } from '../onnx/syncSession';
import type { WasmHeapBackend } from './wasmHeap';
import { isWasmHeapBackend } from './wasmHeap';

const BACKEND = 'wasm';
/** Marks this module's kernel functions, so that registering twice keeps the originals. */
const NATIVE = Symbol('outlier-lens.nativeConv2d');

type Shape4D = [number, number, number, number];

/** The attributes a native convolution is built for (a session each; batch, sizes and channels are free). */
interface ConvGeometry {
  readonly kernelHeight: number;
  readonly kernelWidth: number;
  readonly strideHeight: number;
  readonly strideWidth: number;
  readonly pads: readonly [top: number, left: number, bottom: number, right: number];
  readonly withBias: boolean;
  /** MLAS's NCHWc block size where both channel counts fill whole blocks (see {@link blockedConvGraph}), else null. */
  readonly blockSize: number | null;
  /** Channel counts: the blocked graph reorders the kernel with fixed shapes. */
  readonly inChannels: number;
  readonly outChannels: number;
}

/**
 * Multiply-adds per input and output value below which XNNPACK keeps a convolution the runtime
 * cannot block (channels off its NCHWc block size): its im2col convolution moves input and output
 * through transposes and copies, which only enough work per value repays. Measured in the PixelCNN++
 * forward pass on this VM: 16-channel convolutions (16·16·6/32 = 48) ran slower that way, the seed
 * model's (32·32·6/64 = 96 and up) faster. Blocked, every layer ran faster than on XNNPACK (the
 * fast model's 16-channel ones too, 77 against ~24 GFLOP/s).
 */
const MIN_MULTIPLY_ADDS_PER_VALUE = 64;

let nativeCalls = 0;

/** Convolutions run on ONNX Runtime so far in this process (for tests and benchmarks). */
export function nativeConv2dCount(): number {
  return nativeCalls;
}

/**
 * An ONNX Runtime convolution over NHWC tensors with [kh, kw, Cin, Cout] weights, as tfjs lays
 * them out: blocked (see {@link blockedConvGraph}) where the channels allow, else transposed to
 * channels-first around one Conv, inside the graph.
 */
const sessionFor = sessionCache((geometry: ConvGeometry) => (geometry.blockSize === null ? plainConvGraph(geometry) : blockedConvGraph(geometry, geometry.blockSize)));

function convAttributes(geometry: ConvGeometry): Record<string, readonly number[]> {
  return { kernel_shape: [geometry.kernelHeight, geometry.kernelWidth], strides: [geometry.strideHeight, geometry.strideWidth], pads: [...geometry.pads] };
}

function plainConvGraph(geometry: ConvGeometry): Uint8Array {
  const graph = new OnnxGraph();
  const x = graph.input({ name: 'x', type: OnnxType.float, dims: ['N', 'H', 'W', 'C'] });
  const w = graph.input({ name: 'w', type: OnnxType.float, dims: [geometry.kernelHeight, geometry.kernelWidth, 'C', 'F'] });
  const inputs = [graph.node('Transpose', [x], { perm: [0, 3, 1, 2] })[0], graph.node('Transpose', [w], { perm: [3, 2, 0, 1] })[0]];
  if (geometry.withBias) {
    inputs.push(graph.input({ name: 'b', type: OnnxType.float, dims: ['F'] }));
  }
  const [y] = graph.node('Conv', inputs, convAttributes(geometry));
  graph.output(graph.node('Transpose', [y], { perm: [0, 2, 3, 1] })[0], { name: 'y', type: OnnxType.float, dims: ['N', 'OH', 'OW', 'F'] });
  return graph.toModel('conv2d');
}

/**
 * The convolution as MLAS's NCHWc convolution, the runtime's fastest (1.4-2x its im2col Conv on
 * these layers: no im2col buffer, no transposes): NHWC blocked on the way in and unblocked on the
 * way out by the runtime's reorders, which read and write channels-last; the kernel, an input that
 * changes every training step, reordered to [Cout/B][Cin/B][kh][kw][B in][B out] by a reshape and a
 * transpose inside the graph.
 */
function blockedConvGraph(geometry: ConvGeometry, blockSize: number): Uint8Array {
  const { kernelHeight, kernelWidth, inChannels, outChannels } = geometry;
  const graph = new OnnxGraph();
  const x = graph.input({ name: 'x', type: OnnxType.float, dims: ['N', 'H', 'W', inChannels] });
  const w = graph.input({ name: 'w', type: OnnxType.float, dims: [kernelHeight, kernelWidth, inChannels, outChannels] });
  const [blockedInput] = graph.domainNode(NCHWC_DOMAIN, 'ReorderInput', [x], { channels_last: 1 });
  const [split] = graph.node('Reshape', [w, graph.int64s([kernelHeight, kernelWidth, inChannels / blockSize, blockSize, outChannels / blockSize, blockSize])]);
  const [ordered] = graph.node('Transpose', [split], { perm: [4, 2, 0, 1, 3, 5] });
  const [kernel] = graph.node('Reshape', [ordered, graph.int64s([outChannels, inChannels, kernelHeight, kernelWidth])]);
  const inputs = [blockedInput, kernel];
  if (geometry.withBias) {
    inputs.push(graph.input({ name: 'b', type: OnnxType.float, dims: [outChannels] }));
  }
  const [y] = graph.domainNode(NCHWC_DOMAIN, 'Conv', inputs, convAttributes(geometry));
  const [channelsLast] = graph.domainNode(NCHWC_DOMAIN, 'ReorderOutput', [y], { channels: outChannels, channels_last: 1 });
  graph.output(channelsLast, { name: 'y', type: OnnxType.float, dims: ['N', 'OH', 'OW', outChannels] });
  return graph.toModel('conv2d');
}

/**
 * The convolution on ONNX Runtime, or null where it does not apply (then the original kernel runs):
 * NHWC, float32, no dilation, a bias at most (no fused activation), and the runtime's output size
 * equal to tfjs's.
 */
function nativeConv(backend: WasmHeapBackend, x: TensorInfo, filter: TensorInfo, bias: TensorInfo | undefined, attrs: Conv2DAttrs): TensorInfo | null {
  const [kernelHeight, kernelWidth, inChannels, outChannels] = filter.shape;
  // ONNX Conv takes one bias per channel; anything else goes to the original kernel (wasm's refuses it with its own error).
  const biasPerChannel = !bias || (bias.dtype === 'float32' && bias.shape.length === 1 && bias.shape[0] === outChannels);
  if (attrs.dataFormat === 'NCHW' || x.dtype !== 'float32' || filter.dtype !== 'float32' || !biasPerChannel) {
    return null;
  }
  const blockSize = nchwcBlockSize();
  const blocked = blockSize !== null && inChannels % blockSize === 0 && outChannels % blockSize === 0;
  if (!blocked && (kernelHeight * kernelWidth * inChannels * outChannels) / (inChannels + outChannels) < MIN_MULTIPLY_ADDS_PER_VALUE) {
    return null;
  }
  const info = tf.backend_util.computeConv2DInfo(x.shape as Shape4D, filter.shape as Shape4D, attrs.strides, attrs.dilations, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast');
  const { padInfo } = info;
  const outHeight = Math.floor((info.inHeight + padInfo.top + padInfo.bottom - info.filterHeight) / info.strideHeight) + 1;
  const outWidth = Math.floor((info.inWidth + padInfo.left + padInfo.right - info.filterWidth) / info.strideWidth) + 1;
  const padsValid = [padInfo.top, padInfo.left, padInfo.bottom, padInfo.right].every((pad) => pad >= 0);
  if (info.dilationHeight !== 1 || info.dilationWidth !== 1 || !padsValid || outHeight !== info.outHeight || outWidth !== info.outWidth || info.outShape.some((size) => size === 0)) {
    return null;
  }
  const session = sessionFor({
    kernelHeight: info.filterHeight,
    kernelWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    pads: [padInfo.top, padInfo.left, padInfo.bottom, padInfo.right],
    withBias: bias !== undefined,
    blockSize: blocked ? blockSize : null,
    inChannels,
    outChannels,
  });
  if (!session) {
    return null;
  }
  const result = backend.makeOutput(info.outShape, 'float32');
  // Views only now: the allocation may have grown (and so detached) wasm memory. The runtime
  // reads x, w and b where they are and writes y straight into the result.
  const view = (tensor: TensorInfo): { values: Float32Array; dims: number[] } => ({ values: backend.typedArrayFromHeap(tensor) as Float32Array, dims: tensor.shape });
  session.runInto({ x: view(x), w: view(filter), ...(bias ? { b: view(bias) } : {}) }, 'y', view(result));
  nativeCalls++;
  return result;
}

/** Conv2D: native where it applies, else `original`. */
function nativeConv2dKernel(original: KernelFunc): KernelFunc {
  const kernel: KernelFunc = (args) => {
    const { x, filter } = args.inputs;
    const result = x && filter && isWasmHeapBackend(args.backend) ? nativeConv(args.backend, x, filter, undefined, args.attrs as unknown as Conv2DAttrs) : null;
    return result ?? original(args);
  };
  return Object.assign(kernel, { [NATIVE]: original });
}

/** FusedConv2D with a bias and no activation: native; anything else: `original`. */
function nativeFusedConv2dKernel(original: KernelFunc): KernelFunc {
  const kernel: KernelFunc = (args) => {
    const { x, filter, bias, preluActivationWeights } = args.inputs;
    const attrs = args.attrs as unknown as FusedConv2DAttrs;
    const plain = (attrs.activation === 'linear' || attrs.activation === undefined) && !preluActivationWeights;
    const result = plain && x && filter && isWasmHeapBackend(args.backend) ? nativeConv(args.backend, x, filter, bias, attrs) : null;
    return result ?? original(args);
  };
  return Object.assign(kernel, { [NATIVE]: original });
}

/**
 * Routes the wasm backend's Conv2D and FusedConv2D (bias only) through ONNX Runtime's convolution
 * where onnxruntime-node loads: blocked, 1.4-2x its im2col convolution, itself 1.7-2.2x XNNPACK on the seed model's shapes here. The
 * input gradient (a Conv2D, see wasmConv2dBackpropInput) goes with them. Returns whether it did.
 */
export function registerNativeConv2d(): boolean {
  if (!hasSyncSessions()) {
    return false;
  }
  for (const [kernelName, wrap] of [
    [tf.Conv2D, nativeConv2dKernel],
    [tf.FusedConv2D, nativeFusedConv2dKernel],
  ] as const) {
    const current = tf.getKernel(kernelName, BACKEND);
    if (!current) {
      throw new Error(`the wasm backend has no ${kernelName} kernel to route to ONNX Runtime`);
    }
    if ((current.kernelFunc as unknown as Record<symbol, unknown>)[NATIVE]) {
      continue;
    }
    tf.unregisterKernel(kernelName, BACKEND);
    tf.registerKernel({ ...current, kernelFunc: wrap(current.kernelFunc) });
  }
  return true;
}

/** Whether the wasm backend's Conv2D is this module's (routed to ONNX Runtime). */
export function usesNativeConv2d(): boolean {
  const kernel = tf.getKernel(tf.Conv2D, BACKEND);
  return Boolean(kernel && (kernel.kernelFunc as unknown as Record<symbol, unknown>)[NATIVE]);
}
