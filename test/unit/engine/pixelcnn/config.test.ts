import * as assert from 'node:assert/strict';
import { PRESETS, TFP_DEFAULTS, validateConfig, validateImageShape } from '../../../../src/engine/pixelcnn';

describe('PixelCNN++ configuration', () => {
  it("fills in TFP's defaults", () => {
    const config = validateConfig({ numFilters: 8 });
    assert.equal(config.numFilters, 8);
    assert.equal(config.numResnet, TFP_DEFAULTS.numResnet);
    assert.equal(config.numLogisticMix, 10);
    assert.equal(config.resnetActivation, 'concat_elu');
  });

  it("matches the seed's od_llr_mnist model in the seed preset", () => {
    const { numResnet, numHierarchies, numFilters, numLogisticMix, receptiveFieldDims, dropoutP, l2Weight } = PRESETS.seed;
    assert.deepEqual({ numResnet, numHierarchies, numFilters, numLogisticMix, receptiveFieldDims, dropoutP, l2Weight }, {
      numResnet: 5, numHierarchies: 2, numFilters: 32, numLogisticMix: 1, receptiveFieldDims: [3, 3], dropoutP: 0.3, l2Weight: 0,
    });
  });

  const invalid: Array<[string, Record<string, unknown>, RegExp]> = [
    ['zero filters', { numFilters: 0 }, /numFilters must be a positive integer, got 0/],
    ['fractional resnet layers', { numResnet: 1.5 }, /numResnet must be a positive integer, got 1.5/],
    ['an even receptive-field width', { receptiveFieldDims: [3, 4] }, /cols must be an odd integer ≥ 3, got 4/],
    ['a receptive field of two rows', { receptiveFieldDims: [2, 3] }, /rows must be an integer ≥ 3, got 2/],
    ['dropout of 1', { dropoutP: 1 }, /dropoutP must be in \[0, 1\), got 1/],
    ['an unknown activation', { resnetActivation: 'tanh' }, /resnetActivation must be one of concat_elu, elu, relu, got tanh/],
    ['a negative L2 weight', { l2Weight: -1 }, /l2Weight must be a finite number ≥ 0, got -1/],
    ['high below low', { low: 10, high: 5 }, /low < high/],
  ];
  for (const [name, partial, message] of invalid) {
    it(`rejects ${name} with a clear error`, () => {
      assert.throws(() => validateConfig(partial as never), message);
    });
  }

  it('accepts gray and RGB image shapes and rejects others', () => {
    assert.deepEqual(validateImageShape([28, 28, 1]), [28, 28, 1]);
    assert.deepEqual(validateImageShape([32, 32, 3]), [32, 32, 3]);
    assert.throws(() => validateImageShape([28, 28, 4]), /channels must be 1 \(gray\) or 3 \(RGB\), got 4/);
    assert.throws(() => validateImageShape([0, 28, 1]), /positive integer sizes/);
  });
});
