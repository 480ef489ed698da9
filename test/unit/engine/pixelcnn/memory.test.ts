import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { PixelCnn } from '../../../../src/engine/pixelcnn';
import { describeOnEachBackend } from '../backendMatrix';

// Two hierarchies of two resnet layers: enough layers for kept temporaries to add up.
const SMALL = { numResnet: 2, numHierarchies: 2, numFilters: 8, numLogisticMix: 1, dropoutP: 0 } as const;

/**
 * The most bytes of tensors alive after any kernel `run` calls (tf.profile's peakBytes also counts
 * buffers a kernel holds while it runs, e.g. a convolution's, the same in any pass).
 */
async function mostTensorBytes(run: () => tf.Tensor): Promise<number> {
  const profile = await tf.profile(run);
  return Math.max(...profile.kernels.map((kernel) => kernel.totalBytesSnapshot));
}

describeOnEachBackend('PixelCNN++ memory', () => {
  // Both passes in one layout: training and inference may choose different ones (wasm joins the parts only in training at 8 filters).
  for (const layout of ['joined', 'perPart', 'separate'] as const) {
    it(`frees each layer's temporaries in the forward pass: its peak is under a third of the same pass keeping them, as training does (parts ${layout})`, async () => {
      const model = new PixelCnn([12, 12, 1], SMALL, 3);
      model.channelParts = layout;
      const images = tf.randomUniform([6, 12, 12, 1], 0, 256, 'int32', 4) as tf.Tensor4D;
      try {
        const inference = await mostTensorBytes(() => model.logProb(images));
        // The loss in training mode runs the same network and keeps every temporary until it ends.
        const keepingAll = await mostTensorBytes(() => model.loss(images, true));
        assert.ok(inference < keepingAll / 3, `${inference} B of tensors at most, against ${keepingAll} B keeping all`);
      } finally {
        images.dispose();
        model.dispose();
      }
    });
  }

  it('holds no more tensors in a forward pass than inferenceBytesPerImage counts (the scoring batch rests on it)', async () => {
    const model = new PixelCnn([12, 12, 1], SMALL, 3);
    const images = tf.randomUniform([6, 12, 12, 1], 0, 256, 'int32', 4) as tf.Tensor4D;
    try {
      const before = tf.memory().numBytes;
      const held = (await mostTensorBytes(() => model.logProb(images))) - before;
      assert.ok(held <= 6 * model.inferenceBytesPerImage(), `${held} B held for 6 images, estimated ${6 * model.inferenceBytesPerImage()} B`);
    } finally {
      images.dispose();
      model.dispose();
    }
  });
});
