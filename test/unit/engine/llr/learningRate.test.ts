import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { scheduledLearningRate } from '../../../../src/engine/llr/learningRate';
import { resolveFitConfig, splitValidation, trainModel } from '../../../../src/engine/llr/fit';
import { PRESET_FIT, toImageSet } from '../../../../src/engine/llr';
import { GraphTrainer } from '../../../../src/engine/onnx/training/graphTrainer';
import { PixelCnn } from '../../../../src/engine/pixelcnn';
import { describeOnEachBackend } from '../backendMatrix';

describe('learning-rate schedule', () => {
  it('holds the learning rate at every step when constant', () => {
    const rates = Array.from({ length: 5 }, (_, step) => scheduledLearningRate({ learningRate: 1e-3, learningRateSchedule: 'constant' }, step, 5));
    assert.deepEqual(rates, [1e-3, 1e-3, 1e-3, 1e-3, 1e-3]);
  });

  it('lowers it linearly from the full rate at the first step to 1/T of it at the last', () => {
    const steps = 1000;
    const rates = Array.from({ length: steps }, (_, step) => scheduledLearningRate({ learningRate: 1e-3, learningRateSchedule: 'linear' }, step, steps));
    assert.equal(rates[0], 1e-3);
    assert.ok(Math.abs(rates[steps - 1] - 1e-6) < 1e-12, `last step ${rates[steps - 1]}`);
    for (let step = 1; step < steps; step++) {
      assert.ok(Math.abs(rates[step - 1] - rates[step] - 1e-6) < 1e-12, `decrement at step ${step}: ${rates[step - 1] - rates[step]}`);
    }
  });

  it('is checked with the rest of the fit settings, naming the allowed schedules', () => {
    assert.equal(resolveFitConfig({}).learningRateSchedule, 'constant');
    assert.equal(resolveFitConfig({ learningRateSchedule: 'linear' }).learningRateSchedule, 'linear');
    assert.throws(() => resolveFitConfig({ learningRateSchedule: 'cosine' as 'linear' }), /learningRateSchedule must be one of constant, linear, got cosine/);
  });
});

// The schedule is the fit loop's, not a backend's: one backend suffices.
describeOnEachBackend('learning-rate schedule in training', () => {
  // Each engine takes the rate its own way: the tfjs one through the model's optimiser, the onnx-cpu one as a step input.
  for (const trainingEngine of ['tfjs', 'onnx-cpu'] as const) {
    it(`is what the fast preset's training steps take: from its full rate down by equal steps, across epochs, never restarting (${trainingEngine} engine)`, async function () {
      this.timeout(120_000);
      const images = toImageSet(Uint8Array.from({ length: 6 * 6 * 6 }, (_, i) => (i * 37) % 256), [6, 6, 1]);
      const fitConfig = { ...PRESET_FIT.fast, epochs: 2, batchSize: 2 };
      const rates: number[] = [];
      const { setLearningRate } = PixelCnn.prototype;
      const { step } = GraphTrainer.prototype;
      PixelCnn.prototype.setLearningRate = function (this: PixelCnn, rate: number) {
        rates.push(rate);
        setLearningRate.call(this, rate);
      };
      GraphTrainer.prototype.step = function (this: GraphTrainer, pixels, count, rate, ...rest) {
        rates.push(rate);
        return step.call(this, pixels, count, rate, ...rest);
      };
      const before = tf.memory().numTensors;
      try {
        const model = await trainModel('semantic', splitValidation(images, fitConfig), fitConfig, { numResnet: 1, numHierarchies: 1, numFilters: 4, dropoutP: 0 }, { trainingEngine });
        model.dispose();
      } finally {
        PixelCnn.prototype.setLearningRate = setLearningRate;
        GraphTrainer.prototype.step = step;
      }
      assert.equal(fitConfig.learningRateSchedule, 'linear');
      // 6 images in batches of 2 for 2 epochs: 6 steps, the second epoch going on from the first.
      assert.equal(rates.length, 6);
      rates.forEach((rate, index) => assert.ok(Math.abs(rate - fitConfig.learningRate * (1 - index / 6)) < 1e-12, `step ${index}: ${rate}`));
      assert.equal(tf.memory().numTensors, before);
    });
  }
}, ['wasm']);
