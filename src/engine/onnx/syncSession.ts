import type { OnnxRuntime } from './onnxRuntime';
import { loadOnnxRuntime } from './onnxRuntime';

/** An input of a synchronous run: float32 or uint8 values (any view, e.g. into wasm memory) and dimensions. */
export interface SyncInput {
  readonly values: Float32Array | Uint8Array;
  readonly dims: readonly number[];
}

/** A loaded model that runs synchronously on this thread, as a tfjs kernel must. */
export interface SyncSession {
  /** Runs the model; returns the float32 output `output` (a copy the caller owns). */
  run(inputs: Readonly<Record<string, SyncInput>>, output: string): Float32Array;
  /**
   * Runs the model, writing the float32 output `output` straight into `into` (e.g. a tensor's
   * place in wasm memory), whose dimensions must be the output's: no copy, no allocation.
   */
  runInto(inputs: Readonly<Record<string, SyncInput>>, output: string, into: SyncInput): void;
  /** Runs the model; returns the float32 outputs `outputs` with their dimensions. */
  runAll(inputs: Readonly<Record<string, SyncInput>>, outputs: readonly string[]): Record<string, { values: Float32Array; dims: number[] }>;
  /** Frees the session. */
  release(): void;
}

/** onnxruntime-node's binding session (under its Promise API). */
interface BindingSession {
  loadModel(buffer: ArrayBuffer, byteOffset: number, byteLength: number, options: Record<string, unknown>): void;
  /** A fetch is null (the runtime allocates the output, returned as a copy) or a tensor to write into. */
  run(feeds: Record<string, unknown>, fetches: Record<string, unknown>, options: Record<string, unknown>): Record<string, { data: unknown; dims: number[] }>;
  dispose(): void;
}

interface Binding {
  readonly binding: { InferenceSession: new () => BindingSession };
  readonly initOrt: () => void;
}

let binding: { readonly binding: Binding; readonly Tensor: OnnxRuntime['Tensor'] } | null | undefined;

/** Whether synchronous sessions can be made here (onnxruntime-node loads and exports its binding). */
export function hasSyncSessions(): boolean {
  if (binding === undefined) {
    binding = null;
    const load = loadOnnxRuntime();
    if (load.runtime) {
      try {
        const loaded = require('onnxruntime-node/dist/binding') as Binding;
        loaded.initOrt();
        binding = { binding: loaded, Tensor: load.runtime.Tensor };
      } catch {
        binding = null;
      }
    }
  }
  return binding !== null;
}

/** ONNX Runtime's execution providers a session can run on: `cuda` only where its libraries are installed (not from npm). */
export type ExecutionProvider = 'cpu' | 'webgpu' | 'cuda';

/** The WebGPU provider's validation mode, where the environment asks for one. */
function webgpuValidation(): { validationMode?: string } {
  const mode = process.env.OUTLIER_LENS_WEBGPU_VALIDATION;
  return mode ? { validationMode: mode } : {};
}

/**
 * `model` loaded on ONNX Runtime with `threads` threads (one in training, which runs a model per core), on its CPU
 * provider or (`provider`) its WebGPU one, to be run
 * synchronously; null where onnxruntime-node does not load. The public API runs sessions behind a
 * Promise, so this uses the package's binding, which the pinned version (1.30.0) exports as
 * `dist/binding`: anything unexpected there gives null, and the caller keeps its own kernels.
 */
export function createSyncSession(model: Uint8Array, threads = 1, provider: ExecutionProvider = 'cpu'): SyncSession | null {
  if (!hasSyncSessions() || !binding) {
    return null;
  }
  const { Tensor } = binding;
  const session = new binding.binding.binding.InferenceSession();
  session.loadModel(model.buffer as ArrayBuffer, model.byteOffset, model.byteLength, {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    // The package's own WebGPU provider (Dawn); its inputs and outputs still pass through CPU memory here.
    // OUTLIER_LENS_WEBGPU_VALIDATION=disabled turns Dawn's validation off (scripts/gpu/run.sh measures both).
    ...(provider === 'webgpu' ? { executionProviders: [{ name: 'webgpu', ...webgpuValidation() }] } : provider === 'cpu' ? {} : { executionProviders: [{ name: provider }] }),
  });
  const tensorOf = (input: SyncInput) => new Tensor(input.values instanceof Uint8Array ? 'uint8' : 'float32', input.values, input.dims);
  const feedsOf = (inputs: Readonly<Record<string, SyncInput>>) => Object.fromEntries(Object.entries(inputs).map(([name, input]) => [name, tensorOf(input)]));
  const runAll = (inputs: Readonly<Record<string, SyncInput>>, outputs: readonly string[]): Record<string, { values: Float32Array; dims: number[] }> => {
    const results = session.run(feedsOf(inputs), Object.fromEntries(outputs.map((name) => [name, null])), {});
    return Object.fromEntries(
      outputs.map((name) => {
        const result = results[name];
        if (!result) {
          throw new Error(`the ONNX Runtime session returned no '${name}'`);
        }
        return [name, { values: result.data as Float32Array, dims: result.dims }];
      }),
    );
  };
  // A fetch given as a tensor is a pre-allocated output: the binding hands its memory to the runtime, which writes there.
  const runInto = (inputs: Readonly<Record<string, SyncInput>>, output: string, into: SyncInput): void => {
    session.run(feedsOf(inputs), { [output]: tensorOf(into) }, {});
  };
  return { runAll, runInto, run: (inputs, output) => runAll(inputs, [output])[output].values, release: () => session.dispose() };
}

/**
 * One session per distinct spec, made on first use from `graphOf(spec)` (specs compare by their
 * JSON) and kept for the process; a spec whose session cannot be made stays null, so callers fall
 * back to their own kernels without trying again.
 */
export function sessionCache<Spec>(graphOf: (spec: Spec) => Uint8Array): (spec: Spec) => SyncSession | null {
  const sessions = new Map<string, SyncSession | null>();
  return (spec) => {
    const key = JSON.stringify(spec);
    if (!sessions.has(key)) {
      sessions.set(key, createSyncSession(graphOf(spec)));
    }
    return sessions.get(key) ?? null;
  };
}
