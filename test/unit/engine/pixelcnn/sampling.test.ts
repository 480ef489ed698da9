import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { PixelCnn } from '../../../../src/engine/pixelcnn';
import { describeOnEachBackend } from '../backendMatrix';

describeOnEachBackend('PixelCNN++ sampling', () => {
  it('draws integer images in range, reproducibly from a seed, reporting each row', () => {
    const model = new PixelCnn([5, 4, 3], { numResnet: 1, numHierarchies: 2, numFilters: 4, numLogisticMix: 2 }, 3);
    const rows: number[] = [];
    try {
      const first = model.sample(3, { seed: 42, onRow: (done) => rows.push(done) });
      const second = model.sample(3, { seed: 42 });
      const other = model.sample(3, { seed: 43 });
      assert.deepEqual(first.shape, [3, 5, 4, 3]);
      assert.equal(first.dtype, 'int32');
      const values = Array.from(first.dataSync());
      assert.ok(values.every((value) => Number.isInteger(value) && value >= 0 && value <= 255));
      assert.deepEqual(Array.from(second.dataSync()), values);
      assert.notDeepEqual(Array.from(other.dataSync()), values);
      assert.deepEqual(rows, [1, 2, 3, 4, 5]);
      tf.dispose([first, second, other]);
    } finally {
      model.dispose();
    }
  });

  it('draws from the mixture it models: a trained single-value model samples that value', () => {
    const model = new PixelCnn([3, 3, 1], { numResnet: 1, numHierarchies: 1, numFilters: 4, numLogisticMix: 1, dropoutP: 0 }, 5);
    model.setOptimizer({ learningRate: 3e-2 });
    const images = tf.fill([8, 3, 3, 1], 200) as tf.Tensor4D;
    try {
      for (let step = 0; step < 150; step++) {
        tf.dispose(model.trainStep(images));
      }
      const samples = model.sample(4, { seed: 1 });
      const values = Array.from(samples.dataSync());
      samples.dispose();
      const near = values.filter((value) => Math.abs(value - 200) <= 3).length;
      assert.ok(near >= 0.9 * values.length, `samples ${values.join(' ')}`);
    } finally {
      images.dispose();
      model.dispose();
    }
  });
});
