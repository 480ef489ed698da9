import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../../../src/engine/backend/selectBackend';
import { registerWasmConv2dBackpropInput, usesXnnpackConv2dBackpropInput } from '../../../../src/engine/backend/wasmConv2dBackpropInput';

type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];

interface InputGradientCase {
  readonly name: string;
  readonly xShape: [number, number, number, number];
  readonly filterShape: [number, number, number, number];
  readonly stride: number;
  readonly pad: Pad;
}

const CASES: InputGradientCase[] = [
  { name: 'stride 1, down-shift padding, 2×3 filter (PixelCNN vertical)', xShape: [2, 7, 7, 3], filterShape: [2, 3, 3, 4], stride: 1, pad: [[0, 0], [1, 0], [1, 1], [0, 0]] },
  { name: 'stride 1, down-right padding, 2×2 filter (PixelCNN horizontal)', xShape: [2, 8, 6, 3], filterShape: [2, 2, 3, 5], stride: 1, pad: [[0, 0], [1, 0], [1, 0], [0, 0]] },
  { name: 'stride 2, down-shift padding, odd size', xShape: [2, 9, 7, 2], filterShape: [2, 3, 2, 3], stride: 2, pad: [[0, 0], [1, 0], [1, 1], [0, 0]] },
  { name: 'stride 2, same padding, 3×3 filter', xShape: [1, 8, 9, 3], filterShape: [3, 3, 3, 2], stride: 2, pad: 'same' },
  { name: 'stride 2, valid padding, 3×3 filter', xShape: [2, 7, 9, 3], filterShape: [3, 3, 3, 5], stride: 2, pad: 'valid' },
  { name: 'stride 1, same padding, 1×3 filter', xShape: [1, 6, 6, 2], filterShape: [1, 3, 2, 2], stride: 1, pad: 'same' },
  { name: '1×1 filter (dense layers)', xShape: [3, 4, 4, 5], filterShape: [1, 1, 5, 7], stride: 1, pad: 'valid' },
];

/** A deterministic pseudo-random array. */
function values(size: number, seed: number): Float32Array {
  let state = seed;
  return Float32Array.from({ length: size }, () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1);
}

/** dL/dx of L = Σ dy · conv2d(x, w), in float64 by the definition (no tfjs kernel). */
function referenceInputGradient(testCase: InputGradientCase, filter: Float32Array, dy: Float32Array, dyShape: number[]): Float64Array {
  const [batch, height, width, inChannels] = testCase.xShape;
  const [kernelHeight, kernelWidth, , outChannels] = testCase.filterShape;
  const info = tf.backend_util.computeConv2DInfo(testCase.xShape, testCase.filterShape, testCase.stride, 1, testCase.pad);
  const [, outHeight, outWidth] = dyShape;
  const dx = new Float64Array(batch * height * width * inChannels);
  for (let n = 0; n < batch; n++)
    for (let i = 0; i < outHeight; i++)
      for (let j = 0; j < outWidth; j++)
        for (let r = 0; r < kernelHeight; r++)
          for (let c = 0; c < kernelWidth; c++) {
            const row = i * testCase.stride + r - info.padInfo.top;
            const col = j * testCase.stride + c - info.padInfo.left;
            if (row < 0 || row >= height || col < 0 || col >= width) continue;
            for (let ci = 0; ci < inChannels; ci++)
              for (let co = 0; co < outChannels; co++) {
                dx[((n * height + row) * width + col) * inChannels + ci] +=
                  dy[((n * outHeight + i) * outWidth + j) * outChannels + co] * filter[((r * kernelWidth + c) * inChannels + ci) * outChannels + co];
              }
          }
  return dx;
}

describe('wasm Conv2DBackpropInput on XNNPACK', () => {
  before(async () => {
    await selectBackend('wasm');
  });

  it('is installed by the wasm backend, once however often it is registered', () => {
    assert.equal(usesXnnpackConv2dBackpropInput(), true);
    registerWasmConv2dBackpropInput();
    assert.equal(usesXnnpackConv2dBackpropInput(), true);
  });

  for (const testCase of CASES) {
    it(`matches the float64 reference for ${testCase.name}`, () => {
      const x = tf.tensor4d(values(testCase.xShape.reduce((a, b) => a * b), 1), testCase.xShape);
      const filterValues = values(testCase.filterShape.reduce((a, b) => a * b), 2);
      const filter = tf.tensor4d(filterValues, testCase.filterShape);
      const output = tf.conv2d(x, filter, testCase.stride, testCase.pad);
      const dyValues = values(output.size, 3);
      const dy = tf.tensor4d(dyValues, output.shape);
      const before = tf.memory().numTensors;
      const buffersBefore = tf.engine().backend.numDataIds();
      const gradient = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(input as tf.Tensor4D, filter, testCase.stride, testCase.pad), dy)))(x);
      const actual = gradient.dataSync();
      gradient.dispose();
      assert.equal(tf.memory().numTensors, before, 'tensors leaked');
      assert.equal(tf.engine().backend.numDataIds(), buffersBefore, 'backend buffers leaked (the kernel frees its intermediates)');
      const expected = referenceInputGradient(testCase, filterValues, dyValues, output.shape);
      const scale = Math.max(1, ...Array.from(expected, Math.abs));
      const worst = Array.from(actual).reduce((max, value, i) => Math.max(max, Math.abs(value - expected[i])), 0);
      assert.ok(worst <= 1e-4 * scale, `max difference ${worst}`);
      tf.dispose([x, filter, output, dy]);
    });
  }

  it('computes conv2dTranspose (its forward use) like the reference', () => {
    const testCase = CASES[3];
    const filterValues = values(testCase.filterShape.reduce((a, b) => a * b), 5);
    const filter = tf.tensor4d(filterValues, testCase.filterShape);
    const outShape = tf.conv2d(tf.zeros(testCase.xShape) as tf.Tensor4D, filter, testCase.stride, testCase.pad).shape;
    const inputValues = values(outShape.reduce((a, b) => a * b), 6);
    const transposed = tf.conv2dTranspose(tf.tensor4d(inputValues, outShape), filter, testCase.xShape, testCase.stride, testCase.pad as 'same');
    const expected = referenceInputGradient(testCase, filterValues, inputValues, outShape);
    const worst = Array.from(transposed.dataSync()).reduce((max, value, i) => Math.max(max, Math.abs(value - expected[i])), 0);
    assert.ok(worst <= 1e-4 * Math.max(1, ...Array.from(expected, Math.abs)), `max difference ${worst}`);
  });
});
