import * as assert from 'node:assert/strict';
import { scheduledLearningRate } from '../../../../src/engine/llr/learningRate';
import { resolveFitConfig } from '../../../../src/engine/llr/fit';

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
