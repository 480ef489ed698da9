import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../../../src/engine/backend/selectBackend';
import { PixelCnn, PRESETS } from '../../../../src/engine/pixelcnn';
import { readFloats, readScalar } from '../readback';

/** log p per pixel of `images` under `model` on `backend`. */
async function perPixelOn(backend: 'wasm' | 'cpu', model: PixelCnn, images: Float32Array, shape: [number, number, number, number]): Promise<Float32Array> {
  await selectBackend(backend);
  return readFloats(tf.tidy(() => model.logProb(tf.tensor4d(images, shape), { perPixel: true })));
}

describe('PixelCNN++ backend parity', () => {
  for (const channels of [1, 3]) {
    it(`gives the same per-pixel log-likelihood on wasm and cpu with the same weights (${channels === 1 ? 'gray' : 'RGB'}, seed preset layout)`, async () => {
      await selectBackend('cpu');
      const model = new PixelCnn([12, 12, channels], { ...PRESETS.seed, numFilters: 8, numLogisticMix: 3 }, 21);
      // Move the weights off their initial values so that the comparison is not of a special point.
      tf.tidy(() => {
        for (const variable of model.variables.values()) {
          variable.assign(tf.add(variable, tf.randomNormal(variable.shape, 0, 0.05, 'float32', 4)));
        }
      });
      const shape: [number, number, number, number] = [3, 12, 12, channels];
      const images = Float32Array.from({ length: 3 * 12 * 12 * channels }, (_, i) => (i * 37 + 11) % 256);
      try {
        const onCpu = await perPixelOn('cpu', model, images, shape);
        const onWasm = await perPixelOn('wasm', model, images, shape);
        let worst = 0;
        onCpu.forEach((value, index) => {
          worst = Math.max(worst, Math.abs(value - onWasm[index]) / Math.max(1, Math.abs(value)));
        });
        assert.ok(worst <= 1e-3, `largest relative difference ${worst}`);
      } finally {
        model.dispose();
      }
    });
  }

  it('takes the same training step on wasm and cpu (the wasm filter gradient agrees)', async () => {
    const images = Float32Array.from({ length: 4 * 8 * 8 }, (_, i) => (i * 53 + 7) % 256);
    const losses: number[] = [];
    const weights: Float32Array[] = [];
    for (const backend of ['cpu', 'wasm'] as const) {
      await selectBackend(backend);
      const model = new PixelCnn([8, 8, 1], { numResnet: 1, numHierarchies: 2, numFilters: 6, numLogisticMix: 2, dropoutP: 0 }, 9);
      model.setOptimizer({ learningRate: 1e-2 });
      const batch = tf.tensor4d(images, [4, 8, 8, 1]);
      tf.dispose([model.trainStep(batch), model.trainStep(batch)]);
      losses.push(await readScalar(tf.tidy(() => model.loss(batch, false))));
      weights.push((await model.variables.get('output/kernel')!.data<'float32'>()) as Float32Array);
      batch.dispose();
      model.dispose();
    }
    assert.ok(Math.abs(losses[0] - losses[1]) <= 1e-3 * Math.abs(losses[0]), `losses ${losses[0]} vs ${losses[1]}`);
    const worst = weights[0].reduce((max, value, index) => Math.max(max, Math.abs(value - weights[1][index])), 0);
    assert.ok(worst <= 1e-4, `output kernels differ by ${worst} after two steps`);
  });
});
