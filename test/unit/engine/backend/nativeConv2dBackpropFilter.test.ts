import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../../../src/engine/backend/selectBackend';
import { MIN_NATIVE_FILTER_GRADIENT_CHANNELS, nativeFilterGradientCount } from '../../../../src/engine/backend/nativeConv2dBackpropFilter';
import { hasSyncSessions } from '../../../../src/engine/onnx/syncSession';
import type { ConvCase, Shape4D } from './convReference';
import { assertClose, outputShape, randomTensor, referenceFilterGradient, runBackpropFilterKernel } from './convReference';

/** A case and whether ONNX Runtime computes its filter gradient (else the wasm-memory im2col kernel does). */
interface NativeCase extends ConvCase {
  readonly native: boolean;
}

const DOWN_SHIFT: ConvCase['pad'] = [[0, 0], [1, 0], [1, 1], [0, 0]];
const DOWN_RIGHT_SHIFT: ConvCase['pad'] = [[0, 0], [1, 0], [1, 0], [0, 0]];

const CASES: readonly NativeCase[] = [
  { name: 'a down-shifted 2×3 kernel (PixelCNN padding), 32 → 64', xShape: [3, 9, 10, 32], filterShape: [2, 3, 32, 64], strides: 1, pad: DOWN_SHIFT, native: true },
  { name: 'a down-right-shifted 2×2 kernel, 16 → 16', xShape: [2, 7, 7, 16], filterShape: [2, 2, 16, 16], strides: 1, pad: DOWN_RIGHT_SHIFT, native: true },
  { name: 'a 1×1 kernel, 32 → 3 (the mixture head)', xShape: [2, 6, 5, 32], filterShape: [1, 1, 32, 3], strides: 1, pad: 'valid', native: true },
  { name: 'stride 2 on odd sizes with down-shift padding, 16 → 16', xShape: [2, 13, 11, 16], filterShape: [2, 3, 16, 16], strides: 2, pad: [[0, 0], [1, 0], [1, 0], [0, 0]], native: true },
  { name: "'same' padding, 3×3, stride 2, even sizes", xShape: [2, 8, 8, 8], filterShape: [3, 3, 8, 5], strides: 2, pad: 'same', native: true },
  {
    name: 'more images than one run takes (9 images of 28×28: runs of 8 and 1, summed)',
    xShape: [9, 28, 28, 8],
    filterShape: [2, 3, 8, 8],
    strides: 1,
    pad: DOWN_SHIFT,
    native: true,
  },
  { name: `fewer than ${MIN_NATIVE_FILTER_GRADIENT_CHANNELS} input channels (the image layers: left to im2col)`, xShape: [2, 6, 7, 1], filterShape: [2, 3, 1, 16], strides: 1, pad: [[0, 0], [2, 0], [1, 1], [0, 0]], native: false },
  {
    name: 'ceil rounding whose last window reaches past the padding (left to im2col)',
    xShape: [1, 8, 7, 8],
    filterShape: [3, 3, 8, 2],
    strides: 2,
    pad: 2,
    dimRoundingMode: 'ceil',
    native: false,
  },
];

(hasSyncSessions() ? describe : describe.skip)('Native Conv2DBackpropFilter on wasm (skipped where onnxruntime-node does not load or OUTLIER_LENS_ONNX_RUNTIME=off)', () => {
  before(async () => {
    await selectBackend('wasm');
  });

  for (const testCase of CASES) {
    it(`matches the float64 reference for ${testCase.name}, ${testCase.native ? 'on ONNX Runtime' : 'not on ONNX Runtime'}`, () => {
      const x = randomTensor(testCase.xShape, 11);
      const dy = randomTensor(outputShape(testCase), 12);
      const tensorsBefore = tf.memory().numTensors;
      const nativeBefore = nativeFilterGradientCount();
      const gradient = runBackpropFilterKernel(testCase, x, dy);
      try {
        assert.deepEqual(gradient.shape, testCase.filterShape);
        assert.equal(nativeFilterGradientCount() - nativeBefore, testCase.native ? 1 : 0, 'filter gradients run on ONNX Runtime');
        assertClose(gradient.dataSync() as Float32Array, referenceFilterGradient(testCase, x, dy), testCase.name);
      } finally {
        gradient.dispose();
      }
      assert.equal(tf.memory().numTensors, tensorsBefore);
    });
  }

  it("gives conv2d's filter gradient through tf.grad as the cpu backend does, on ONNX Runtime", async () => {
    const filterGradient = async (backend: 'wasm' | 'cpu'): Promise<Float32Array> => {
      await selectBackend(backend);
      return tf.tidy(() => {
        const x = tf.randomNormal([4, 12, 12, 32], 0, 1, 'float32', 7) as tf.Tensor4D;
        const weights = tf.randomNormal([4, 12, 12, 32], 0, 1, 'float32', 8);
        const loss = (filter: tf.Tensor): tf.Tensor => tf.sum(tf.mul(tf.conv2d(x, filter as tf.Tensor4D, 1, DOWN_SHIFT as never), weights));
        return tf.grad(loss)(tf.randomNormal([2, 3, 32, 32] as Shape4D, 0, 0.1, 'float32', 9)).dataSync() as Float32Array;
      });
    };
    const expected = await filterGradient('cpu');
    const nativeBefore = nativeFilterGradientCount();
    const actual = await filterGradient('wasm');
    assert.equal(nativeFilterGradientCount() - nativeBefore, 1, 'the filter gradient ran on ONNX Runtime');
    let worst = 0;
    expected.forEach((value, index) => {
      worst = Math.max(worst, Math.abs(actual[index] - value) / Math.max(1, Math.abs(value)));
    });
    assert.ok(worst < 1e-4, `largest relative difference ${worst}`);
  });
});
