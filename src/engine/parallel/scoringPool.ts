import type { BackendName } from '../backend/types';
import type { ImageSet } from '../llr/imageSet';
import type { PixelCnn } from '../pixelcnn/model';
import type { ModelArtifacts } from '../pixelcnn/weightsFile';
import { encodeModel } from '../pixelcnn/weightsFile';
import { ModelWorkerClient } from './modelWorkerClient';
import { shareImages } from './sharedImages';

let poolIds = 0;

/**
 * Worker threads that score with a detector's two models, one range of images each, merged in
 * order: on a CPU backend one thread is one core. Workers start on first use and keep the models;
 * with `native` each runs them on ONNX Runtime with one thread, where it loads.
 */
export class ScoringPool {
  private workers: ModelWorkerClient[] | null = null;
  private artifacts: { semantic: ModelArtifacts; background: ModelArtifacts } | null = null;
  private readonly modelsId = `models-${process.pid}-${poolIds++}`;

  constructor(
    private readonly semantic: PixelCnn,
    private readonly background: PixelCnn,
    private readonly backend: BackendName,
    readonly size: number,
    private readonly native = false,
  ) {}

  /** log p of both models for every image of `images`, in input order, and whether ONNX Runtime computed all of them. */
  async score(
    images: ImageSet,
    batchSize: number,
    signal?: AbortSignal,
    onProgress?: (done: number, total: number) => void,
  ): Promise<{ semanticLogProb: Float32Array; backgroundLogProb: Float32Array; onnxRuntime: boolean }> {
    const workers = await this.ensureWorkers();
    const artifacts = await this.ensureArtifacts();
    const shared = shareImages(images);
    const share = Math.ceil(images.count / workers.length);
    const done = new Array<number>(workers.length).fill(0);
    const cancel = (): void => workers.forEach((worker) => worker.cancel());
    signal?.addEventListener('abort', cancel);
    try {
      const parts = await Promise.all(
        workers.map((worker, index) => {
          const start = Math.min(index * share, images.count);
          const end = Math.min(start + share, images.count);
          if (start === end) {
            return Promise.resolve({ semanticLogProb: new Float32Array(0), backgroundLogProb: new Float32Array(0), onnxRuntime: this.native });
          }
          return worker.score({ modelsId: this.modelsId, images: shared, start, end, batchSize, native: this.native }, () => artifacts, (count) => {
            done[index] = count;
            onProgress?.(done.reduce((total, value) => total + value, 0), images.count);
          });
        }),
      );
      const semanticLogProb = new Float32Array(images.count);
      const backgroundLogProb = new Float32Array(images.count);
      parts.forEach((part, index) => {
        semanticLogProb.set(part.semanticLogProb, Math.min(index * share, images.count));
        backgroundLogProb.set(part.backgroundLogProb, Math.min(index * share, images.count));
      });
      return { semanticLogProb, backgroundLogProb, onnxRuntime: parts.every((part) => part.onnxRuntime) };
    } finally {
      signal?.removeEventListener('abort', cancel);
    }
  }

  /** Stops the worker threads. */
  async dispose(): Promise<void> {
    const workers = this.workers;
    this.workers = null;
    await Promise.all((workers ?? []).map((worker) => worker.terminate()));
  }

  private async ensureWorkers(): Promise<ModelWorkerClient[]> {
    if (!this.workers) {
      this.workers = await Promise.all(Array.from({ length: this.size }, () => ModelWorkerClient.start(this.backend)));
    }
    return this.workers;
  }

  private async ensureArtifacts(): Promise<{ semantic: ModelArtifacts; background: ModelArtifacts }> {
    if (!this.artifacts) {
      this.artifacts = { semantic: await encodeModel(this.semantic), background: await encodeModel(this.background) };
    }
    return this.artifacts;
  }
}
