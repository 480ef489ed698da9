import type { PresetName } from '../pixelcnn';
import type { FitConfig } from './types';
import { SEED_FIT_CONFIG } from './constants';

/**
 * Training settings that go with each model preset, for the CLI and the extension alike: `seed` is
 * alibi-detect's notebook (Adam 1e-4, 20 epochs, batch 32); `fast` trains in minutes on a CPU: a
 * larger learning rate falling linearly to 0, few epochs, an L2 penalty on the background model and
 * the low end of the paper's mutation rates, each chosen by the runs in docs/measurements.md
 * ("The fast preset's settings").
 */
export const PRESET_FIT: Readonly<Record<PresetName, FitConfig>> = {
  seed: SEED_FIT_CONFIG,
  fast: { ...SEED_FIT_CONFIG, epochs: 2, batchSize: 32, learningRate: 2e-3, learningRateSchedule: 'linear', l2Background: 50, mutationRate: 0.1 },
};
