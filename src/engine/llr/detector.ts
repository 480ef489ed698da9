import * as tf from '@tensorflow/tfjs-core';
import type { ImageShape, PixelCnn } from '../pixelcnn';
import { percentile } from '../../common/metrics/percentile';
import { isOutlierScore } from '../../common/threshold/outlierRule';
import { throwIfAborted, yieldToEventLoop } from './abort';
import { DETECTOR_VERSION } from './constants';
import { fitModels } from './fit';
import type { InstanceScorer, ModelTrainer, ScoringPlan } from './strategies';
import { TENSORFLOW_SCORING } from './strategies';
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
  private scoring: Promise<string> | null = null;
  private workers: InstanceScorer | null = null;
  private native: NativeLogProbPair | null = null;

  constructor(
    readonly semantic: PixelCnn,
    readonly background: PixelCnn,
    readonly fitConfig: FitConfig,
    readonly history: readonly EpochRecord[] = [],
    /** How it scores: chosen by whoever builds it, from the backend and what loads. */
    readonly scoringPlan: ScoringPlan = TENSORFLOW_SCORING,
  ) {
    if (semantic.imageShape.join() !== background.imageShape.join()) {
      throw new Error(`the two models describe different image shapes: ${semantic.imageShape.join('×')} and ${background.imageShape.join('×')}`);
    }
  }

  /** Trains both models on `images` with `trainer` (default: in this thread) and builds a detector that scores by `scoring`. */
  static async fit(images: ImageSet, options: FitOptions = {}, strategies: { readonly trainer?: ModelTrainer; readonly scoring?: ScoringPlan } = {}): Promise<LlrDetector> {
    const result = await (strategies.trainer ?? fitModels)(images, options);
    return new LlrDetector(result.semantic, result.background, result.fitConfig, result.history, strategies.scoring);
  }

  /** Height, width and channels of the images the detector scores. */
  get imageShape(): ImageShape {
    return this.semantic.imageShape;
  }

  /** Whether the networks score on ONNX Runtime in this thread (once scoring is prepared), rather than TensorFlow.js. */
  get scoresNatively(): boolean {
    return this.native !== null;
  }

  /**
   * Starts what the scoring plan asks for (ONNX Runtime sessions, worker threads), once; scoring
   * calls it too. Returns what scores, e.g. "ONNX Runtime 1.30.0 (2 threads); instance scores in 2
   * worker threads, one thread each", or TensorFlow.js and why.
   */
  prepareScoring(): Promise<string> {
    this.scoring ??= this.startScoring();
    return this.scoring;
  }

  private async startScoring(): Promise<string> {
    const plan = this.scoringPlan;
    const inThisThread = plan.onnxRuntimeThreads === null ? 'TensorFlow.js' : this.startNativeScoring(plan.onnxRuntimeThreads);
    if (!plan.workers) {
      return inThisThread;
    }
    this.workers = plan.workers.start(this.semantic, this.background);
    return `${inThisThread}; instance scores in ${plan.workers.count} worker threads, one thread each`;
  }

  /** Both networks on ONNX Runtime in this thread where it loads and they export; returns what scores. */
  private startNativeScoring(threads: number): string {
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
    this.native = pair;
    return `ONNX Runtime ${load.version} (${threads} thread${threads === 1 ? '' : 's'})`;
  }

  /** Images per scoring batch when none is asked for: what the active backend's memory holds (see {@link scoreBatchSize}). */
  scoreBatchSize(): number {
    return scoreBatchSize(this.semantic.inferenceBytesPerImage(), tf.getBackend());
  }

  /** Instance scores and both log-likelihoods of every image, both models in one pass per batch. */
  async score(images: ImageSet, options: ScoreOptions = {}): Promise<InstanceScores> {
    this.checkShape(images);
    await this.prepareScoring();
    const batchSize = options.batchSize ?? this.scoreBatchSize();
    if (this.workers && images.count >= 2 * batchSize) {
      const { semanticLogProb, backgroundLogProb } = await this.workers.score(images, batchSize, options.signal, options.onProgress);
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
    await this.prepareScoring();
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
    const isOutlier = Uint8Array.from(decided, (score) => (isOutlierScore(score, threshold) ? 1 : 0));
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
    void this.workers?.dispose();
    this.workers = null;
    disposeNativePair(this.native);
    this.native = null;
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
