/** The parts of onnxruntime-node's public API this project uses (the package is optional). */
export interface OnnxRuntime {
  readonly Tensor: new (type: 'float32' | 'uint8', data: Float32Array | Uint8Array, dims: readonly number[]) => unknown;
  readonly env: { readonly versions: { readonly node?: string } };
}

/** The runtime, or why it cannot be used here. */
export type OnnxRuntimeLoad = { readonly runtime: OnnxRuntime; readonly version: string } | { readonly runtime: null; readonly reason: string };

/** Set to `off` to score on TensorFlow.js even where ONNX Runtime loads (e.g. to compare the two). */
export const ONNX_RUNTIME_VARIABLE = 'OUTLIER_LENS_ONNX_RUNTIME';

let loaded: OnnxRuntimeLoad | undefined;

/**
 * onnxruntime-node, if it is installed and its native library loads on this platform (it ships
 * prebuilt for Linux, macOS and Windows on x64 and arm64); otherwise the reason. Loaded once.
 */
export function loadOnnxRuntime(): OnnxRuntimeLoad {
  if (process.env[ONNX_RUNTIME_VARIABLE] === 'off') {
    return { runtime: null, reason: `${ONNX_RUNTIME_VARIABLE}=off` };
  }
  if (!loaded) {
    try {
      // A plain require, so that bundles keep it external and a missing package is an error here.
      const runtime = require('onnxruntime-node') as OnnxRuntime;
      loaded = { runtime, version: runtime.env.versions.node ?? 'unknown version' };
    } catch (error) {
      loaded = { runtime: null, reason: `onnxruntime-node does not load: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` };
    }
  }
  return loaded;
}
