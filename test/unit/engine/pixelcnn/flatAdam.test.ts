import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { FlatAdam } from '../../../../src/engine/pixelcnn/flatAdam';
import { describeOnEachBackend } from '../backendMatrix';
import { readFloats } from '../readback';

const SHAPES: number[][] = [[2, 3, 4, 5], [5], [1, 1, 5, 3], [7, 2], [3]];

/** Variables of SHAPES with values drawn from `seed`, named under `prefix`. */
function makeVariables(prefix: string, seed: number): tf.Variable[] {
  return SHAPES.map((shape, index) => tf.variable(tf.randomNormal(shape, 0, 1, 'float32', seed + index), true, `${prefix}/${index}`));
}

describeOnEachBackend('Adam over all variables at once', (backend) => {
  it('takes exactly the steps of tf.train.adam over five updates (the same float32 values), and leaves no tensors behind', async () => {
    const settings = { learningRate: 0.05, beta1: 0.8, beta2: 0.95, epsilon: 1e-6 };
    const ours = makeVariables(`flat-${backend}`, 10);
    const theirs = makeVariables(`reference-${backend}`, 10);
    const flat = new FlatAdam(settings);
    const reference = tf.train.adam(settings.learningRate, settings.beta1, settings.beta2, settings.epsilon);
    for (let step = 0; step < 5; step++) {
      const gradients = SHAPES.map((shape, index) => tf.randomNormal(shape, 0, 1 + step, 'float32', 100 * step + index));
      const before = tf.memory().numTensors;
      flat.apply(ours, Object.fromEntries(ours.map((variable, index) => [variable.name, gradients[index]])));
      // The moments appear on the first step; after that a step adds nothing.
      assert.equal(tf.memory().numTensors, before + (step === 0 ? 2 : 0), `tensors after step ${step + 1}`);
      reference.applyGradients(theirs.map((variable, index) => ({ name: variable.name, tensor: gradients[index] })));
      tf.dispose(gradients);
    }
    for (let index = 0; index < SHAPES.length; index++) {
      const got = await readFloats(tf.clone(ours[index]));
      const expected = await readFloats(tf.clone(theirs[index]));
      assert.deepEqual(got, expected, `variable ${index} on ${backend}`);
      // And it moved: five steps of 0.05 each.
      const start = await readFloats(tf.randomNormal(SHAPES[index], 0, 1, 'float32', 10 + index));
      assert.ok(got.some((value, i) => Math.abs(value - start[i]) > 0.05), `variable ${index} did not move`);
    }
    flat.dispose();
    reference.dispose();
    tf.dispose([...ours, ...theirs]);
  });

  it('names a variable it has no gradient for, and refuses variables of another total size', () => {
    const variables = makeVariables(`checks-${backend}`, 1);
    const flat = new FlatAdam({ learningRate: 0.1 });
    const zeros = Object.fromEntries(variables.map((variable) => [variable.name, tf.zerosLike(variable)]));
    const missing = { ...zeros };
    delete missing[variables[2].name];
    assert.throws(() => flat.apply(variables, missing), new RegExp(`no gradient for variable ${variables[2].name}`));
    flat.apply(variables, zeros);
    assert.throws(() => flat.apply(variables.slice(1), zeros), /holds moments of 157 values; the variables have 37/);
    flat.dispose();
    tf.dispose([...variables, ...Object.values(zeros)]);
  });
});
