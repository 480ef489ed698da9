import * as tf from '@tensorflow/tfjs-core';
import { discretizedLogisticMixtureLogProb } from '../pixelcnn/likelihood';
import type { PixelCnn } from '../pixelcnn/model';
import { mixtureParams } from '../pixelcnn/network';
import type { OnnxRuntime, OnnxSession } from './onnxRuntime';
import { PIXEL_CNN_GRAPH_IO, pixelCnnGraph } from './pixelCnnGraph';

/**
 * A PixelCNN++'s log-likelihoods with its network on ONNX Runtime (native, multi-threaded CPU
 * kernels): the network runs there, the mixture likelihood on TensorFlow.js from its outputs,
 * with the same code as `PixelCnn.logProb`. The weights are copied: later training does not reach it.
 */
export class NativeLogProb {
  private constructor(
    private readonly model: PixelCnn,
    private readonly runtime: OnnxRuntime,
    private readonly session: OnnxSession,
  ) {}

  /** Exports `model`'s network and loads it with `threads` intra-op threads. */
  static async create(model: PixelCnn, runtime: OnnxRuntime, threads: number): Promise<NativeLogProb> {
    const graph = pixelCnnGraph(model.config, model.imageShape, model);
    const session = await runtime.InferenceSession.create(graph, {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
      executionMode: 'sequential',
    });
    return new NativeLogProb(model, runtime, session);
  }

  /**
   * log p(x) of `count` images in `pixels` (row-major [N, H, W, C], values low..high): one sum per
   * image, or per pixel ([N × H × W], channels summed) with `perPixel`. Runs on this thread.
   */
  async logProb(pixels: Uint8Array, count: number, perPixel: boolean): Promise<Float32Array> {
    const shape = this.model.imageShape;
    const outputs = await this.session.run({ [PIXEL_CNN_GRAPH_IO.pixels]: new this.runtime.Tensor('uint8', pixels, [count, ...shape]) });
    const result = tf.tidy(() => {
      const [logits, locs, rawScales, coeffs] = PIXEL_CNN_GRAPH_IO.outputs.map((name) => {
        const output = outputs[name];
        return output ? tf.tensor4d(output.data as Float32Array, output.dims as [number, number, number, number]) : null;
      });
      if (!logits || !locs || !rawScales) {
        throw new Error('the ONNX Runtime session returned no mixture parameters');
      }
      const params = mixtureParams(this.model.config, shape[2], logits, locs, rawScales, coeffs ?? null);
      const values = tf.tensor4d(Float32Array.from(pixels), [count, ...shape]);
      const perPixelLogProb = discretizedLogisticMixtureLogProb(params, values, this.model.range);
      return perPixel ? perPixelLogProb : tf.sum(perPixelLogProb, [1, 2]);
    });
    const values = (await result.data()) as Float32Array;
    result.dispose();
    return values;
  }

  /** Frees the session. */
  async dispose(): Promise<void> {
    await this.session.release();
  }
}
