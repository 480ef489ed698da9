import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { PixelCnn } from '../../../../src/engine/pixelcnn';
import { describeOnEachBackend } from '../backendMatrix';
import { readScalar } from '../readback';

const SIZE = 8;
const TINY = { numResnet: 1, numHierarchies: 2, numFilters: 8, numLogisticMix: 1, dropoutP: 0 } as const;

/** Images of vertical bars: columns alternate between two grey levels picked per image. */
function barImages(count: number, seed: number): tf.Tensor4D {
  return tf.tidy(() => {
    const dark = tf.randomUniform([count, 1, 1, 1], 10, 60, 'int32', seed);
    const bright = tf.randomUniform([count, 1, 1, 1], 190, 250, 'int32', seed + 1);
    const columns = tf.tensor4d(Array.from({ length: SIZE }, (_, col) => Math.floor(col / 2) % 2), [1, 1, SIZE, 1]);
    const rows = tf.ones([1, SIZE, 1, 1]);
    const pattern = tf.mul(rows, columns);
    const images = tf.add(tf.mul(tf.sub(bright, dark), pattern), dark);
    return tf.cast(images, 'int32') as tf.Tensor4D;
  });
}

/** The mean over `images` of −log p(image), in nats. */
async function meanNegativeLogLikelihood(model: PixelCnn, images: tf.Tensor4D): Promise<number> {
  return -(await readScalar(tf.tidy(() => tf.mean(model.logProb(images)))));
}

describeOnEachBackend('PixelCNN++ training', () => {
  it('brings the held-out NLL of a tiny synthetic set below 0.6× its start within 200 steps, and ranks it above noise', async () => {
    const model = new PixelCnn([SIZE, SIZE, 1], TINY, 11);
    model.setOptimizer({ learningRate: 5e-3 });
    const train = barImages(32, 1);
    const heldOut = barImages(16, 99);
    const noise = tf.randomUniform([16, SIZE, SIZE, 1], 0, 256, 'int32', 5) as tf.Tensor4D;
    try {
      const before = await meanNegativeLogLikelihood(model, heldOut);
      // The held-out NLL swings between ~0.5× and ~0.8× of its start from one 50-step mark to the
      // next on this tiny set (Adam at 5e-3, batches of 8), and where a swing falls depends on the
      // last bits of the kernels' sums: the best of the marks every 10 steps is what learning fixes.
      let best = Number.POSITIVE_INFINITY;
      for (let step = 0; step < 200; step++) {
        const batch = tf.slice(train, [(step % 4) * 8, 0, 0, 0], [8, SIZE, SIZE, 1]);
        const loss = model.trainStep(batch);
        batch.dispose();
        // As fit does: read a loss now and then, so that a GPU backend's queue drains (Dawn frees
        // its descriptor pools only then; lavapipe crashed after ~50 unbroken steps).
        await (step % 10 === 9 ? readScalar(loss) : loss.dispose());
        if (step % 10 === 9) {
          best = Math.min(best, await meanNegativeLogLikelihood(model, heldOut));
        }
      }
      const after = await meanNegativeLogLikelihood(model, heldOut);
      const noiseNll = await meanNegativeLogLikelihood(model, noise);
      const pixels = SIZE * SIZE;
      assert.ok(best < 0.6 * before, `NLL ${before.toFixed(1)} → at best ${best.toFixed(1)} nats per image (${(best / pixels / Math.LN2).toFixed(2)} bits/dim)`);
      assert.ok(after < noiseNll - pixels, `held-out bars ${after.toFixed(1)} vs noise ${noiseNll.toFixed(1)} nats`);
    } finally {
      tf.dispose([train, heldOut, noise]);
      model.dispose();
    }
  });

  it('takes the same step when a batch is split into passes whose gradients are summed (for memory-bound backends)', async () => {
    const whole = new PixelCnn([SIZE, SIZE, 1], { ...TINY, l2Weight: 2 }, 8);
    const split = new PixelCnn([SIZE, SIZE, 1], { ...TINY, l2Weight: 2 }, 8);
    const images = barImages(6, 3);
    try {
      for (const model of [whole, split]) model.setOptimizer({ learningRate: 1e-2 });
      const lossWhole = await readScalar(whole.trainStep(images));
      const lossSplit = await readScalar(split.trainStep(images, 4));
      assert.ok(Math.abs(lossWhole - lossSplit) < 1e-3 * Math.abs(lossWhole));
      for (const [name, variable] of whole.variables) {
        const other = split.variables.get(name) as tf.Variable;
        const difference = await readScalar(tf.tidy(() => tf.max(tf.abs(tf.sub(variable, other)))));
        assert.ok(difference < 1e-5, `${name} differs by ${difference}`);
      }
    } finally {
      images.dispose();
      whole.dispose();
      split.dispose();
    }
  });

  it('draws dropout masks from the step\'s seed: the same seed takes the same step, another seed or none another', async () => {
    const withDropout = { ...TINY, dropoutP: 0.3 };
    const models = [1, 2, 3, 4].map(() => new PixelCnn([SIZE, SIZE, 1], withDropout, 6));
    const images = barImages(4, 2);
    try {
      const losses: number[] = [];
      for (const [index, seed] of [11, 11, 12, undefined].entries()) {
        models[index].setOptimizer({ learningRate: 1e-2 });
        losses.push(await readScalar(models[index].trainStep(images, 2, seed)));
      }
      const [first, same, otherSeed] = models;
      assert.equal(losses[1], losses[0]);
      assert.notEqual(losses[2], losses[0], 'another seed, other masks, another loss');
      assert.notEqual(losses[3], losses[0], 'no seed, fresh masks');
      for (const [name, variable] of first.variables) {
        const difference = await readScalar(tf.tidy(() => tf.max(tf.abs(tf.sub(variable, same.variables.get(name) as tf.Variable)))));
        assert.equal(difference, 0, `${name} differs by ${difference}`);
      }
      let largest = 0;
      for (const [name, variable] of first.variables) {
        largest = Math.max(largest, await readScalar(tf.tidy(() => tf.max(tf.abs(tf.sub(variable, otherSeed.variables.get(name) as tf.Variable))))));
      }
      assert.ok(largest > 0, 'another seed moves the weights otherwise');
    } finally {
      images.dispose();
      models.forEach((model) => model.dispose());
    }
  });

  it('changes the step size between steps and keeps Adam\'s moments: rate 0 leaves the weights, the same rate re-set changes nothing', async () => {
    const resetToSame = new PixelCnn([SIZE, SIZE, 1], TINY, 4);
    const untouched = new PixelCnn([SIZE, SIZE, 1], TINY, 4);
    const paused = new PixelCnn([SIZE, SIZE, 1], TINY, 4);
    const images = barImages(4, 5);
    const largestDifference = async (a: PixelCnn, b: PixelCnn): Promise<number> => {
      let largest = 0;
      for (const [name, variable] of a.variables) {
        largest = Math.max(largest, await readScalar(tf.tidy(() => tf.max(tf.abs(tf.sub(variable, b.variables.get(name) as tf.Variable))))));
      }
      return largest;
    };
    try {
      for (const model of [resetToSame, untouched, paused]) {
        model.setOptimizer({ learningRate: 1e-2 });
        await readScalar(model.trainStep(images));
      }
      const afterOneStep = paused.getWeights();
      resetToSame.setLearningRate(1e-2);
      paused.setLearningRate(0);
      for (const model of [resetToSame, untouched, paused]) {
        await readScalar(model.trainStep(images));
      }
      // Had the moments restarted, Adam's bias correction would take a different second step.
      assert.equal(await largestDifference(resetToSame, untouched), 0);
      assert.ok((await largestDifference(paused, untouched)) > 1e-4, 'the second step at 1e-2 moved the weights');
      for (const [name, variable] of paused.variables) {
        const moved = await readScalar(tf.tidy(() => tf.max(tf.abs(tf.sub(variable, afterOneStep[name])))));
        assert.equal(moved, 0, `${name} moved by ${moved} at rate 0`);
      }
      tf.dispose(Object.values(afterOneStep));
    } finally {
      images.dispose();
      for (const model of [resetToSame, untouched, paused]) model.dispose();
    }
  });

  it('reports a loss equal to the mean NLL per image when dropout and L2 are off', async () => {
    const model = new PixelCnn([SIZE, SIZE, 1], TINY, 3);
    const images = barImages(4, 7);
    try {
      const expected = await meanNegativeLogLikelihood(model, images);
      const loss = await readScalar(model.loss(images, false));
      assert.ok(Math.abs(loss - expected) < 1e-3 * Math.abs(expected));
    } finally {
      images.dispose();
      model.dispose();
    }
  });

  it('adds l2Weight · Σw²/2 over the kernels to the loss', async () => {
    const plain = new PixelCnn([SIZE, SIZE, 1], TINY, 3);
    const penalised = new PixelCnn([SIZE, SIZE, 1], { ...TINY, l2Weight: 10 }, 3);
    const images = barImages(4, 7);
    try {
      let squares = 0;
      for (const [name, kernel] of plain.variables) {
        if (name.endsWith('/kernel')) {
          squares += await readScalar(tf.tidy(() => tf.sum(tf.square(kernel))));
        }
      }
      const penalisedLoss = await readScalar(tf.tidy(() => penalised.loss(images, false)));
      const difference = penalisedLoss - (await readScalar(tf.tidy(() => plain.loss(images, false))));
      assert.ok(Math.abs(difference - 5 * squares) < 1e-3 * 5 * squares, `${difference} vs ${5 * squares}`);
    } finally {
      images.dispose();
      plain.dispose();
      penalised.dispose();
    }
  });

  it('keeps the tensor count unchanged across logProb, trainStep and sample (no leaks)', async () => {
    const model = new PixelCnn([SIZE, SIZE, 3], { ...TINY, dropoutP: 0.3, numLogisticMix: 2, l2Weight: 1 }, 5);
    const images = tf.randomUniform([2, SIZE, SIZE, 3], 0, 256, 'int32', 1) as tf.Tensor4D;
    try {
      tf.dispose(model.trainStep(images)); // creates the Adam slots once
      const before = tf.memory().numTensors;
      tf.dispose(model.logProb(images));
      tf.dispose(model.logProb(images, { perPixel: true }));
      tf.dispose(model.trainStep(images));
      tf.dispose(model.trainStep(images, 1));
      tf.dispose(await model.sample(1, { seed: 1 }));
      assert.equal(tf.memory().numTensors, before);
    } finally {
      images.dispose();
      model.dispose();
    }
  });

  it('frees every tensor it owns on dispose', () => {
    const before = tf.memory().numTensors;
    const model = new PixelCnn([SIZE, SIZE, 1], TINY, 5);
    const images = barImages(2, 1);
    tf.dispose([model.trainStep(images), images]);
    model.dispose();
    assert.equal(tf.memory().numTensors, before);
  });
});
