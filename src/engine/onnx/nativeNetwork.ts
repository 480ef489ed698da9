import * as tf from '@tensorflow/tfjs-core';
import type { PixelCnn } from '../pixelcnn/model';
import { mixtureParams } from '../pixelcnn/network';
import { mixtureHeadGroups } from '../pixelcnn/topology';
import type { ImageShape, MixtureParams } from '../pixelcnn/types';
import { nchwcBlockSize } from './nchwcBlockSize';
import type { LayerValueSource } from './pixelCnnGraph';
import { PIXEL_CNN_GRAPH_IO, pixelCnnGraph } from './pixelCnnGraph';
import type { SyncSession } from './syncSession';
import { createSyncSession, hasSyncSessions } from './syncSession';

/** A PixelCNN++'s network on ONNX Runtime for images of one shape (its weights copied in). */
export class NativeNetwork {
  private constructor(
    private readonly model: PixelCnn,
    private readonly imageShape: ImageShape,
    private readonly session: SyncSession,
    private readonly outputs: readonly string[],
  ) {}

  /**
   * `model`'s network for images of `imageShape` on `threads` threads, with the weights of `source`
   * (the model's own unless given), in the runtime's blocked layout where it has one (see
   * `nchwcBlockSize`); null where synchronous sessions cannot be made. Throws
   * UnsupportedNetworkError for a network the exporter cannot write.
   */
  static create(model: PixelCnn, imageShape: ImageShape, threads: number, source: LayerValueSource = model): NativeNetwork | null {
    if (!hasSyncSessions()) {
      return null;
    }
    const session = createSyncSession(pixelCnnGraph(model.config, imageShape, source, nchwcBlockSize()), threads);
    const outputs = PIXEL_CNN_GRAPH_IO.outputs.slice(0, mixtureHeadGroups(model.config, imageShape[2]).length);
    return session ? new NativeNetwork(model, imageShape, session, outputs) : null;
  }

  /** The mixture parameters of `count` uint8 images in `pixels` (values low..high), as tensors the caller frees. */
  params(pixels: Uint8Array, count: number): MixtureParams {
    // ONNX Runtime's binding takes no view of a SharedArrayBuffer (worker threads share images so): such pixels are copied.
    const values = pixels.buffer instanceof SharedArrayBuffer ? new Uint8Array(pixels) : pixels;
    const results = this.session.runAll({ [PIXEL_CNN_GRAPH_IO.pixels]: { values, dims: [count, ...this.imageShape] } }, this.outputs);
    const [logits, locs, rawScales, coeffs] = this.outputs.map((name) => tf.tensor4d(results[name].values, results[name].dims as [number, number, number, number]));
    return mixtureParams(this.model.config, this.imageShape[2], logits, locs, rawScales, coeffs ?? null);
  }

  /** Frees the session. */
  release(): void {
    this.session.release();
  }
}
