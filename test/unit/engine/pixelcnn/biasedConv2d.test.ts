import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import type { ExplicitPadding } from '../../../../src/engine/pixelcnn/biasedConv2d';
import { biasedConv2d } from '../../../../src/engine/pixelcnn/biasedConv2d';
import { describeOnEachBackend } from '../backendMatrix';
import { readFloats } from '../readback';

/** The largest |a − b| relative to the largest |b| (at least 1). */
function relativeDifference(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let largest = 1;
  let worst = 0;
  for (let i = 0; i < b.length; i++) {
    largest = Math.max(largest, Math.abs(b[i]));
    worst = Math.max(worst, Math.abs(a[i] - b[i]));
  }
  return worst / largest;
}

interface Geometry {
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: 1 | 2;
  pad: ExplicitPadding;
}

// The PixelCNN++ shapes: a down-shifted 2×3, a down-right-shifted 2×2, a 1×1, a strided 2×3.
const GEOMETRIES: Geometry[] = [
  { x: [3, 7, 8, 4], filter: [2, 3, 4, 5], strides: 1, pad: [[0, 0], [1, 0], [1, 1], [0, 0]] },
  { x: [2, 6, 6, 3], filter: [2, 2, 3, 4], strides: 1, pad: [[0, 0], [1, 0], [1, 0], [0, 0]] },
  { x: [2, 5, 5, 6], filter: [1, 1, 6, 3], strides: 1, pad: [[0, 0], [0, 0], [0, 0], [0, 0]] },
  { x: [2, 9, 8, 3], filter: [2, 3, 3, 4], strides: 2, pad: [[0, 0], [1, 0], [1, 0], [0, 0]] },
];

/** The loss Σ w ⊙ conv(x) + bias under `conv`, and its gradients with respect to the inputs that `conv` trains. */
async function gradientsOf(
  conv: (x: tf.Tensor4D, filter: tf.Tensor4D, bias: tf.Tensor1D) => tf.Tensor4D,
  inputs: { x: tf.Tensor4D; filter: tf.Tensor4D; bias: tf.Tensor1D; weights: tf.Tensor4D },
  withRespectTo: Array<'x' | 'filter' | 'bias'>,
): Promise<{ value: Float32Array; gradients: Float32Array[] }> {
  const { value, grads } = tf.valueAndGrads((...args: tf.Tensor[]) => {
    const named = { ...inputs };
    withRespectTo.forEach((name, i) => Object.assign(named, { [name]: args[i] }));
    return tf.sum(tf.mul(conv(named.x, named.filter, named.bias), inputs.weights));
  })(withRespectTo.map((name) => inputs[name]));
  return { value: await readFloats(value), gradients: await Promise.all(grads.map((grad) => readFloats(grad))) };
}

describeOnEachBackend('A biased convolution with its own gradient', (backend) => {
  for (const geometry of GEOMETRIES) {
    const label = `x [${geometry.x}], filter [${geometry.filter}], stride ${geometry.strides}`;

    it(`matches tfjs's fused convolution and its gradients (1e-5 relative): ${label}`, async () => {
      const inputs = tf.tidy(() => {
        const x = tf.randomNormal(geometry.x, 0, 1, 'float32', 1) as tf.Tensor4D;
        const filter = tf.randomNormal(geometry.filter, 0, 1, 'float32', 2) as tf.Tensor4D;
        const bias = tf.randomNormal([geometry.filter[3]], 0, 1, 'float32', 3) as tf.Tensor1D;
        const output = tf.fused.conv2d({ x, filter, strides: geometry.strides, pad: geometry.pad, bias });
        const weights = tf.randomNormal(output.shape, 0, 1, 'float32', 4) as tf.Tensor4D;
        return { x, filter, bias, weights };
      });
      const before = tf.memory().numTensors;
      const all: Array<'x' | 'filter' | 'bias'> = ['x', 'filter', 'bias'];
      const reference = await gradientsOf((x, filter, bias) => tf.fused.conv2d({ x, filter, strides: geometry.strides, pad: geometry.pad, bias }), inputs, all);
      const ours = await gradientsOf((x, filter, bias) => biasedConv2d(x, filter, bias, geometry.strides, geometry.pad, false), inputs, all);
      assert.ok(relativeDifference(ours.value, reference.value) < 1e-5, `loss on ${backend}`);
      all.forEach((name, i) => {
        const difference = relativeDifference(ours.gradients[i], reference.gradients[i]);
        assert.ok(difference < 1e-5, `${name} gradient differs by ${difference} on ${backend}`);
      });
      // With x as data only the weights are trained; their gradients are the same.
      const weightsOnly = await gradientsOf((x, filter, bias) => biasedConv2d(x, filter, bias, geometry.strides, geometry.pad, true), inputs, ['filter', 'bias']);
      assert.ok(relativeDifference(weightsOnly.gradients[0], reference.gradients[1]) < 1e-5, 'filter gradient with x as data');
      assert.ok(relativeDifference(weightsOnly.gradients[1], reference.gradients[2]) < 1e-5, 'bias gradient with x as data');
      assert.equal(tf.memory().numTensors, before, 'no tensors left behind');
      tf.dispose(inputs);
    });
  }

  it('computes no input gradient when x is data: one Conv2DBackpropFilter and no Conv2DBackpropInput', async () => {
    const x = tf.randomNormal([2, 6, 6, 3]) as tf.Tensor4D;
    const filter = tf.variable(tf.randomNormal([2, 3, 3, 4]), true, 'biasedConv2d/filter') as tf.Variable<tf.Rank.R4>;
    const bias = tf.variable(tf.zeros([4]), true, 'biasedConv2d/bias') as tf.Variable<tf.Rank.R1>;
    const pad: ExplicitPadding = [[0, 0], [1, 0], [1, 1], [0, 0]];
    const kernelsOf = async (xIsData: boolean): Promise<string[]> => {
      const profile = await tf.profile(() => {
        const { value, grads } = tf.variableGrads(() => tf.sum(biasedConv2d(x, filter, bias, 1, pad, xIsData)) as tf.Scalar);
        tf.dispose([value, ...Object.values(grads)]);
      });
      return profile.kernels.map((kernel) => kernel.name);
    };
    const asData = await kernelsOf(true);
    assert.equal(asData.filter((name) => name === 'Conv2DBackpropFilter').length, 1);
    assert.equal(asData.filter((name) => name === 'Conv2DBackpropInput').length, 0);
    // x is not a variable here either, but the general form cannot know that: it computes dx.
    assert.equal((await kernelsOf(false)).filter((name) => name === 'Conv2DBackpropInput').length, 1);
    tf.dispose([x, filter, bias]);
  });
});
