import * as assert from 'node:assert/strict';
import { selectBackend } from '../../../../src/engine/backend/selectBackend';
import { scoreBatchSize } from '../../../../src/engine/llr/scoreBatchSize';
import { PixelCnn, PRESETS } from '../../../../src/engine/pixelcnn';

/** Bytes an image of `pixels` pixels holds in the seed model's inference: 32 filters, 4 bytes, 88 layer-sized tensors. */
const seedBytes = (pixels: number): number => pixels * 32 * 4 * 88;

describe('The scoring batch size', () => {
  before(async () => {
    await selectBackend('wasm');
  });

  it("fills a GPU up to 512 images, and a CPU backend up to 64, where memory allows (the presets' own estimates)", () => {
    const seed = new PixelCnn([28, 28, 1], PRESETS.seed, 1);
    const fast = new PixelCnn([28, 28, 1], PRESETS.fast, 1);
    try {
      assert.equal(seed.inferenceBytesPerImage(), seedBytes(784));
      assert.equal(scoreBatchSize(seed.inferenceBytesPerImage(), 'webgpu'), Math.floor((4 * 2 ** 30) / seedBytes(784)));
      assert.equal(scoreBatchSize(fast.inferenceBytesPerImage(), 'webgpu'), 512);
      assert.equal(scoreBatchSize(seed.inferenceBytesPerImage(), 'wasm'), 64);
      assert.equal(scoreBatchSize(seed.inferenceBytesPerImage(), 'cpu'), 64);
    } finally {
      seed.dispose();
      fast.dispose();
    }
  });

  it("shrinks to what a backend's memory holds for large images, never below one image, and treats an unknown backend as wasm", () => {
    // 128 × 128 (185 MB an image): wasm's 1 GiB scoring budget holds 5.
    assert.equal(scoreBatchSize(seedBytes(128 * 128), 'wasm'), 5);
    assert.equal(scoreBatchSize(seedBytes(128 * 128), 'some-new-backend'), 5);
    assert.equal(scoreBatchSize(seedBytes(1024 * 1024), 'wasm'), 1);
  });
});
