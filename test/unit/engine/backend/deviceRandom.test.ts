import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { DEVICE_RANDOM_UNIFORM, deviceDropout, deviceRandomUniform } from '../../../../src/engine/backend/deviceRandom';
import { describeOnEachBackend } from '../backendMatrix';
import { readFloats } from '../readback';

/** Pearson's chi-square statistic of `values` over `bins` equal bins of [0, 1). */
function chiSquare(values: Float32Array, bins: number): number {
  const counts = new Array<number>(bins).fill(0);
  for (const value of values) {
    counts[Math.floor(value * bins)]++;
  }
  const expected = values.length / bins;
  return counts.reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0);
}

describeOnEachBackend('Random numbers and dropout made on the device', (backend) => {
  it(`draws on ${backend} ${backend === 'webgpu' ? 'with its own shader' : 'with tf.randomUniform'}`, () => {
    assert.equal(tf.getKernel(DEVICE_RANDOM_UNIFORM, backend) !== undefined, backend === 'webgpu');
  });

  it('gives uniform values in [0, 1): mean within 5σ of ½, and 20 equal bins pass a chi-square test (p = 0.001)', async () => {
    const values = await readFloats(deviceRandomUniform([200, 1000], 11));
    assert.ok(values.every((value) => value >= 0 && value < 1));
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    assert.ok(Math.abs(mean - 0.5) < 5 * Math.sqrt(1 / 12 / values.length), `mean ${mean}`);
    // 19 degrees of freedom: the 0.999 quantile is 43.82.
    assert.ok(chiSquare(values, 20) < 43.82, `chi-square ${chiSquare(values, 20)}`);
  });

  it('repeats for one seed and differs for another', async () => {
    const first = await readFloats(deviceRandomUniform([64, 64], 5));
    const again = await readFloats(deviceRandomUniform([64, 64], 5));
    const other = await readFloats(deviceRandomUniform([64, 64], 6));
    assert.deepEqual(again, first);
    const equal = first.filter((value, i) => value === other[i]).length;
    assert.ok(equal < first.length / 100, `${equal} of ${first.length} values equal across seeds`);
  });

  it('fills every value of a tensor larger than one dispatch row (5 M values: 65,535 workgroups of 64 hold 4.19 M)', async () => {
    const values = await readFloats(deviceRandomUniform([5, 1000, 1000], 9));
    const tail = values.subarray(4_300_000);
    const tailMean = tail.reduce((sum, value) => sum + value, 0) / tail.length;
    assert.ok(Math.abs(tailMean - 0.5) < 5 * Math.sqrt(1 / 12 / tail.length), `mean past 4.19 M: ${tailMean}`);
    assert.ok(chiSquare(tail, 20) < 43.82);
  });

  it('drops a fraction of values within 5σ of the rate, scales the rest by 1/(1 − rate), and passes the gradient through the same mask', async () => {
    const rate = 0.3;
    const x = tf.ones([400, 250]);
    const { value, grads } = tf.valueAndGrads((input: tf.Tensor) => tf.sum(tf.mul(deviceDropout(input, rate, 21), tf.onesLike(input))))([x]);
    const kept = tf.tidy(() => deviceDropout(x, rate, 21));
    const dropped = await readFloats(kept);
    const gradient = await readFloats(grads[0]);
    const zeros = dropped.filter((v) => v === 0).length / dropped.length;
    assert.ok(Math.abs(zeros - rate) < 5 * Math.sqrt((rate * (1 - rate)) / dropped.length), `dropped ${zeros}`);
    assert.ok(dropped.every((v) => v === 0 || Math.abs(v - 1 / (1 - rate)) < 1e-6));
    assert.deepEqual(gradient, dropped, 'the gradient of sum(dropout(x)) at x = 1 is the scaled mask itself');
    // A float32 sum of 100,000 values: 1e-3 relative covers its rounding.
    const expectedSum = dropped.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs((await readFloats(value))[0] - expectedSum) < 1e-3 * expectedSum);
    x.dispose();
  });
});
