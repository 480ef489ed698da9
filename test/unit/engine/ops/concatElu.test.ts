import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { concatElu, hasFusedConcatElu } from '../../../../src/engine/ops/concatElu';
import { describeOnEachBackend } from '../backendMatrix';
import { readFloats } from '../readback';
import { largestRelativeError, randomValues } from '../backend/convReference';

/** elu(v) in float64. */
function elu(value: number): number {
  return value >= 0 ? value : Math.expm1(value);
}

/** Values around every branch of elu: zero, ±tiny, ±large, and random ones in [-3, 3). */
function testInput(shape: [number, number, number, number], seed: number): tf.Tensor4D {
  const values = randomValues(tf.util.sizeFromShape(shape), seed).map((value) => 3 * value);
  values.set([0, -0, 1e-7, -1e-7, 30, -30, 1, -1]);
  return tf.tensor4d(values, shape);
}

describeOnEachBackend('concat_elu', (backend) => {
  it(`is ${backend === 'webgpu' ? 'one kernel each way' : "tfjs's ops"} here`, () => {
    assert.equal(hasFusedConcatElu(), backend === 'webgpu');
  });

  it('gives [elu(x), elu(−x)] on the channel axis, pixel by pixel, as the float64 definition', async () => {
    const shape: [number, number, number, number] = [2, 3, 5, 7];
    const x = testInput(shape, 11);
    const input = await x.data();
    const output = await readFloats(concatElu(x));
    assert.deepEqual(output.length, 2 * input.length);
    const expected = new Float64Array(output.length);
    const channels = shape[3];
    for (let pixel = 0; pixel < input.length / channels; pixel++) {
      for (let channel = 0; channel < channels; channel++) {
        const value = input[pixel * channels + channel];
        expected[pixel * 2 * channels + channel] = elu(value);
        expected[pixel * 2 * channels + channels + channel] = elu(-value);
      }
    }
    assert.ok(largestRelativeError(output, expected) < 1e-6, `max error ${largestRelativeError(output, expected)}`);
    x.dispose();
  });

  // Channel counts a multiple of the GPU's vector width and not.
  for (const channels of [16, 7]) {
    it(`has the gradient of tfjs's elu(concat([x, −x])) for any upstream gradient (${channels} channels)`, async () => {
      const shape: [number, number, number, number] = [3, 4, 6, channels];
      const x = testInput(shape, 21);
      const weights = tf.tensor4d(randomValues(2 * tf.util.sizeFromShape(shape), 22), [shape[0], shape[1], shape[2], 2 * shape[3]]);
      const fused = await readFloats(tf.grad((input: tf.Tensor) => tf.sum(tf.mul(concatElu(input as tf.Tensor4D), weights)))(x));
      const composite = await readFloats(tf.grad((input: tf.Tensor) => tf.sum(tf.mul(tf.elu(tf.concat([input, tf.neg(input)], 3)), weights)))(x));
      assert.ok(largestRelativeError(fused, composite) < 1e-5, `max error ${largestRelativeError(fused, composite)}`);
      tf.dispose([x, weights]);
    });
  }

  it('leaves no tensors behind through a gradient', async () => {
    const x = testInput([1, 2, 2, 3], 31);
    const before = tf.memory().numTensors;
    const gradient = tf.grad((input: tf.Tensor) => tf.sum(concatElu(input as tf.Tensor4D)))(x);
    await readFloats(gradient);
    assert.equal(tf.memory().numTensors, before);
    x.dispose();
  });
});
