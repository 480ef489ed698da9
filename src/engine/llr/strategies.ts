import type { PixelCnn } from '../pixelcnn';
import type { FitResult } from './fit';
import type { ImageSet } from './imageSet';
import type { FitOptions } from './types';

/** Trains a detector's two models: in this thread (`fitModels`) or elsewhere (worker threads). */
export type ModelTrainer = (images: ImageSet, options: FitOptions) => Promise<FitResult>;

/** Both models' log-likelihoods of a set of images, computed elsewhere than this thread (worker threads). */
export interface InstanceScorer {
  score(
    images: ImageSet,
    batchSize: number,
    signal?: AbortSignal,
    onProgress?: (done: number, total: number) => void,
  ): Promise<{ semanticLogProb: Float32Array; backgroundLogProb: Float32Array }>;
  dispose(): Promise<void>;
}

/** How a detector scores, decided once, when it is built, from the backend and what loads (see src/engine/strategies). */
export interface ScoringPlan {
  /** Run both networks on ONNX Runtime in this thread, with this many threads, where they export; null: TensorFlow.js. */
  readonly onnxRuntimeThreads: number | null;
  /** Score sets of two batches or more with these worker threads; null: in this thread. */
  readonly workers: { readonly count: number; readonly start: (semantic: PixelCnn, background: PixelCnn) => InstanceScorer } | null;
}

/** Everything on TensorFlow.js in this thread: GPU backends, tests, and where nothing else loads. */
export const TENSORFLOW_SCORING: ScoringPlan = { onnxRuntimeThreads: null, workers: null };
