import * as tf from '@tensorflow/tfjs-core';
import type { ImageShape, PixelCnn } from '../pixelcnn';
import { percentile } from '../../common/metrics/percentile';
import { throwIfAborted, yieldToEventLoop } from './abort';
import { DETECTOR_VERSION } from './constants';
import type { FitResult } from './fit';
import { fitModels } from './fit';
import { fitModelsInWorkers } from '../parallel/fitInWorkers';
import { ScoringPool } from '../parallel/scoringPool';
import { cpuCoreCount, cpuWorkerCount } from '../parallel/workerCount';
import type { BackendName } from '../backend/types';
import { isCpuBackend } from '../backend/types';
import type { ImageSet } from './imageSet';
import { imageSize } from './imageSet';
import { scoreBatchSize } from './scoreBatchSize';
import { batchLogProbs } from './batchLogProbs';
import type { NativeLogProbPair } from '../onnx/nativeLogProb';
import { disposeNativePair, NativeLogProb } from '../onnx/nativeLogProb';
import { loadOnnxRuntime } from '../onnx/onnxRuntime';
import type { DetectorThreshold, EpochRecord, FitConfig, FitOptions, OutlierType, Prediction } from './types';
import type { ThresholdRequest } from '../../protocol/detector';

/** Per-image log-likelihoods and scores of a set of images, in input order. */
export interface InstanceScores {
  /** −(log p_semantic − log p_background) per image. */
  readonly instanceScore: Float32Array;
  readonly semanticLogProb: Float32Array;
  readonly backgroundLogProb: Float32Array;
}

/** Per-pixel maps of a set of images, each [N × H × W] row-major, channels summed. */
export interface FeatureScores {
  readonly featureScore: Float32Array;
  readonly semanticLogProb: Float32Array;
  readonly backgroundLogProb: Float32Array;
}

/** Options of the scoring calls. */
export interface ScoreOptions {
  readonly batchSize?: number;
  readonly signal?: AbortSignal;
  /** Called after each batch with images done and images in all. */
  readonly onProgress?: (done: number, total: number) => void;
}

export type { ThresholdRequest } from '../../protocol/detector';

/** Options of `predict` (alibi-detect's, always batched). */
export interface PredictOptions extends ScoreOptions {
  readonly outlierType?: OutlierType;
  readonly returnInstanceScore?: boolean;
  readonly returnFeatureScore?: boolean;
}

/**
 * The likelihood-ratio outlier detector (Ren et al. 2019): a semantic PixelCNN++ on the data and a
 * background PixelCNN++ on mutated data; an image's score is −(log p_s(x) − log p_b(x)).
 */
export class LlrDetector {
  threshold: DetectorThreshold | null = null;
  private scoringPool: ScoringPool | null = null;
  private native: NativeLogProbPair | null = null;

  constructor(
    readonly semantic: PixelCnn,
    readonly background: PixelCnn,
    readonly fitConfig: FitConfig,
    readonly history: readonly EpochRecord[] = [],
  ) {
    if (semantic.imageShape.join() !== background.imageShape.join()) {
      throw new Error(`the two models describe different image shapes: ${semantic.imageShape.join('×')} and ${background.imageShape.join('×')}`);
    }
  }

  /** Trains both models on `images` (see `fitModels`). */
  static async fit(images: ImageSet, options: FitOptions = {}): Promise<LlrDetector> {
    const result: FitResult =
      options.workers && options.workers.count >= 2 ? await fitModelsInWorkers(images, options, options.workers.backend) : await fitModels(images, options);
    return new LlrDetector(result.semantic, result.background, result.fitConfig, result.history);
  }

  /** Height, width and channels of the images the detector scores. */
  get imageShape(): ImageShape {
    return this.semantic.imageShape;
  }

  /** Whether the networks score on ONNX Runtime (see useNativeScoring), rather than TensorFlow.js. */
  get scoresNatively(): boolean {
    return this.native !== null;
  }

  /**
   * Scores with `count` worker threads on `backend` from now on (CPU backends: one core each); sets
   * with fewer than two batches still score in this thread.
   */
  useScoringWorkers(backend: BackendName, count: number): void {
    this.disposeNative();
    void this.scoringPool?.dispose();
    this.scoringPool = count >= 2 ? new ScoringPool(this.semantic, this.background, backend, count) : null;
  }

  /**
   * Scores with both networks on ONNX Runtime from now on, with `threads` threads, where it loads
   * and the network exports (on a CPU backend its native kernels run the seed network 2–3× faster
   * than wasm). Returns what scores: ONNX Runtime, or TensorFlow.js and why.
   */
  async useNativeScoring(threads: number): Promise<string> {
    const load = loadOnnxRuntime();
    if (!load.runtime) {
      return `TensorFlow.js (${load.reason})`;
    }
    let pair: NativeLogProbPair | null;
    try {
      pair = NativeLogProb.createPair(this.semantic, this.background, threads);
    } catch (error) {
      return `TensorFlow.js (ONNX Runtime cannot run this network: ${error instanceof Error ? error.message : String(error)})`;
    }
    if (!pair) {
      return 'TensorFlow.js (onnxruntime-node loads, but its session binding does not)';
    }
    this.disposeNative();
    this.native = pair;
    void this.scoringPool?.dispose();
    this.scoringPool = null;
    return `ONNX Runtime ${load.version} (${threads} thread${threads === 1 ? '' : 's'})`;
  }

  /**
   * The fastest scoring `backend` allows: on a CPU backend ONNX Runtime where it loads, with a
   * thread per core here and, for instance scores of two batches or more, one worker thread per
   * core running both networks on one thread each (data-parallel, no synchronisation inside each
   * operator: a seed-preset detector scored 50.0-52.0 img/s that way against 44.7-48.5 with both
   * networks on two threads in this thread, 512 images, five alternating rounds, 2-core VM);
   * else a TensorFlow.js worker thread per core (at most two: each holds both models); on a GPU
   * backend the backend itself. Returns what scores.
   */
  async useFastestScoring(backend: BackendName): Promise<string> {
    if (!isCpuBackend(backend)) {
      return `TensorFlow.js on ${backend}`;
    }
    const native = await this.useNativeScoring(cpuCoreCount());
    const workers = cpuWorkerCount(backend);
    if (this.native) {
      if (workers < 2) {
        return native;
      }
      this.scoringPool = new ScoringPool(this.semantic, this.background, backend, workers, true);
      return `${native}; instance scores in ${workers} worker threads, one thread each`;
    }
    this.useScoringWorkers(backend, workers);
    return workers >= 2 ? `${native}, ${workers} worker threads` : native;
  }

  /** Images per scoring batch when none is asked for: what the active backend's memory holds (see {@link scoreBatchSize}). */
  scoreBatchSize(): number {
    return scoreBatchSize(this.semantic.inferenceBytesPerImage(), tf.getBackend());
  }

  /** Instance scores and both log-likelihoods of every image, both models in one pass per batch. */
  async score(images: ImageSet, options: ScoreOptions = {}): Promise<InstanceScores> {
    this.checkShape(images);
    const batchSize = options.batchSize ?? this.scoreBatchSize();
    if (this.scoringPool && images.count >= 2 * batchSize) {
      const { semanticLogProb, backgroundLogProb } = await this.scoringPool.score(images, batchSize, options.signal, options.onProgress);
      const instanceScore = semanticLogProb.map((semantic, i) => backgroundLogProb[i] - semantic);
      return { instanceScore, semanticLogProb, backgroundLogProb };
    }
    const semanticLogProb = new Float32Array(images.count);
    const backgroundLogProb = new Float32Array(images.count);
    await this.forEachBatch(images, options, false, (semantic, background, start) => {
      semanticLogProb.set(semantic, start);
      backgroundLogProb.set(background, start);
    });
    const instanceScore = semanticLogProb.map((semantic, i) => backgroundLogProb[i] - semantic);
    return { instanceScore, semanticLogProb, backgroundLogProb };
  }

  /** Per-pixel scores and log-likelihoods of every image (for heatmaps and feature-level outliers). */
  async featureScores(images: ImageSet, options: ScoreOptions = {}): Promise<FeatureScores> {
    this.checkShape(images);
    const pixels = this.imageShape[0] * this.imageShape[1];
    const semanticLogProb = new Float32Array(images.count * pixels);
    const backgroundLogProb = new Float32Array(images.count * pixels);
    await this.forEachBatch(images, options, true, (semantic, background, start) => {
      semanticLogProb.set(semantic, start * pixels);
      backgroundLogProb.set(background, start * pixels);
    });
    const featureScore = semanticLogProb.map((semantic, i) => backgroundLogProb[i] - semantic);
    return { featureScore, semanticLogProb, backgroundLogProb };
  }

  /**
   * Sets and returns the threshold: the `percentile`-th percentile of the scores of `images` (numpy's
   * linear interpolation, as alibi), the (1 − fpr) quantile of scores of known inliers, or a value.
   */
  async inferThreshold(images: ImageSet | null, request: ThresholdRequest, options: ScoreOptions = {}): Promise<DetectorThreshold> {
    const outlierType = request.outlierType ?? 'instance';
    if (request.method === 'absolute') {
      if (!Number.isFinite(request.value)) {
        throw new Error(`threshold value must be a finite number, got ${request.value}`);
      }
      this.threshold = { method: 'absolute', value: request.value, outlierType };
      return this.threshold;
    }
    if (!images || images.count === 0) {
      throw new Error('inferring a threshold needs images to score');
    }
    const scores = outlierType === 'instance' ? (await this.score(images, options)).instanceScore : (await this.featureScores(images, options)).featureScore;
    if (request.method === 'percentile') {
      this.threshold = { method: 'percentile', percentile: request.percentile, value: percentile(scores, request.percentile), outlierType };
    } else {
      if (!(request.fpr >= 0 && request.fpr <= 1)) {
        throw new Error(`fpr must be in [0, 1], got ${request.fpr}`);
      }
      this.threshold = { method: 'fpr', fpr: request.fpr, value: percentile(scores, 100 * (1 - request.fpr)), outlierType };
    }
    return this.threshold;
  }

  /** Scores and flags `images` with alibi-detect's result layout; needs a threshold. */
  async predict(images: ImageSet, options: PredictOptions = {}): Promise<Prediction> {
    const { outlierType = 'instance', returnInstanceScore = true, returnFeatureScore = true } = options;
    if (!this.threshold) {
      throw new Error('the detector has no threshold: infer or set one first');
    }
    const threshold = this.threshold.value;
    const instance = returnInstanceScore || outlierType === 'instance' ? await this.score(images, options) : null;
    const feature = returnFeatureScore || outlierType === 'feature' ? await this.featureScores(images, options) : null;
    const decided = outlierType === 'instance' ? (instance as InstanceScores).instanceScore : (feature as FeatureScores).featureScore;
    const isOutlier = Uint8Array.from(decided, (score) => (score > threshold ? 1 : 0));
    return {
      meta: { name: 'LLR', detectorType: 'outlier', dataType: 'image', version: DETECTOR_VERSION },
      data: {
        isOutlier,
        instanceScore: returnInstanceScore && instance ? instance.instanceScore : null,
        featureScore: returnFeatureScore && feature ? feature.featureScore : null,
      },
    };
  }

  /** Frees both models and their native sessions, and stops any scoring workers. */
  dispose(): void {
    void this.scoringPool?.dispose();
    this.scoringPool = null;
    this.disposeNative();
    this.semantic.dispose();
    this.background.dispose();
  }

  private checkShape(images: ImageSet): void {
    if (images.shape.join() !== this.imageShape.join()) {
      throw new Error(`the detector scores ${this.imageShape.join('×')} images, got ${images.shape.join('×')}`);
    }
    if (images.pixels.length !== images.count * imageSize(images.shape)) {
      throw new Error(`image data holds ${images.pixels.length} values, expected ${images.count} × ${imageSize(images.shape)}`);
    }
  }

  private disposeNative(): void {
    disposeNativePair(this.native);
    this.native = null;
  }

  /**
   * Both models' log-likelihoods of `images`, a batch at a time (per image, or per pixel with
   * `perPixel`), handed to `take` with the batch's first index; on ONNX Runtime where it is in use.
   */
  private async forEachBatch(
    images: ImageSet,
    options: ScoreOptions,
    perPixel: boolean,
    take: (semantic: Float32Array, background: Float32Array, start: number) => void,
  ): Promise<void> {
    const batchSize = options.batchSize ?? this.scoreBatchSize();
    for (let start = 0; start < images.count; start += batchSize) {
      throwIfAborted(options.signal, 'scoring');
      const end = Math.min(start + batchSize, images.count);
      const { semantic, background } = await batchLogProbs(this, this.native, images, start, end, perPixel);
      take(semantic, background, start);
      options.onProgress?.(end, images.count);
      await yieldToEventLoop();
    }
  }
}
