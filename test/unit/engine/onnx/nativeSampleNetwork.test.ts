import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../../../src/engine/backend/selectBackend';
import { nativeSampleNetwork } from '../../../../src/engine/onnx/nativeSampleNetwork';
import { hasSyncSessions } from '../../../../src/engine/onnx/syncSession';
import type { MixtureParams } from '../../../../src/engine/pixelcnn';
import { PixelCnn, PRESETS } from '../../../../src/engine/pixelcnn';
import { perturbedModel } from './perturbedModel';

function largestDifference(actual: tf.Tensor, expected: tf.Tensor): number {
  const a = actual.dataSync();
  const e = expected.dataSync();
  assert.equal(a.length, e.length);
  let worst = 0;
  e.forEach((value, i) => {
    worst = Math.max(worst, Math.abs(a[i] - value) / Math.max(1, Math.abs(value)));
  });
  return worst;
}

(hasSyncSessions() ? describe : describe.skip)('Sampling passes on ONNX Runtime (skipped where onnxruntime-node does not load or OUTLIER_LENS_ONNX_RUNTIME=off)', () => {
  before(async () => {
    await selectBackend('wasm');
  });

  for (const [title, channels, config] of [
    ['gray', 1, { ...PRESETS.seed, numFilters: 8 }],
    ['RGB with 3 mixture components', 3, { ...PRESETS.fast, numLogisticMix: 3 }],
  ] as const) {
    it(`gives the mixture parameters of TensorFlow.js's network for the rows drawn so far (1e-3, as between backends; ${title})`, () => {
      const model = perturbedModel([9, 10, channels], config, 7);
      const network = nativeSampleNetwork(model, 1);
      assert.ok(network);
      const tensorsBefore = tf.memory().numTensors;
      try {
        for (const rows of [2, 5, 9]) {
          // The same weights over images of `rows` rows: what the pass over the rows drawn so far computes.
          const cropped = new PixelCnn([rows, 10, channels], config, 0);
          const weights = model.getWeights();
          cropped.setWeights(weights);
          tf.dispose(Object.values(weights));
          tf.tidy(() => {
            const filled = tf.cast(tf.randomUniform([3, rows, 10, channels], 0, 256, 'int32', rows), 'float32') as tf.Tensor4D;
            const actual = network.params(filled) as MixtureParams;
            const expected = cropped.mixtureParams(filled);
            for (const part of ['logits', 'locs', 'scales', 'coeffs'] as const) {
              const [a, e] = [actual[part], expected[part]];
              assert.equal(a === null, e === null, `${part} present in both`);
              if (a && e) {
                assert.deepEqual(a.shape, e.shape);
                assert.ok(largestDifference(a, e) < 1e-3, `${part} at ${rows} rows: ${largestDifference(a, e)}`);
              }
            }
          });
          cropped.dispose();
        }
        assert.equal(tf.memory().numTensors, tensorsBefore, 'no tensors left behind');
      } finally {
        network.dispose();
        model.dispose();
      }
    });
  }

  it('leaves the first row (which reads only padding) to TensorFlow.js and draws what TensorFlow.js draws', async () => {
    const model = perturbedModel([8, 8, 1], { ...PRESETS.fast }, 7);
    const network = nativeSampleNetwork(model, 2);
    assert.ok(network);
    try {
      const firstRow = tf.zeros([2, 1, 8, 1]) as tf.Tensor4D;
      assert.equal(network.params(firstRow), null);
      firstRow.dispose();
      const tensorsBefore = tf.memory().numTensors;
      const native = await model.sample(6, { seed: 3, network });
      const reference = await model.sample(6, { seed: 3 });
      const [a, b] = [native.dataSync(), reference.dataSync()];
      tf.dispose([native, reference]);
      assert.equal(tf.memory().numTensors, tensorsBefore, 'no tensors left behind');
      const equal = a.filter((value, i) => value === b[i]).length;
      // A draw that lands within float error of a bin edge may differ, and later pixels follow it.
      assert.ok(equal >= 0.95 * a.length, `${equal} of ${a.length} pixels equal`);
    } finally {
      network.dispose();
      model.dispose();
    }
  });
});
