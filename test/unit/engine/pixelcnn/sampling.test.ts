import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { PixelCnn } from '../../../../src/engine/pixelcnn';
import { describeOnEachBackend } from '../backendMatrix';
import { readNumbers, readScalar } from '../readback';

describeOnEachBackend('PixelCNN++ sampling', () => {
  it('draws integer images in range, reproducibly from a seed, reporting each row', async () => {
    const model = new PixelCnn([5, 4, 3], { numResnet: 1, numHierarchies: 2, numFilters: 4, numLogisticMix: 2 }, 3);
    const rows: number[] = [];
    try {
      const first = await model.sample(3, { seed: 42, onRow: (done) => rows.push(done) });
      const second = await model.sample(3, { seed: 42 });
      const other = await model.sample(3, { seed: 43 });
      assert.deepEqual(first.shape, [3, 5, 4, 3]);
      assert.equal(first.dtype, 'int32');
      const [values, again, otherValues] = await Promise.all([first, second, other].map(readNumbers));
      assert.ok(values.every((value) => Number.isInteger(value) && value >= 0 && value <= 255));
      assert.deepEqual(again, values);
      assert.notDeepEqual(otherValues, values);
      assert.deepEqual(rows, [1, 2, 3, 4, 5]);
    } finally {
      model.dispose();
    }
  });

  it('stops between rows when its signal fires, leaving no tensors behind', async () => {
    const model = new PixelCnn([6, 4, 1], { numResnet: 1, numHierarchies: 1, numFilters: 4, numLogisticMix: 1 }, 3);
    const controller = new AbortController();
    const rows: number[] = [];
    try {
      const before = tf.memory().numTensors;
      const onRow = (done: number): void => {
        rows.push(done);
        if (done === 2) controller.abort();
      };
      const sampling = model.sample(2, { signal: controller.signal, onRow });
      await assert.rejects(sampling, (error: Error) => error.name === 'AbortError');
      assert.deepEqual(rows, [1, 2]);
      assert.equal(tf.memory().numTensors, before);
    } finally {
      model.dispose();
    }
  });

  it('draws from the mixture it models: a trained single-value model samples that value', async () => {
    const model = new PixelCnn([3, 3, 1], { numResnet: 1, numHierarchies: 1, numFilters: 4, numLogisticMix: 1, dropoutP: 0 }, 5);
    model.setOptimizer({ learningRate: 3e-2 });
    const images = tf.fill([8, 3, 3, 1], 200) as tf.Tensor4D;
    try {
      for (let step = 0; step < 150; step++) {
        const loss = model.trainStep(images);
        // Read now and then, as fit does, so that a GPU backend's queue drains.
        await (step % 10 === 9 ? readScalar(loss) : loss.dispose());
      }
      const values = await readNumbers(await model.sample(4, { seed: 1 }));
      const near = values.filter((value) => Math.abs(value - 200) <= 3).length;
      assert.ok(near >= 0.9 * values.length, `samples ${values.join(' ')}`);
    } finally {
      images.dispose();
      model.dispose();
    }
  });
});
