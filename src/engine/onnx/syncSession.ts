import { loadOnnxRuntime } from './onnxRuntime';

/** A float32 input of a synchronous run: values (any view, e.g. into wasm memory) and dimensions. */
export interface SyncInput {
  readonly values: Float32Array;
  readonly dims: readonly number[];
}

/** A loaded model that runs synchronously on this thread, as a tfjs kernel must. */
export interface SyncSession {
  /** Runs the model; returns the float32 output `output` (a copy the caller owns). */
  run(inputs: Readonly<Record<string, SyncInput>>, output: string): Float32Array;
}

/** onnxruntime-node's binding session (under its Promise API). */
interface BindingSession {
  loadModel(buffer: ArrayBuffer, byteOffset: number, byteLength: number, options: Record<string, unknown>): void;
  run(feeds: Record<string, unknown>, fetches: Record<string, null>, options: Record<string, unknown>): Record<string, { data: unknown }>;
}

interface Binding {
  readonly binding: { InferenceSession: new () => BindingSession };
  readonly initOrt: () => void;
}

type TensorConstructor = new (type: 'float32', data: Float32Array, dims: readonly number[]) => unknown;

let binding: { readonly binding: Binding; readonly Tensor: TensorConstructor } | null | undefined;

/** Whether synchronous sessions can be made here (onnxruntime-node loads and exports its binding). */
export function hasSyncSessions(): boolean {
  if (binding === undefined) {
    binding = null;
    const load = loadOnnxRuntime();
    if (load.runtime) {
      try {
        const loaded = require('onnxruntime-node/dist/binding') as Binding;
        loaded.initOrt();
        binding = { binding: loaded, Tensor: (load.runtime as unknown as { Tensor: TensorConstructor }).Tensor };
      } catch {
        binding = null;
      }
    }
  }
  return binding !== null;
}

/**
 * `model` loaded on ONNX Runtime with one thread (training runs a model per core), to be run
 * synchronously; null where onnxruntime-node does not load. The public API runs sessions behind a
 * Promise, so this uses the package's binding, which the pinned version (1.30.0) exports as
 * `dist/binding`: anything unexpected there gives null, and the caller keeps its own kernels.
 */
export function createSyncSession(model: Uint8Array): SyncSession | null {
  if (!hasSyncSessions() || !binding) {
    return null;
  }
  const { Tensor } = binding;
  const session = new binding.binding.binding.InferenceSession();
  session.loadModel(model.buffer as ArrayBuffer, model.byteOffset, model.byteLength, {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
  });
  return {
    run: (inputs, output) => {
      const feeds = Object.fromEntries(Object.entries(inputs).map(([name, input]) => [name, new Tensor('float32', input.values, input.dims)]));
      const result = session.run(feeds, { [output]: null }, {})[output];
      if (!result) {
        throw new Error(`the ONNX Runtime session returned no '${output}'`);
      }
      return result.data as Float32Array;
    },
  };
}
