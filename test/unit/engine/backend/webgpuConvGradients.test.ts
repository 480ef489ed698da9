import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import {
  registerIm2colConv2dBackpropFilter,
  restoreBuiltInConv2dBackpropFilter,
  usesIm2colConv2dBackpropFilter,
} from '../../../../src/engine/backend/im2colConv2dBackpropFilter';
import { selectBackend } from '../../../../src/engine/backend/selectBackend';
import type { ConvCase, HostTensor } from './convReference';
import { readFloats } from '../readback';
import { assertClose, KERNEL_CASES, outputShape, randomTensor, referenceFilterGradient, runBackpropFilterKernel, withIm2colBudget } from './convReference';

/** Runs the Conv2DBackpropFilter kernel registered now and reads its result back asynchronously (webgpu cannot read synchronously). */
async function backpropFilter(testCase: ConvCase, x: HostTensor, dy: HostTensor): Promise<Float32Array> {
  return readFloats(runBackpropFilterKernel(testCase, x, dy));
}

describe('Convolution filter gradients — on webgpu (skipped where Dawn finds no GPU adapter)', () => {
  before(async function () {
    try {
      await selectBackend('webgpu');
    } catch {
      this.skip();
    }
  });

  it('uses the im2col kernel once the webgpu backend has started', () => {
    assert.ok(usesIm2colConv2dBackpropFilter('webgpu'), "webgpu's Conv2DBackpropFilter is not the im2col one");
  });

  KERNEL_CASES.forEach((testCase, index) => {
    it(`im2col matches the float64 reference for ${testCase.name}`, async () => {
      const x = randomTensor(testCase.xShape, 3000 + 10 * index);
      const dy = randomTensor(outputShape(testCase), 3001 + 10 * index);
      assertClose(await backpropFilter(testCase, x, dy), referenceFilterGradient(testCase, x, dy), testCase.name);
    });
  });

  it('im2col matches the reference when the batch is split into one-image chunks', async () => {
    const testCase: ConvCase = { ...KERNEL_CASES[4], xShape: [4, 7, 8, 5] };
    const x = randomTensor(testCase.xShape, 77);
    const dy = randomTensor(outputShape(testCase), 78);
    const gradient = await withIm2colBudget('webgpu', 1, () => backpropFilter(testCase, x, dy));
    assertClose(gradient, referenceFilterGradient(testCase, x, dy), 'one-image chunks');
  });

  it("im2col agrees with tfjs's own webgpu kernel on a PixelCNN down-shifted 2x3 convolution (batch 8, 28x28, 16 to 32 channels)", async () => {
    const testCase: ConvCase = { name: 'PixelCNN', xShape: [8, 28, 28, 16], filterShape: [2, 3, 16, 32], strides: 1, pad: [[0, 0], [1, 0], [1, 1], [0, 0]] };
    const x = randomTensor(testCase.xShape, 91);
    const dy = randomTensor(outputShape(testCase), 92);
    const im2col = await backpropFilter(testCase, x, dy);
    assert.ok(restoreBuiltInConv2dBackpropFilter('webgpu'), 'no built-in webgpu kernel was kept to restore');
    let builtIn: Float32Array;
    try {
      builtIn = await backpropFilter(testCase, x, dy);
    } finally {
      // Registering again replaces the built-in kernel once more, as the backend's starter does.
      registerIm2colConv2dBackpropFilter('webgpu');
    }
    assertClose(im2col, Float64Array.from(builtIn), "im2col against tfjs's webgpu kernel");
    assert.ok(usesIm2colConv2dBackpropFilter('webgpu'));
  });

  it('leaves no tensors or bytes behind after a conv2d filter gradient through tf.grad', async () => {
    const x = tf.tensor4d(randomTensor([2, 8, 8, 4], 51).values, [2, 8, 8, 4]);
    const filter = tf.tensor4d(randomTensor([2, 3, 4, 6], 52).values, [2, 3, 4, 6]);
    const before = tf.memory();
    const gradient = tf.grad((f: tf.Tensor) => tf.sum(tf.square(tf.conv2d(x, f as tf.Tensor4D, 2, 'same'))))(filter);
    await gradient.data();
    gradient.dispose();
    const after = tf.memory();
    assert.deepEqual([after.numTensors, after.numBytes], [before.numTensors, before.numBytes]);
    tf.dispose([x, filter]);
  });
});
