import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { fusedGate, hasFusedGate } from '../../../../src/engine/ops/gate';
import { usesOwnKernels } from '../../../../src/engine/backend/types';
import { describeOnEachBackend } from '../backendMatrix';
import { readFloats } from '../readback';
import { largestRelativeError, randomValues } from '../backend/convReference';

/** A tensor of deterministic values in [-scale, scale), with ±30 (σ's saturated ends) among them. */
function testTensor(shape: [number, number, number, number], seed: number, scale = 3): tf.Tensor4D {
  const values = randomValues(tf.util.sizeFromShape(shape), seed).map((value) => scale * value);
  values.set([30, -30, 0]);
  return tf.tensor4d(values, shape);
}

describeOnEachBackend('The resnet gate x + value · σ(gate)', (backend) => {
  // webgpu has shaders, unless tfjs's own kernels are asked for.
  const fused = backend === 'webgpu' && usesOwnKernels();
  it(`is ${fused ? 'one kernel each way' : "tfjs's ops"} here`, () => {
    assert.equal(hasFusedGate(), fused);
  });

  it('reads value and gate from the two halves of the channel axis, as the float64 definition', async () => {
    const filters = 5;
    const x = testTensor([2, 3, 4, filters], 41);
    const gated = testTensor([2, 3, 4, 2 * filters], 42);
    const [xs, gs] = [await x.data(), await gated.data()];
    const output = await readFloats(fusedGate(x, gated));
    const expected = Array.from(xs, (value, index) => {
      const pixel = Math.floor(index / filters);
      const channel = index % filters;
      return value + gs[pixel * 2 * filters + channel] / (1 + Math.exp(-gs[pixel * 2 * filters + filters + channel]));
    });
    assert.ok(largestRelativeError(output, expected) < 1e-6, `max error ${largestRelativeError(output, expected)}`);
    tf.dispose([x, gated]);
  });

  // 8 filters: whole SIMD vectors for wasm's gradient kernel; 5: its ONNX Runtime fallback.
  for (const filters of [8, 5]) {
    it(`has the gradients of tfjs's split, sigmoid, mul and add, with respect to both inputs (${filters} filters)`, async () => {
      const shape: [number, number, number, number] = [3, 5, 6, filters];
      const x = testTensor(shape, 51);
      const gated = testTensor([3, 5, 6, 2 * filters], 52);
      const weights = testTensor(shape, 53, 1);
      const loss = (gate: (a: tf.Tensor4D, b: tf.Tensor4D) => tf.Tensor) => (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(gate(a as tf.Tensor4D, b as tf.Tensor4D), weights));
      const composite = (a: tf.Tensor4D, b: tf.Tensor4D) => {
        const [value, gate] = tf.split(b, 2, 3);
        return tf.add(a, tf.mul(value, tf.sigmoid(gate)));
      };
      const [fusedX, fusedGated] = tf.grads(loss(fusedGate))([x, gated]);
      const [compositeX, compositeGated] = tf.grads(loss(composite))([x, gated]);
      assert.ok(largestRelativeError(await readFloats(fusedX), await readFloats(compositeX)) < 1e-6, 'gradient of x');
      const [ours, theirs] = [await readFloats(fusedGated), await readFloats(compositeGated)];
      assert.ok(largestRelativeError(ours, theirs) < 1e-5, `gradient of the gated tensor: ${largestRelativeError(ours, theirs)}`);
      tf.dispose([x, gated, weights]);
    });
  }

  it('leaves no tensors behind through a gradient', async () => {
    const x = testTensor([1, 2, 2, 3], 61);
    const gated = testTensor([1, 2, 2, 6], 62);
    const before = tf.memory().numTensors;
    const gradients = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(fusedGate(a as tf.Tensor4D, b as tf.Tensor4D)))([x, gated]);
    await Promise.all(gradients.map((gradient) => readFloats(gradient)));
    assert.equal(tf.memory().numTensors, before);
    tf.dispose([x, gated]);
  });
});
