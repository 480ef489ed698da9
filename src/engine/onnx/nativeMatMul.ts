import { OnnxGraph, OnnxType } from './onnxGraph';
import { loadOnnxRuntime } from './onnxRuntime';

/** onnxruntime-node's synchronous session (its binding; the public API wraps it in a Promise). */
interface SyncSession {
  loadModel(buffer: ArrayBuffer, byteOffset: number, byteLength: number, options: Record<string, unknown>): void;
  run(feeds: Record<string, unknown>, fetches: Record<string, null>, options: Record<string, unknown>): Record<string, { data: unknown }>;
}

/** The float32 product of a [rows, inner] and an [inner, columns] row-major matrix, computed natively. */
export type NativeMatMul = (a: Float32Array, b: Float32Array, rows: number, inner: number, columns: number) => Float32Array;

let cached: NativeMatMul | null | undefined;

/**
 * A synchronous matrix product on ONNX Runtime's SGEMM (one thread: training runs a model per core),
 * ~90 GFLOP/s a core here against ~24 for XNNPACK on wasm; null where onnxruntime-node does not load.
 * A kernel must be synchronous, so this uses the package's binding, under the Promise-based API of
 * the pinned version (1.30.0).
 */
export function nativeMatMul(): NativeMatMul | null {
  if (cached !== undefined) {
    return cached;
  }
  cached = null;
  const load = loadOnnxRuntime();
  if (!load.runtime) {
    return null;
  }
  try {
    // The binding is not part of the package's public API: anything unexpected leaves XNNPACK in charge.
    const { binding, initOrt } = require('onnxruntime-node/dist/binding') as {
      binding: { InferenceSession: new () => SyncSession };
      initOrt: () => void;
    };
    initOrt();
    const graph = new OnnxGraph();
    const a = graph.input({ name: 'a', type: OnnxType.float, dims: ['rows', 'inner'] });
    const b = graph.input({ name: 'b', type: OnnxType.float, dims: ['inner', 'columns'] });
    graph.output(graph.node('MatMul', [a, b])[0], { name: 'product', type: OnnxType.float, dims: ['rows', 'columns'] });
    const model = graph.toModel('matmul');
    const session = new binding.InferenceSession();
    session.loadModel(model.buffer as ArrayBuffer, model.byteOffset, model.byteLength, {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
    });
    const Tensor = (load.runtime as unknown as { Tensor: new (type: 'float32', data: Float32Array, dims: number[]) => unknown }).Tensor;
    cached = (aValues, bValues, rows, inner, columns) => {
      const outputs = session.run({ a: new Tensor('float32', aValues, [rows, inner]), b: new Tensor('float32', bValues, [inner, columns]) }, { product: null }, {});
      return outputs.product.data as Float32Array;
    };
  } catch {
    cached = null;
  }
  return cached;
}
