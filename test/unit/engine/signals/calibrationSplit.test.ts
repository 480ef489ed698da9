import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { selectBackend } from '../../../../src/engine/backend/selectBackend';
import { toImageSet } from '../../../../src/engine/llr';
import { countGreyAsRgb, fitCalibratedDetector, splitForCalibration } from '../../../../src/engine/signals';
import { loadDetector, saveDetector } from '../../../../src/engine/store';

const TINY = { numResnet: 1, numHierarchies: 1, numFilters: 4, numLogisticMix: 1, dropoutP: 0 } as const;

/** `count` 6×6 grey images of a pattern, each told apart by its index in its first two pixels. */
function patternImages(count: number): Uint8Array {
  return Uint8Array.from({ length: count * 36 }, (_, i) => {
    const image = Math.floor(i / 36);
    return i % 36 === 0 ? image & 255 : i % 36 === 1 ? image >> 8 : (i * 7 + image * 13) % 256;
  });
}

describe('the calibration hold-out', () => {
  it('holds out 10 % (at most 2,000), disjoint from training, the same for the same seed; nothing from a small folder', () => {
    const images = toImageSet(patternImages(1000), [6, 6, 1]);
    const split = splitForCalibration(images, 3);
    assert.equal(split.calibration?.count, 100);
    assert.equal(split.training.count, 900);
    const key = (pixels: Uint8Array, i: number): string => Buffer.from(pixels.subarray(i * 36, (i + 1) * 36)).toString('hex');
    const training = new Set(Array.from({ length: 900 }, (_, i) => key(split.training.pixels, i)));
    const heldOut = Array.from({ length: 100 }, (_, i) => key(split.calibration?.pixels as Uint8Array, i));
    assert.ok(heldOut.every((image) => !training.has(image)));
    assert.deepEqual(splitForCalibration(images, 3).calibration?.pixels, split.calibration?.pixels);
    assert.equal(splitForCalibration(toImageSet(patternImages(25_000), [6, 6, 1]), 0).calibration?.count, 2000);
    assert.equal(splitForCalibration(toImageSet(patternImages(150), [6, 6, 1]), 0).calibration, null);
  });

  it('trains on the rest, stores the held-out signals in the detector and loads them back', async function () {
    this.timeout(120_000);
    await selectBackend('wasm');
    const { detector, calibration } = await fitCalibratedDetector(toImageSet(patternImages(300), [6, 6, 1]), { epochs: 1, batchSize: 30, semanticConfig: TINY });
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'outlier-lens-calibrated-'));
    try {
      assert.equal(calibration?.imageCount, 30);
      assert.ok(calibration?.reference.llr.every((value, i, all) => i === 0 || all[i - 1] <= value));
      await saveDetector(detector, path.join(folder, 'det'), { backend: 'wasm', calibration });
      const loaded = await loadDetector(path.join(folder, 'det'));
      assert.deepEqual(loaded.manifest.calibration, calibration);
      assert.equal(loaded.manifest.formatVersion, 2);
      loaded.detector.dispose();
    } finally {
      detector.dispose();
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  it('counts RGB images whose channels are all equal', () => {
    const grey = patternImages(2);
    const rgb = Uint8Array.from({ length: 2 * 36 * 3 }, (_, i) => grey[Math.floor(i / 3)]);
    rgb[36 * 3 + 4] ^= 1; // the second image is colour in one pixel
    assert.equal(countGreyAsRgb(toImageSet(rgb, [6, 6, 3])), 1);
    assert.equal(countGreyAsRgb(toImageSet(grey, [6, 6, 1])), 0);
  });
});
