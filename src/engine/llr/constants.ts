import type { FitConfig } from './types';

/** alibi-detect's od_llr_mnist training settings (Adam 1e-4, 20 epochs, batch 32, μ = 0.2). */
export const SEED_FIT_CONFIG: FitConfig = {
  epochs: 20,
  batchSize: 32,
  learningRate: 1e-4,
  learningRateSchedule: 'constant',
  mutationRate: 0.2,
  l2Background: 0,
  seed: 0,
  validationFraction: 0,
};

/** Version of the detector semantics, reported in `predict`'s meta. */
export const DETECTOR_VERSION = '1.0.0';
