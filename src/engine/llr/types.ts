import type { BackendName } from '../backend/types';
import type { PixelCnnConfig } from '../pixelcnn';
import type { ThresholdSetting } from '../../protocol/scanResults';

/** Which of the detector's two models. */
export type ModelRole = 'semantic' | 'background';

/** `constant`: the same step size throughout (the seed); `linear`: from `learningRate` down to 0 at the last step. */
export type LearningRateSchedule = 'constant' | 'linear';

/**
 * What computes the training steps: `tfjs`, the active TensorFlow.js backend op by op; `onnx-cpu`,
 * the whole step as one ONNX graph on ONNX Runtime's CPU provider (no weight norm);
 * `auto`, `onnx-cpu` where the backend is a CPU one and it can run, else `tfjs`.
 */
export type TrainingEngine = 'auto' | 'tfjs' | 'onnx-cpu';

/** Every training engine name, for flags and settings. */
export const TRAINING_ENGINES: readonly TrainingEngine[] = ['auto', 'tfjs', 'onnx-cpu'];

/** How both models are trained (alibi-detect's `LLR.fit` arguments, plus what the paper tunes). */
export interface FitConfig {
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  /** How the step size moves over training: held, or lowered linearly to 0 by the last step. */
  readonly learningRateSchedule: LearningRateSchedule;
  /** Probability μ that a pixel of the background model's data is replaced (Ren et al.: 0.1–0.3). */
  readonly mutationRate: number;
  /** L2 weight λ on the background model's kernels (the paper's best: 10–100 ... 0 in the seed). */
  readonly l2Background: number;
  /** Seeds the weights, shuffles and mutations: the same seed and data give the same detector. */
  readonly seed: number;
  /** Fraction of the images held out to report validation NLL per epoch (0 = none). */
  readonly validationFraction: number;
}

/** Progress of training, sent every few steps. */
export interface FitProgress {
  readonly model: ModelRole;
  readonly epoch: number;
  readonly epochs: number;
  readonly step: number;
  readonly stepsPerEpoch: number;
  /** Latest mean NLL per image, nats. */
  readonly loss: number;
  readonly bitsPerDim: number;
  /** Estimated seconds to the end of the whole fit. */
  readonly etaSeconds: number;
}

/** One epoch of one model's training curve. */
export interface EpochRecord {
  readonly model: ModelRole;
  readonly epoch: number;
  readonly loss: number;
  readonly bitsPerDim: number;
  readonly validationLoss: number | null;
  readonly validationBitsPerDim: number | null;
  readonly seconds: number;
}

/** Options of `fitDetector`. */
export interface FitOptions extends Partial<FitConfig> {
  readonly semanticConfig?: Partial<PixelCnnConfig>;
  readonly backgroundConfig?: Partial<PixelCnnConfig>;
  readonly onProgress?: (progress: FitProgress) => void;
  readonly onEpoch?: (record: EpochRecord) => void;
  /** Stops training within one batch; the fit then rejects with an AbortError. */
  readonly signal?: AbortSignal;
  /** Steps between reads of the loss from the device (each read waits for the device). */
  readonly lossReadInterval?: number;
  /**
   * A folder where each model's training is saved after every epoch (`semantic.checkpoint`,
   * `background.checkpoint`); a fit of the same images and settings goes on from what it finds there.
   */
  readonly checkpointFolder?: string;
  /** Called when a model's training goes on from its checkpoint, with the epochs it had done. */
  readonly onResume?: (model: ModelRole, epochsDone: number) => void;
  /**
   * Where given, a checkpoint in `checkpointFolder` that a model cannot go on from (other training's,
   * or damaged) is reported here and that model trains afresh; without it, such a checkpoint is an error.
   */
  readonly onCheckpointSetAside?: (model: ModelRole, reason: string) => void;
  /** What computes the training steps (default `auto`). */
  readonly trainingEngine?: TrainingEngine;
  /** Train the two models at once in worker threads on `backend` (CPU backends: one core each). */
  readonly workers?: { readonly backend: BackendName; readonly count: number };
}

/** Whether a score is per image or per pixel. */
export type OutlierType = 'instance' | 'feature';

/** Result layout of `predict`, as alibi-detect's. */
export interface Prediction {
  readonly meta: { readonly name: 'LLR'; readonly detectorType: 'outlier'; readonly dataType: 'image'; readonly version: string };
  readonly data: {
    readonly isOutlier: Uint8Array;
    readonly instanceScore: Float32Array | null;
    /** Per-pixel scores, [N × H × W] row-major. */
    readonly featureScore: Float32Array | null;
  };
}

/** A detector's threshold together with the outlier type it applies to. */
export interface DetectorThreshold extends ThresholdSetting {
  readonly outlierType: OutlierType;
}
