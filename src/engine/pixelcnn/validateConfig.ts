import { TFP_DEFAULTS } from './constants';
import type { ImageShape, PixelCnnConfig } from './types';

const ACTIVATIONS = ['concat_elu', 'elu', 'relu'];

/** Fills TFP's defaults into `partial` and throws a clear error for any value the model cannot use. */
export function validateConfig(partial: Partial<PixelCnnConfig> = {}): PixelCnnConfig {
  const config: PixelCnnConfig = { ...TFP_DEFAULTS, ...partial };
  requirePositiveInteger('numResnet', config.numResnet);
  requirePositiveInteger('numHierarchies', config.numHierarchies);
  requirePositiveInteger('numFilters', config.numFilters);
  requirePositiveInteger('numLogisticMix', config.numLogisticMix);
  const dims = config.receptiveFieldDims;
  if (!Array.isArray(dims) || dims.length !== 2) {
    throw new Error(`receptiveFieldDims must be [rows, cols], got ${JSON.stringify(dims)}`);
  }
  const [rows, cols] = dims;
  if (!Number.isInteger(rows) || rows < 3) {
    throw new Error(`receptiveFieldDims rows must be an integer ≥ 3, got ${rows}`);
  }
  if (!Number.isInteger(cols) || cols < 3 || cols % 2 === 0) {
    throw new Error(`receptiveFieldDims cols must be an odd integer ≥ 3, got ${cols}`);
  }
  if (!(config.dropoutP >= 0 && config.dropoutP < 1)) {
    throw new Error(`dropoutP must be in [0, 1), got ${config.dropoutP}`);
  }
  if (!ACTIVATIONS.includes(config.resnetActivation)) {
    throw new Error(`resnetActivation must be one of ${ACTIVATIONS.join(', ')}, got ${String(config.resnetActivation)}`);
  }
  if (!(config.l2Weight >= 0) || !Number.isFinite(config.l2Weight)) {
    throw new Error(`l2Weight must be a finite number ≥ 0, got ${config.l2Weight}`);
  }
  if (typeof config.useWeightNorm !== 'boolean') {
    throw new Error(`useWeightNorm must be true or false, got ${String(config.useWeightNorm)}`);
  }
  if (!Number.isInteger(config.low) || !Number.isInteger(config.high) || config.high <= config.low) {
    throw new Error(`low and high must be integers with low < high, got low ${config.low}, high ${config.high}`);
  }
  return { ...config, receptiveFieldDims: [rows, cols] };
}

/** Throws unless `shape` is [height, width, 1 | 3] with positive sizes. */
export function validateImageShape(shape: readonly number[]): ImageShape {
  const [height, width, channels] = shape;
  if (shape.length !== 3 || !(height >= 1) || !(width >= 1) || !Number.isInteger(height) || !Number.isInteger(width)) {
    throw new Error(`image shape must be [height, width, channels] with positive integer sizes, got [${shape.join(', ')}]`);
  }
  if (channels !== 1 && channels !== 3) {
    throw new Error(`image channels must be 1 (gray) or 3 (RGB), got ${channels}`);
  }
  return [height, width, channels];
}

function requirePositiveInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${name} must be a positive integer, got ${value}`);
  }
}
