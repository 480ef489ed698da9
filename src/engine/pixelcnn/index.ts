/** PixelCNN++ on TensorFlow.js: the model, its configuration and the mixture likelihood. */
export { PixelCnn } from './model';
export type { LogProbOptions, OptimizerOptions, SampleOptions } from './model';
export type { ImageShape, MixtureParams, PixelCnnConfig, ResnetActivation, SampleNetwork } from './types';
export { PRESETS, TFP_DEFAULTS } from './constants';
export type { PresetName } from './constants';
export { validateConfig, validateImageShape } from './validateConfig';
export { discretizedLogisticMixtureLogProb, toUnitScale } from './likelihood';
export { pixelCnnNetwork, kernelGeometry } from './network';
export { MODEL_FORMAT, decodeModel, encodeModel, readModelFolder, writeModelFolder } from './weightsFile';
export type { ModelArtifacts, ModelFileManifest } from './weightsFile';
