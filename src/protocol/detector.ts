/**
 * The detector as every runtime sees it: its configuration, training curves and manifest. These are
 * plain data (files on disk, messages between processes); the engine's modules re-export them.
 */
import type { ThresholdSetting } from './scanResults';

/** A compute backend Outlier Lens can run on, best first. */
export type BackendName = 'webgpu' | 'tensorflow' | 'wasm' | 'cpu';

/** What the user asks for: one backend, or the best that works here. */
export type BackendChoice = 'auto' | BackendName;

/** Names of the ready-made PixelCNN++ configurations. */
export type PresetName = 'seed' | 'fast';

/** Height, width and channels of the images a model describes (channels 1 = gray, 3 = RGB). */
export type ImageShape = readonly [height: number, width: number, channels: number];

/** Activation used inside the gated resnet blocks. */
export type ResnetActivation = 'concat_elu' | 'elu' | 'relu';

/**
 * PixelCNN++ hyper-parameters, with TensorFlow Probability's names in camelCase
 * (`tfp.distributions.PixelCNN`).
 */
export interface PixelCnnConfig {
  /** Gated resnet layers in each block of the U-net. */
  readonly numResnet: number;
  /** Blocks of the U-net, separated by stride-2 down- and up-sampling. */
  readonly numHierarchies: number;
  /** Channels of every hidden layer. */
  readonly numFilters: number;
  /** Components of the discretized logistic mixture per pixel. */
  readonly numLogisticMix: number;
  /** Rows (including the current one) and columns (odd) of the causal receptive field of a layer. */
  readonly receptiveFieldDims: readonly [rows: number, cols: number];
  /** Dropout rate inside the resnet blocks, during training only. */
  readonly dropoutP: number;
  /** Activation inside the resnet blocks. */
  readonly resnetActivation: ResnetActivation;
  /** L2 penalty on every kernel, added to the loss as `l2Weight · Σ w² / 2`. */
  readonly l2Weight: number;
  /** Weight normalisation of every kernel (Salimans & Kingma 2016). */
  readonly useWeightNorm: boolean;
  /** Largest pixel value. */
  readonly high: number;
  /** Smallest pixel value. */
  readonly low: number;
}

/** Which of the detector's two models. */
export type ModelRole = 'semantic' | 'background';

/** `constant`: the same step size throughout (the seed); `linear`: from `learningRate` down to 0 at the last step. */
export type LearningRateSchedule = 'constant' | 'linear';

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

/** Whether a score is per image or per pixel. */
export type OutlierType = 'instance' | 'feature';

/** A detector's threshold together with the outlier type it applies to. */
export interface DetectorThreshold extends ThresholdSetting {
  readonly outlierType: OutlierType;
}

/** How to set a threshold: a percentile of scores, a false-positive rate on known inliers, or a value. */
export type ThresholdRequest =
  | { readonly method: 'percentile'; readonly percentile: number; readonly outlierType?: OutlierType }
  | { readonly method: 'fpr'; readonly fpr: number; readonly outlierType?: OutlierType }
  | { readonly method: 'absolute'; readonly value: number; readonly outlierType?: OutlierType };

/** What the detector was trained on, to tell a user which data a detector knows. */
export interface DataFingerprint {
  /** The folder or data set name. */
  readonly source: string;
  readonly imageCount: number;
  /** SHA-256 of the training pixels, hex. */
  readonly sha256: string;
}

/** `manifest.json` of a detector folder; both models' weights sit in `semantic/` and `background/`. */
export interface DetectorManifest {
  readonly format: 'outlier-lens/detector';
  readonly formatVersion: number;
  readonly name: string;
  readonly createdAt: string;
  readonly imageShape: ImageShape;
  readonly models: { readonly semantic: PixelCnnConfig; readonly background: PixelCnnConfig };
  readonly fit: FitConfig;
  readonly threshold: DetectorThreshold | null;
  readonly history: readonly EpochRecord[];
  readonly data: DataFingerprint | null;
  /** The backend that trained it, e.g. "wasm: XNNPACK, SIMD, 1 thread". */
  readonly backend: string;
  readonly trainingSeconds: number | null;
  /** The signals of known inliers held out at fit time, for tail probabilities; null in detectors made before version 2. */
  readonly calibration: DetectorCalibration | null;
}

/**
 * What a detector knows of its inliers' signals: each measure on images it did not train on
 * (the training hold-out, or a folder marked as inliers), sorted ascending, for tail probabilities.
 */
export interface DetectorCalibration {
  readonly version: number;
  /** Where the inliers came from, e.g. "training hold-out (10 %)" or a folder. */
  readonly source: string;
  readonly imageCount: number;
  readonly reference: CalibrationReference;
}

/** Sorted values of each calibrated measure on the known inliers. */
export interface CalibrationReference {
  /** The likelihood ratio, −(log p_s − log p_b). */
  readonly llr: number[];
  /** log p_semantic, for typicality. */
  readonly semanticLogProb: number[];
  readonly brightness: number[];
  readonly entropy: number[];
  readonly sharpness: number[];
}
