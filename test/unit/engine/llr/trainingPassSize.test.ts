import * as assert from 'node:assert/strict';
import { selectBackend } from '../../../../src/engine/backend/selectBackend';
import { PixelCnn, PRESETS } from '../../../../src/engine/pixelcnn';
import { imagesPerPass, trainingPassImages } from '../../../../src/engine/llr/trainingPassSize';

describe('Images per training pass', () => {
  before(async () => {
    await selectBackend('wasm');
  });

  it('on wasm takes the pass size that ran fastest: 16 images for the seed model, 32 for the fast one (28×28)', () => {
    const seed = new PixelCnn([28, 28, 1], PRESETS.seed, 1);
    const fast = new PixelCnn([28, 28, 1], PRESETS.fast, 1);
    try {
      assert.equal(seed.activationValuesPerImage(), 28 * 28 * 32);
      assert.equal(imagesPerPass(seed), 16);
      assert.equal(imagesPerPass(fast), 32);
      // Both within the 2 GiB the tape may take of wasm's 4 GiB heap.
      assert.ok(16 * seed.trainingBytesPerImage() <= 2 * 2 ** 30);
    } finally {
      seed.dispose();
      fast.dispose();
    }
  });

  it('shrinks to what the wasm heap holds where the tape is deeper, never below one image', () => {
    // Ten resnet layers a level: 42 layers' tapes, 226 MiB an image, 9 within the 2 GiB budget (16 would be fastest).
    const deep = new PixelCnn([28, 28, 1], { ...PRESETS.seed, numResnet: 10 }, 1);
    const large = new PixelCnn([96, 96, 3], PRESETS.seed, 1);
    try {
      assert.equal(imagesPerPass(deep), Math.floor((2 * 2 ** 30) / deep.trainingBytesPerImage()));
      assert.equal(imagesPerPass(deep), 9);
      assert.equal(imagesPerPass(large), 1);
    } finally {
      deep.dispose();
      large.dispose();
    }
    assert.equal(trainingPassImages(8 * 2 ** 30, 1e6, 'wasm'), 1);
    assert.equal(trainingPassImages(1, 1e9, 'wasm'), 1);
  });

  it('takes the whole batch on other backends (their memory is not the wasm heap)', () => {
    assert.equal(trainingPassImages(2 ** 30, 28 * 28 * 32, 'webgpu'), Number.POSITIVE_INFINITY);
    assert.equal(trainingPassImages(2 ** 30, 28 * 28 * 32, 'tensorflow'), Number.POSITIVE_INFINITY);
  });
});
