import type { PixelCnnConfig } from './types';

/** TensorFlow Probability's defaults for `tfp.distributions.PixelCNN` (weight norm off: see README). */
export const TFP_DEFAULTS: PixelCnnConfig = {
  numResnet: 5,
  numHierarchies: 3,
  numFilters: 160,
  numLogisticMix: 10,
  receptiveFieldDims: [3, 3],
  dropoutP: 0.5,
  resnetActivation: 'concat_elu',
  l2Weight: 0,
  useWeightNorm: false,
  high: 255,
  low: 0,
};

import type { PresetName } from '../../protocol/detector';

export type { PresetName } from '../../protocol/detector';

/** Ready-made configurations: `seed` is alibi-detect's od_llr_mnist model; `fast` trains in minutes on 2 CPU cores. */
export const PRESETS: Readonly<Record<PresetName, PixelCnnConfig>> = {
  seed: {
    ...TFP_DEFAULTS,
    numResnet: 5,
    numHierarchies: 2,
    numFilters: 32,
    numLogisticMix: 1,
    receptiveFieldDims: [3, 3],
    dropoutP: 0.3,
  },
  fast: {
    ...TFP_DEFAULTS,
    numResnet: 1,
    // A third, 7×7 level for 11 % more work (0.103 GFLOP an image): with one resnet layer a level, two levels let
    // the last pixel of a 28×28 image see half the pixels before it, three nearly all of them.
    numHierarchies: 3,
    numFilters: 16,
    numLogisticMix: 1,
    receptiveFieldDims: [3, 3],
    dropoutP: 0,
  },
};
