import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../../../src/engine/backend/selectBackend';
import { nativeChannelSums } from '../../../../src/engine/backend/wasmChannelSums';
import { loadOnnxRuntime } from '../../../../src/engine/onnx/onnxRuntime';

(loadOnnxRuntime().runtime ? describe : describe.skip)('Channel sums on ONNX Runtime for wasm tensors (skipped where onnxruntime-node does not load or OUTLIER_LENS_ONNX_RUNTIME=off)', () => {
  before(async () => {
    await selectBackend('wasm');
  });

  it('sum over every axis but the last as float64 does (1e-5 relative), for ranks 1 to 4, a longer sum after a shorter one and back', async () => {
    for (const shape of [[5], [3, 4], [2, 7, 6], [4, 28, 28, 32], [2, 3, 4, 5], [1, 1, 1, 1]]) {
      const x = tf.randomNormal(shape, 0, 1, 'float32', shape.length);
      const sums = nativeChannelSums(x);
      assert.ok(sums, `native sums for [${shape}]`);
      const channels = shape[shape.length - 1];
      assert.deepEqual(sums.shape, [channels]);
      const values = await x.data();
      const expected = new Float64Array(channels);
      values.forEach((value, i) => (expected[i % channels] += value));
      const actual = await sums.data();
      for (let channel = 0; channel < channels; channel++) {
        assert.ok(Math.abs(actual[channel] - expected[channel]) <= 1e-5 * Math.max(1, values.length / channels), `[${shape}] channel ${channel}: ${actual[channel]} vs ${expected[channel]}`);
      }
      tf.dispose([x, sums]);
    }
  });

  it('decline what they cannot sum in place (int32 tensors, scalars), leaving it to tfjs', () => {
    const counts = tf.tensor2d([[1, 2], [3, 4]], [2, 2], 'int32');
    const scalar = tf.scalar(3);
    assert.equal(nativeChannelSums(counts), null);
    assert.equal(nativeChannelSums(scalar), null);
    tf.dispose([counts, scalar]);
  });
});
