import * as tf from '@tensorflow/tfjs-core';
import { discretizedLogisticMixtureLogProb } from '../pixelcnn/likelihood';
import type { PixelCnn } from '../pixelcnn/model';
import { NativeNetwork } from './nativeNetwork';

/** A detector's semantic and background models on ONNX Runtime. */
export interface NativeLogProbPair {
  readonly semantic: NativeLogProb;
  readonly background: NativeLogProb;
}

/** Frees both sessions of a pair (nothing where there is none). */
export function disposeNativePair(pair: NativeLogProbPair | null | undefined): void {
  pair?.semantic.dispose();
  pair?.background.dispose();
}

/**
 * A PixelCNN++'s log-likelihoods with its network on ONNX Runtime (native, multi-threaded CPU
 * kernels): the network runs there, the mixture likelihood on TensorFlow.js from its outputs,
 * with the same code as `PixelCnn.logProb`. The weights are copied: later training does not reach it.
 */
export class NativeLogProb {
  private constructor(
    private readonly model: PixelCnn,
    private readonly network: NativeNetwork,
  ) {}

  /** Exports `model`'s network and loads it with `threads` intra-op threads; null where ONNX Runtime cannot run here. */
  static create(model: PixelCnn, threads: number): NativeLogProb | null {
    const network = NativeNetwork.create(model, model.imageShape, threads);
    return network ? new NativeLogProb(model, network) : null;
  }

  /**
   * A detector's two models, each as {@link create} makes it; null where sessions cannot be made.
   * Throws UnsupportedNetworkError for a network the exporter cannot write; frees what it made first.
   */
  static createPair(semantic: PixelCnn, background: PixelCnn, threads: number): NativeLogProbPair | null {
    const semanticSession = NativeLogProb.create(semantic, threads);
    let backgroundSession: NativeLogProb | null = null;
    try {
      backgroundSession = semanticSession && NativeLogProb.create(background, threads);
    } finally {
      if (!backgroundSession) {
        semanticSession?.dispose();
      }
    }
    return semanticSession && backgroundSession ? { semantic: semanticSession, background: backgroundSession } : null;
  }

  /**
   * log p(x) of `count` images in `pixels` (row-major [N, H, W, C], values low..high): one sum per
   * image, or per pixel ([N × H × W], channels summed) with `perPixel`. Runs on this thread.
   */
  logProb(pixels: Uint8Array, count: number, perPixel: boolean): Float32Array {
    const shape = this.model.imageShape;
    return tf.tidy(() => {
      const params = this.network.params(pixels, count);
      const values = tf.tensor4d(Float32Array.from(pixels), [count, ...shape]);
      const perPixelLogProb = discretizedLogisticMixtureLogProb(params, values, this.model.range);
      return (perPixel ? perPixelLogProb : tf.sum(perPixelLogProb, [1, 2])).dataSync() as Float32Array;
    });
  }

  /** Frees the session. */
  dispose(): void {
    this.network.release();
  }
}
