import * as tf from '@tensorflow/tfjs-core';
import { cpuCoreCount } from '../parallel/workerCount';
import type { PixelCnn } from '../pixelcnn/model';
import { mixtureParams } from '../pixelcnn/network';
import { mixtureHeadGroups } from '../pixelcnn/topology';
import type { MixtureParams, SampleNetwork } from '../pixelcnn/types';
import type { LayerValueSource } from './pixelCnnGraph';
import { PIXEL_CNN_GRAPH_IO, pixelCnnGraph, UnsupportedNetworkError } from './pixelCnnGraph';
import type { SyncSession } from './syncSession';
import { createSyncSession, hasSyncSessions } from './syncSession';

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
  const outputs = PIXEL_CNN_GRAPH_IO.outputs.slice(0, mixtureHeadGroups(model.config, channels).length);
  const sessions = new Map<number, SyncSession | null>();
  const sessionFor = (rows: number): SyncSession | null => {
    if (!sessions.has(rows)) {
      try {
        sessions.set(rows, createSyncSession(pixelCnnGraph(model.config, [rows, width, channels], source), threads));
      } catch (error) {
        if (!(error instanceof UnsupportedNetworkError)) {
          throw error;
        }
        sessions.set(rows, null);
      }
    }
    return sessions.get(rows) ?? null;
  };
  return {
    params: (filled: tf.Tensor4D): MixtureParams | null => {
      const session = sessionFor(filled.shape[1]);
      if (!session) {
        return null;
      }
      const pixels = Uint8Array.from(filled.dataSync());
      const results = session.runAll({ [PIXEL_CNN_GRAPH_IO.pixels]: { values: pixels, dims: filled.shape } }, outputs);
      const [logits, locs, rawScales, coeffs] = outputs.map((name) => tf.tensor4d(results[name].values, results[name].dims as [number, number, number, number]));
      return mixtureParams(model.config, channels, logits, locs, rawScales, coeffs ?? null);
    },
    dispose: () => {
      for (const session of sessions.values()) {
        session?.release();
      }
      sessions.clear();
    },
  };
}

/** Sampling passes on ONNX Runtime with a thread per core where the active backend is a CPU one and it loads; else null. */
export function cpuSampleNetwork(model: PixelCnn): NativeSampleNetwork | null {
  const backend = tf.getBackend();
  return backend === 'wasm' || backend === 'cpu' ? nativeSampleNetwork(model, cpuCoreCount()) : null;
}
