import type { DataId, DataType, TensorInfo, TypedArray } from '@tensorflow/tfjs-core';
import type { WasmMemory } from '../wasm/webAssemblyApi';
import { isWasmMemory } from '../wasm/webAssemblyApi';

/**
 * The part of tfjs-backend-wasm's BackendWasm that its own JS kernels (Slice, Concat) use to reach
 * tensor data in wasm memory without copying it out, as `readSync` does.
 */
export interface WasmHeapBackend {
  /** Allocates an uninitialised tensor in wasm memory; may grow the memory, detaching every view. */
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  /** A view (no copy) of `info`'s data, sized by `info.shape`, valid until wasm memory grows. */
  typedArrayFromHeap(info: TensorInfo): ArrayBufferView;
  disposeData(dataId: DataId, force?: boolean): boolean;
}

/** Whether `backend` lets kernels into its wasm memory the way BackendWasm does. */
export function isWasmHeapBackend(backend: unknown): backend is WasmHeapBackend {
  const candidate = backend as Partial<WasmHeapBackend> | null;
  return typeof candidate?.makeOutput === 'function' && typeof candidate.typedArrayFromHeap === 'function';
}

/**
 * A float32 tensor's data as a span of the whole wasm memory seen as floats: spans of different
 * tensors share one array, so copies between them are `copyWithin` calls that allocate nothing.
 * Valid only until the next wasm allocation (makeOutput or any kernel), which may grow the memory.
 */
export interface HeapSpan {
  readonly heap: Float32Array;
  readonly start: number;
  readonly length: number;
}

/** `info`'s data in wasm memory; acquire it after the last allocation that precedes its use. */
export function heapSpan(backend: WasmHeapBackend, info: TensorInfo): HeapSpan {
  const span = heapElements(backend, info);
  if (!(span.heap instanceof Float32Array)) {
    throw new Error(`expected a float32 tensor in wasm memory, got ${info.dtype}`);
  }
  return span as HeapSpan;
}

/** Like {@link HeapSpan}, for a tensor of any dtype kept in wasm memory: the whole memory seen as its element type. */
export interface HeapElements {
  readonly heap: TypedArray;
  readonly start: number;
  readonly length: number;
}

/**
 * `info`'s data as a span of the whole wasm memory in its own element type (float32, int32 or
 * bool), so that copies between tensors of one dtype are `copyWithin` calls, which allocate nothing
 * (a `subarray` per run costs more than copying a short run). Valid until the next wasm allocation.
 */
export function heapElements(backend: WasmHeapBackend, info: TensorInfo): HeapElements {
  const view = backend.typedArrayFromHeap(info) as TypedArray;
  // wasm malloc aligns to 8 bytes or more, so every tensor starts on a boundary of its element size.
  const WholeMemory = view.constructor as new (buffer: ArrayBufferLike) => TypedArray;
  return { heap: new WholeMemory(view.buffer), start: view.byteOffset / view.BYTES_PER_ELEMENT, length: view.length };
}

/**
 * The WebAssembly.Memory that holds `backend`'s tensors (tfjs-backend-wasm's emscripten module
 * exports it as asm.memory), for kernels of our own compiled against it; null if it is not there.
 */
export function wasmMemoryOf(backend: WasmHeapBackend): WasmMemory | null {
  const memory = (backend as { wasm?: { asm?: { memory?: unknown } } }).wasm?.asm?.memory;
  return isWasmMemory(memory) ? memory : null;
}
