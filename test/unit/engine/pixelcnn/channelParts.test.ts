import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { PixelCnn } from '../../../../src/engine/pixelcnn';
import type { ChannelLayout } from '../../../../src/engine/pixelcnn/layers';
import { channelLayoutFor } from '../../../../src/engine/pixelcnn/layers';
import { describeOnEachBackend } from '../backendMatrix';
import { readFloats } from '../readback';

/** The largest |a − b| relative to the largest |b| (at least 1). */
function relativeDifference(a: Float32Array, b: Float32Array): number {
  let largest = 1;
  let worst = 0;
  for (let i = 0; i < b.length; i++) {
    largest = Math.max(largest, Math.abs(b[i]));
    worst = Math.max(worst, Math.abs(a[i] - b[i]));
  }
  return worst / largest;
}

/** Per-pixel log-likelihoods and every variable's loss gradient under one channel-parts layout. */
async function evaluate(model: PixelCnn, images: tf.Tensor4D, layout: ChannelLayout): Promise<{ perPixel: Float32Array; gradients: Map<string, Float32Array> }> {
  model.channelParts = layout;
  const perPixel = await readFloats(model.logProb(images, { perPixel: true }));
  const { value, grads } = tf.variableGrads(() => model.loss(images, false));
  value.dispose();
  const gradients = new Map<string, Float32Array>();
  for (const [name, variable] of model.variables) {
    gradients.set(name, await readFloats(grads[variable.name]));
  }
  return { perPixel, gradients };
}

describeOnEachBackend('PixelCNN++ channel parts: one convolution per layer, per part, or per part and output group', () => {
  for (const [what, shape] of [
    ['gray', [6, 5, 1]],
    ['RGB', [5, 6, 3]],
  ] as Array<[string, [number, number, number]]>) {
    it(`computes the same log-likelihoods and gradients every way (${what}, concat_elu, 2 hierarchies, 2 mixtures)`, async () => {
      const model = new PixelCnn(shape, { numResnet: 1, numHierarchies: 2, numFilters: 6, numLogisticMix: 2, dropoutP: 0, l2Weight: 0.5 }, 4);
      const images = tf.randomUniform([3, ...shape], 0, 256, 'int32', 8) as tf.Tensor4D;
      try {
        const separate = await evaluate(model, images, 'separate');
        for (const layout of ['joined', 'perPart'] as const) {
          const other = await evaluate(model, images, layout);
          assert.ok(relativeDifference(other.perPixel, separate.perPixel) < 1e-5, `per-pixel log p differs (${layout})`);
          for (const [name, gradient] of separate.gradients) {
            const difference = relativeDifference(other.gradients.get(name) as Float32Array, gradient);
            assert.ok(difference < 1e-4, `gradient of ${name} differs by ${difference} (relative, ${layout})`);
          }
        }
      } finally {
        images.dispose();
        model.dispose();
      }
    });
  }
});

describe('PixelCNN++ channel layout chosen per backend', () => {
  it('keeps parts apart on the CPU backends (output groups joined in training only), joins them on webgpu', () => {
    assert.equal(channelLayoutFor('wasm', true), 'perPart');
    assert.equal(channelLayoutFor('wasm', false), 'separate');
    assert.equal(channelLayoutFor('cpu', true), 'separate');
    assert.equal(channelLayoutFor('webgpu', true), 'joined');
    assert.equal(channelLayoutFor('webgpu', false), 'joined');
  });
});
