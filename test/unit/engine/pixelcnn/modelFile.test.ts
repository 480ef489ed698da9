import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import { PixelCnn, readModelFolder, writeModelFolder } from '../../../../src/engine/pixelcnn';
import { describeOnEachBackend } from '../backendMatrix';
import { readNumbers } from '../readback';

describeOnEachBackend('PixelCNN++ model files', () => {
  let folder: string;
  beforeEach(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'outlier-lens-model-'));
  });
  afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

  it('round-trips: a loaded model gives identical log-likelihoods', async () => {
    const model = new PixelCnn([6, 6, 3], { numResnet: 1, numHierarchies: 2, numFilters: 4, numLogisticMix: 2, l2Weight: 3 }, 4);
    const images = tf.randomUniform([2, 6, 6, 3], 0, 256, 'int32', 8) as tf.Tensor4D;
    tf.dispose(model.trainStep(images));
    await writeModelFolder(model, folder);
    const loaded = await readModelFolder(folder);
    try {
      assert.deepEqual(loaded.config, model.config);
      assert.deepEqual([...loaded.imageShape], [...model.imageShape]);
      const expected = await readNumbers(tf.tidy(() => model.logProb(images, { perPixel: true })));
      const actual = await readNumbers(tf.tidy(() => loaded.logProb(images, { perPixel: true })));
      assert.deepEqual(actual, expected);
    } finally {
      tf.dispose(images);
      model.dispose();
      loaded.dispose();
    }
  });

  it('refuses a folder with missing or cut weights, or another format version, naming the problem', async () => {
    const model = new PixelCnn([4, 4, 1], { numResnet: 1, numHierarchies: 1, numFilters: 2, numLogisticMix: 1 }, 1);
    await writeModelFolder(model, folder);
    model.dispose();
    const manifestPath = path.join(folder, 'model.json');
    const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));

    fs.writeFileSync(manifestPath, JSON.stringify({ ...manifest, formatVersion: 99 }));
    await assert.rejects(readModelFolder(folder), /format version 99 is not supported/);

    fs.writeFileSync(manifestPath, JSON.stringify(manifest));
    const weights = fs.readFileSync(path.join(folder, 'weights.bin'));
    fs.writeFileSync(path.join(folder, 'weights.bin'), weights.subarray(0, weights.length - 8));
    await assert.rejects(readModelFolder(folder), /weights\.bin holds \d+ bytes, the manifest needs \d+/);

    fs.rmSync(path.join(folder, 'weights.bin'));
    await assert.rejects(readModelFolder(folder), /missing weights\.bin/);
  });
});
