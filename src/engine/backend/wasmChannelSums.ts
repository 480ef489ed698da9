import * as tf from '@tensorflow/tfjs-core';
import { nativeMatMul } from '../onnx/nativeMatMul';
import { usesOwnKernels } from './types';
import { isWasmHeapBackend } from './wasmHeap';

/** A row of ones as long as the longest sum so far (read-only: the product only reads it). */
let ones = new Float32Array(0);

function onesOfLength(length: number): Float32Array {
  if (ones.length < length) {
    ones = new Float32Array(length).fill(1);
  }
  return ones.subarray(0, length);
}

/**
 * `x` summed over every axis but the last, as one product ones[1, rows] · x[rows, channels] on
 * ONNX Runtime reading x where it lies in wasm memory; null off wasm, for other dtypes, or where
 * ONNX Runtime does not load (the caller then sums with tfjs). This is the bias gradient of a
 * convolution: XNNPACK's product packs x (a new tensor every call) first, 0.6-0.8 ms for a seed
 * layer's 8×28×28×64 gradient, the runtime's 0.03-0.06 ms.
 */
export function nativeChannelSums(x: tf.Tensor): tf.Tensor1D | null {
  const matMul = usesOwnKernels() ? nativeMatMul() : null;
  const backend = tf.backend();
  if (!matMul || tf.getBackend() !== 'wasm' || !isWasmHeapBackend(backend) || x.dtype !== 'float32' || x.rank === 0) {
    return null;
  }
  const channels = x.shape[x.rank - 1];
  const rows = channels === 0 ? 0 : x.size / channels;
  const values = backend.typedArrayFromHeap(x) as Float32Array;
  return tf.tensor1d(matMul(onesOfLength(rows), values, 1, rows, channels), 'float32');
}
