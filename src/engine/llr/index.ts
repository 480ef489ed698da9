/** The likelihood-ratio detector: mutation, training of both models, scores, thresholds, predictions. */
export { LlrDetector } from './detector';
export type { FeatureScores, InstanceScores, PredictOptions, ScoreOptions, ThresholdRequest } from './detector';
export { fitModels, resolveFitConfig, bitsPerDim, NonFiniteLossError } from './fit';
export type { FitResult } from './fit';
export { LEARNING_RATE_SCHEDULES } from './learningRate';
export { mutate } from './mutate';
export type { MutationOptions } from './mutate';
export { AbortError } from './abort';
export { SEED_FIT_CONFIG, DETECTOR_VERSION } from './constants';
export { toImageSet, selectImages, imageSize, greyToRgb } from './imageSet';
export type { ImageSet } from './imageSet';
export type * from './types';
export { PRESET_FIT } from './presets';
export { TENSORFLOW_SCORING } from './strategies';
export type { InstanceScorer, ModelTrainer, ScoringPlan } from './strategies';
