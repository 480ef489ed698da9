import * as tf from '@tensorflow/tfjs-core';
import type { ConcatAttrs, KernelConfig, KernelFunc, SliceAttrs, SplitVAttrs, TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmHeapBackend } from './wasmHeap';
import { heapElements, isWasmHeapBackend } from './wasmHeap';

const BACKEND = 'wasm';

/** The kernels this module made, so that registering twice is a no-op. */
const HEAP_KERNELS = new WeakSet<KernelFunc>();

/** The built-in kernels replaced, which still serve string tensors. */
const BUILT_INS = new Map<string, KernelConfig>();

/**
 * Copies `size` elements starting at `begin` of a row-major `shape` from `source` to `target`
 * (offsets into one `heap`), as runs over the innermost axes the slice takes whole.
 */
function copySlice(heap: tf.TypedArray, source: number, target: number, shape: number[], begin: number[], size: number[]): void {
  const rank = shape.length;
  const strides = new Array<number>(rank);
  let stride = 1;
  for (let axis = rank - 1; axis >= 0; axis--) {
    strides[axis] = stride;
    stride *= shape[axis];
  }
  // The slice is contiguous from axis `runAxis` on: it takes every axis after it whole.
  let runAxis = rank - 1;
  while (runAxis > 0 && size[runAxis] === shape[runAxis]) {
    runAxis--;
  }
  const runLength = rank === 0 ? 1 : size[runAxis] * strides[runAxis];
  const index = new Array<number>(runAxis).fill(0);
  let written = 0;
  const total = tf.util.sizeFromShape(size);
  while (written < total) {
    let offset = source + (rank === 0 ? 0 : begin[runAxis] * strides[runAxis]);
    for (let axis = 0; axis < runAxis; axis++) {
      offset += (begin[axis] + index[axis]) * strides[axis];
    }
    heap.copyWithin(target + written, offset, offset + runLength);
    written += runLength;
    // Next run: count up the outer axes like an odometer.
    for (let axis = runAxis - 1; axis >= 0; axis--) {
      if (++index[axis] < size[axis]) {
        break;
      }
      index[axis] = 0;
    }
  }
}

/** A slice of `x` read in place from wasm memory; the caller owns the result. */
function heapSlice(backend: WasmHeapBackend, x: TensorInfo, begin: number[], size: number[]): TensorInfo {
  const out = backend.makeOutput(size, x.dtype);
  if (tf.util.sizeFromShape(size) > 0) {
    // Views only now: the allocation may have grown (and so detached) wasm memory.
    const source = heapElements(backend, x);
    copySlice(source.heap, source.start, heapElements(backend, out).start, x.shape, begin, size);
  }
  return out;
}

/** Runs the built-in kernel this module replaced (for string tensors, which live outside wasm memory). */
function builtIn(kernelName: string, args: Parameters<KernelFunc>[0]): ReturnType<KernelFunc> {
  const config = BUILT_INS.get(kernelName);
  if (config === undefined) {
    throw new Error(`${kernelName} (wasm): no built-in kernel to fall back on for ${args.inputs.x?.dtype} tensors`);
  }
  return config.kernelFunc(args);
}

const slice: KernelFunc = (args) => {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as TensorInfo;
  if (x.dtype === 'string' || !isWasmHeapBackend(backend)) {
    return builtIn(tf.Slice, args);
  }
  const { begin, size } = attrs as unknown as SliceAttrs;
  const [begin_, size_] = tf.slice_util.parseSliceParams(x as tf.Tensor, begin, size);
  return heapSlice(backend, x, begin_, size_);
};

const splitV: KernelFunc = (args) => {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as TensorInfo;
  if (x.dtype === 'string' || !isWasmHeapBackend(backend)) {
    return builtIn(tf.SplitV, args);
  }
  const { numOrSizeSplits, axis } = attrs as unknown as SplitVAttrs;
  const splitAxis = tf.util.parseAxisParam(axis, x.shape)[0];
  const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, numOrSizeSplits, splitAxis);
  const begin = new Array<number>(x.shape.length).fill(0);
  return sizes.map((length) => {
    const size = [...x.shape];
    size[splitAxis] = length;
    const part = heapSlice(backend, x, [...begin], size);
    begin[splitAxis] += length;
    return part;
  });
};

const concat: KernelFunc = (args) => {
  const { backend, attrs } = args;
  const parts = args.inputs as unknown as TensorInfo[];
  if (parts.length === 0 || parts[0].dtype === 'string' || !isWasmHeapBackend(backend)) {
    return builtIn(tf.Concat, args);
  }
  const shapes = parts.map((part) => part.shape);
  const axis = tf.util.parseAxisParam((attrs as unknown as ConcatAttrs).axis, shapes[0])[0];
  tf.backend_util.assertParamsConsistent(shapes, axis);
  const filled = parts.filter((part) => tf.util.sizeFromShape(part.shape) > 0);
  if (filled.length < 2) {
    // Nothing to interleave: the built-in kernel returns the one filled input (or an empty tensor).
    return builtIn(tf.Concat, args);
  }
  const out = backend.makeOutput(tf.backend_util.computeOutShape(shapes, axis), parts[0].dtype);
  // Views only now: the allocation may have grown (and so detached) wasm memory.
  const target = heapElements(backend, out);
  const sources = filled.map((part) => ({ start: heapElements(backend, part).start, run: tf.util.sizeFromShape(part.shape.slice(axis)) }));
  const rows = tf.util.sizeFromShape(shapes[0].slice(0, axis));
  let to = target.start;
  for (let row = 0; row < rows; row++) {
    for (const { start, run } of sources) {
      target.heap.copyWithin(to, start + row * run, start + (row + 1) * run);
      to += run;
    }
  }
  return out;
};

/** Whether the wasm backend's Slice is this module's. */
export function usesWasmHeapSlice(): boolean {
  const current = tf.getKernel(tf.Slice, BACKEND);
  return current !== undefined && HEAP_KERNELS.has(current.kernelFunc);
}

/**
 * Replaces the wasm backend's Slice, SplitV and Concat (idempotent). Its own Slice reads the whole
 * input out of wasm memory (a copy) before taking the slice: a split into the 248 weights of the
 * seed model copied the 1 M-value update 248 times (1 s a step), and every crop of an activation
 * copied all of it first. Its Concat copies a run at a time through a new `subarray` view, which
 * costs more than the copy where runs are a pixel's channels (0.74 ms to join two 8×28×28×32
 * activations). These read their inputs in place and copy runs with `copyWithin`.
 */
export function registerWasmHeapSlice(): void {
  if (usesWasmHeapSlice()) {
    return;
  }
  for (const [kernelName, kernelFunc] of [
    [tf.Slice, slice],
    [tf.SplitV, splitV],
    [tf.Concat, concat],
  ] as const) {
    const current = tf.getKernel(kernelName, BACKEND);
    if (current !== undefined) {
      BUILT_INS.set(kernelName, current);
      tf.unregisterKernel(kernelName, BACKEND);
    }
    HEAP_KERNELS.add(kernelFunc);
    tf.registerKernel({ kernelName, backendName: BACKEND, kernelFunc });
  }
}
