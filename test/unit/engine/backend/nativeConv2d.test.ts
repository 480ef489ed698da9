import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../../../src/engine/backend/selectBackend';
import { nativeConv2dCount, usesNativeConv2d } from '../../../../src/engine/backend/nativeConv2d';
import { nchwcBlockSize } from '../../../../src/engine/onnx/nchwcBlockSize';
import { hasSyncSessions } from '../../../../src/engine/onnx/syncSession';

type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];

interface ConvCase {
  readonly name: string;
  readonly x: [number, number, number, number];
  readonly filter: [number, number, number, number];
  readonly strides: 1 | 2;
  readonly pad: Pad;
  readonly bias?: boolean;
  readonly activation?: 'relu';
  readonly dilations?: 2;
  /**
   * Whether ONNX Runtime runs it (else XNNPACK); `blocked`: where the runtime's NCHWc block size
   * divides both channel counts (its blocked convolution is fast enough for any such layer).
   */
  readonly native: boolean | 'blocked';
}

/** Whether `testCase` runs on ONNX Runtime here. */
function runsNatively(testCase: ConvCase): boolean {
  if (testCase.native !== 'blocked') {
    return testCase.native;
  }
  const blockSize = nchwcBlockSize();
  return blockSize !== null && testCase.filter[2] % blockSize === 0 && testCase.filter[3] % blockSize === 0;
}

const CASES: readonly ConvCase[] = [
  { name: 'a down-shifted 2×3 kernel (PixelCNN padding), 64 → 32 channels', x: [2, 12, 12, 64], filter: [2, 3, 64, 32], strides: 1, pad: [[0, 0], [1, 0], [1, 1], [0, 0]], native: true },
  { name: 'a down-right-shifted 2×2 kernel with a bias, 64 → 64', x: [3, 7, 9, 64], filter: [2, 2, 64, 64], strides: 1, pad: [[0, 0], [1, 0], [1, 0], [0, 0]], bias: true, native: true },
  { name: 'stride 2 on odd sizes, explicit padding, with a bias', x: [2, 13, 11, 32], filter: [2, 3, 32, 32], strides: 2, pad: [[0, 0], [1, 1], [1, 1], [0, 0]], bias: true, native: true },
  { name: "'same' padding, 3×3, stride 2", x: [1, 10, 10, 24], filter: [3, 3, 24, 40], strides: 2, pad: 'same', native: true },
  { name: "'valid' padding, a 1×1 kernel with a bias, 256 → 128", x: [2, 5, 6, 256], filter: [1, 1, 256, 128], strides: 1, pad: 'valid', bias: true, native: true },
  { name: 'one input channel (too little work a value: left to XNNPACK)', x: [2, 8, 8, 1], filter: [2, 3, 1, 16], strides: 1, pad: [[0, 0], [2, 0], [1, 1], [0, 0]], native: false },
  { name: 'a 16-channel layer (native where blocked, else left to XNNPACK)', x: [2, 8, 8, 16], filter: [2, 3, 16, 16], strides: 1, pad: [[0, 0], [1, 0], [1, 1], [0, 0]], native: 'blocked' },
  { name: 'a 1×1 kernel with a bias, 32 → 32 (native where blocked, else left to XNNPACK)', x: [2, 7, 5, 32], filter: [1, 1, 32, 32], strides: 1, pad: 'valid', bias: true, native: 'blocked' },
  { name: 'a fused relu (left to XNNPACK)', x: [2, 6, 6, 32], filter: [3, 3, 32, 32], strides: 1, pad: 'same', bias: true, activation: 'relu', native: false },
  { name: 'dilation 2 (left to XNNPACK)', x: [1, 9, 9, 32], filter: [3, 3, 32, 32], strides: 1, pad: 'valid', dilations: 2, native: false },
];

/** The case's output, computed on `backend` from the same values. */
async function convolve(backend: 'wasm' | 'cpu', testCase: ConvCase): Promise<Float32Array> {
  await selectBackend(backend);
  return tf.tidy(() => {
    const x = tf.randomNormal(testCase.x, 0, 1, 'float32', 1);
    const filter = tf.randomNormal(testCase.filter, 0, 0.2, 'float32', 2);
    const bias = testCase.bias ? tf.randomNormal([testCase.filter[3]], 0, 1, 'float32', 3) : undefined;
    const dilations = testCase.dilations ?? 1;
    const y = bias || testCase.activation
      ? tf.fused.conv2d({ x: x as tf.Tensor4D, filter: filter as tf.Tensor4D, strides: testCase.strides, pad: testCase.pad, bias, activation: testCase.activation ?? 'linear', dilations })
      : tf.conv2d(x as tf.Tensor4D, filter as tf.Tensor4D, testCase.strides, testCase.pad, 'NHWC', dilations);
    return y.dataSync() as Float32Array;
  });
}

(hasSyncSessions() ? describe : describe.skip)('Native Conv2D on wasm (skipped where onnxruntime-node does not load or OUTLIER_LENS_ONNX_RUNTIME=off)', () => {
  it('is registered by the wasm starter', async () => {
    const { description } = await selectBackend('wasm');
    assert.ok(usesNativeConv2d());
    assert.match(description, /convolutions on ONNX Runtime/);
  });

  for (const testCase of CASES) {
    it(`matches the cpu backend's convolution to 1e-4 for ${testCase.name}`, async () => {
      const expected = await convolve('cpu', testCase);
      const tensorsBefore = tf.memory().numTensors;
      const nativeBefore = nativeConv2dCount();
      const actual = await convolve('wasm', testCase);
      assert.equal(tf.memory().numTensors, tensorsBefore);
      assert.equal(nativeConv2dCount() - nativeBefore, runsNatively(testCase) ? 1 : 0, 'native convolutions run');
      assert.equal(actual.length, expected.length);
      let worst = 0;
      expected.forEach((value, index) => {
        worst = Math.max(worst, Math.abs(actual[index] - value) / Math.max(1, Math.abs(value)));
      });
      assert.ok(worst < 1e-4, `largest relative difference ${worst}`);
    });
  }

  it("gives conv2d's input and filter gradients as the cpu backend does (the input gradient is a Conv2D)", async () => {
    const gradients = async (backend: 'wasm' | 'cpu'): Promise<Float32Array[]> => {
      await selectBackend(backend);
      return tf.tidy(() => {
        const x = tf.randomNormal([2, 9, 8, 32], 0, 1, 'float32', 4) as tf.Tensor4D;
        const filter = tf.randomNormal([2, 3, 32, 32], 0, 0.1, 'float32', 5) as tf.Tensor4D;
        const pad: Pad = [[0, 0], [1, 0], [1, 1], [0, 0]];
        const loss = (...inputs: tf.Tensor[]): tf.Tensor => tf.sum(tf.square(tf.conv2d(inputs[0] as tf.Tensor4D, inputs[1] as tf.Tensor4D, 2, pad)));
        const [dx, dFilter] = tf.grads(loss)([x, filter]);
        return [dx.dataSync() as Float32Array, dFilter.dataSync() as Float32Array];
      });
    };
    const expected = await gradients('cpu');
    const nativeBefore = nativeConv2dCount();
    const actual = await gradients('wasm');
    assert.equal(nativeConv2dCount() - nativeBefore, 2, 'the forward convolution and the input gradient ran natively');
    expected.forEach((values, which) => {
      let worst = 0;
      values.forEach((value, index) => {
        worst = Math.max(worst, Math.abs(actual[which][index] - value) / Math.max(1, Math.abs(value)));
      });
      assert.ok(worst < 1e-4, `${which === 0 ? 'input' : 'filter'} gradient: largest relative difference ${worst}`);
    });
  });
});
