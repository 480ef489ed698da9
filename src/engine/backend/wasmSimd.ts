import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { SimdKernels } from '../wasm/simdKernels';
import { simdKernelsOver } from '../wasm/simdKernels';
import type { WasmHeapBackend } from './wasmHeap';
import { isWasmHeapBackend, wasmMemoryOf } from './wasmHeap';

/** The SIMD kernels over a wasm backend's memory, and the byte address of a tensor there. */
export interface BackendSimdKernels {
  readonly backend: WasmHeapBackend;
  readonly kernels: SimdKernels;
  /** `tensor`'s byte address in wasm memory: fixed while it lives (growing the memory detaches views, it moves nothing). */
  address(tensor: TensorInfo): number;
}

/**
 * The SIMD kernels (src/engine/wasm) over `backend`'s memory, where it is tfjs-backend-wasm's and
 * WebAssembly has SIMD and every tensor in `tensors` is float32; null otherwise (the caller's fallback runs).
 */
export function simdKernelsOf(backend: unknown, tensors: readonly TensorInfo[]): BackendSimdKernels | null {
  if (!isWasmHeapBackend(backend) || tensors.some((tensor) => tensor.dtype !== 'float32')) {
    return null;
  }
  const memory = wasmMemoryOf(backend);
  const kernels = memory ? simdKernelsOver(memory) : null;
  return kernels ? { backend, kernels, address: (tensor) => backend.typedArrayFromHeap(tensor).byteOffset } : null;
}
