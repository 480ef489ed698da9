import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc } from '@tensorflow/tfjs-core';
import { hasSyncSessions } from '../onnx/syncSession';

/**
 * Registers `kernels` (by name) on wasm where they run ONNX Runtime sessions synchronously, that is
 * where onnxruntime-node loads; idempotent. Returns whether they are registered.
 */
export function registerWasmOnnxRuntimeKernels(kernels: Readonly<Record<string, KernelFunc>>): boolean {
  const [first] = Object.keys(kernels);
  if (first !== undefined && tf.getKernel(first, 'wasm') !== undefined) {
    return true;
  }
  if (!hasSyncSessions()) {
    return false;
  }
  for (const [kernelName, kernelFunc] of Object.entries(kernels)) {
    tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc });
  }
  return true;
}
