import * as tf from '@tensorflow/tfjs-core';
import { cpuCoreCount } from '../parallel/workerCount';
import type { PixelCnn, SampleOptions } from '../pixelcnn/model';
import { isCpuBackend } from '../backend/types';
import type { MixtureParams, SampleNetwork } from '../pixelcnn/types';
import { NativeNetwork } from './nativeNetwork';
import type { LayerValueSource } from './pixelCnnGraph';
import { UnsupportedNetworkError } from './pixelCnnGraph';
import { hasSyncSessions } from './syncSession';

/** Sampling passes on ONNX Runtime; `dispose()` frees their sessions. */
export interface NativeSampleNetwork extends SampleNetwork {
  dispose(): void;
}

/**
 * `model`'s network on ONNX Runtime with `threads` threads for sampling: one session per row count
 * (a pass sees only the rows drawn so far), made on first use from weights read once. Null where
 * ONNX Runtime does not load or the values do not fit its uint8 input; a pass it cannot export
 * (the first row, which reads only padding) is left to TensorFlow.js.
 */
export function nativeSampleNetwork(model: PixelCnn, threads: number): NativeSampleNetwork | null {
  if (!hasSyncSessions() || model.config.low < 0 || model.config.high > 255) {
    return null;
  }
  const [, width, channels] = model.imageShape;
  const weights = new Map<string, { kernel: Float32Array; bias: Float32Array }>();
  const source: LayerValueSource = {
    layerValues: (name, kernelShape) => {
      const key = `${name}:${kernelShape.join('x')}`;
      let values = weights.get(key);
      if (!values) {
        values = model.layerValues(name, kernelShape);
        weights.set(key, values);
      }
      return values;
    },
  };
  const networks = new Map<number, NativeNetwork | null>();
  const networkFor = (rows: number): NativeNetwork | null => {
    if (!networks.has(rows)) {
      try {
        networks.set(rows, NativeNetwork.create(model, [rows, width, channels], threads, source));
      } catch (error) {
        if (!(error instanceof UnsupportedNetworkError)) {
          throw error;
        }
        networks.set(rows, null);
      }
    }
    return networks.get(rows) ?? null;
  };
  return {
    params: (filled: tf.Tensor4D): MixtureParams | null =>
      networkFor(filled.shape[1])?.params(Uint8Array.from(filled.dataSync()), filled.shape[0]) ?? null,
    dispose: () => {
      for (const network of networks.values()) {
        network?.release();
      }
      networks.clear();
    },
  };
}

/**
 * `model.sample(count, options)` with its passes on ONNX Runtime, a thread per core, where the
 * active backend is a CPU one and ONNX Runtime loads (3x TensorFlow.js on wasm here).
 */
export async function sampleOnCpuNatively(model: PixelCnn, count: number, options: SampleOptions = {}): Promise<tf.Tensor4D> {
  const network = isCpuBackend(tf.getBackend()) ? nativeSampleNetwork(model, cpuCoreCount()) : null;
  try {
    return await model.sample(count, { ...options, network: network ?? undefined });
  } finally {
    network?.dispose();
  }
}
