import type { FitConfig, FitProgress, EpochRecord, ModelRole, PixelCnnConfig } from '../../protocol/detector';

export type { DetectorThreshold, EpochRecord, FitConfig, FitProgress, LearningRateSchedule, ModelRole, OutlierType } from '../../protocol/detector';

/**
 * What computes the training steps: `tfjs`, the active TensorFlow.js backend op by op; `onnx-cpu`,
 * `onnx-webgpu` and `onnx-cuda`, the whole step as one ONNX graph on ONNX Runtime's CPU, WebGPU or CUDA provider (no
 * weight norm); `auto`, `onnx-cpu` where the backend is a CPU one and it can run, else `tfjs` (on
 * a GPU tfjs-webgpu stays the default until a GPU measurement shows the graph faster there).
 */
export type TrainingEngine = 'auto' | 'tfjs' | 'onnx-cpu' | 'onnx-webgpu' | 'onnx-cuda';

/** Every training engine name, for flags and settings. */
export const TRAINING_ENGINES: readonly TrainingEngine[] = ['auto', 'tfjs', 'onnx-cpu', 'onnx-webgpu', 'onnx-cuda'];

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
}

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
