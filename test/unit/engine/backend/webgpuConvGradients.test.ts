import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { DEFAULT_IM2COL_BUDGET_BYTES, restoreBuiltInConv2dBackpropFilter } from '../../../../src/engine/backend/kernels/composed/Conv2DBackpropFilter';
import { filterGradientTiling, registerWgslConv2dBackpropFilter, usesWgslConv2dBackpropFilter } from '../../../../src/engine/backend/kernels/webgpu/Conv2DBackpropFilter';
import { selectBackend } from '../../../../src/engine/backend/selectBackend';
import type { ConvCase, HostTensor } from './convReference';
import { readFloats } from '../readback';
import { assertClose, KERNEL_CASES, outputShape, randomTensor, referenceFilterGradient, runBackpropFilterKernel, withIm2colBudget } from './convReference';

/** Runs the Conv2DBackpropFilter kernel registered now and reads its result back asynchronously (webgpu cannot read synchronously). */
async function backpropFilter(testCase: ConvCase, x: HostTensor, dy: HostTensor): Promise<Float32Array> {
  return readFloats(runBackpropFilterKernel(testCase, x, dy));
}

/** Geometries that take the WGSL kernel past one tile and one split: rows, columns and depth of every size around its tiles. */
const TILED_CASES: ConvCase[] = [
  { name: '288 filter rows (5 row tiles), 40 channels out (one 64-column tile, partly used), 2 splits', xShape: [2, 14, 14, 48], filterShape: [2, 3, 48, 40], strides: 1, pad: [[0, 0], [1, 0], [1, 1], [0, 0]] },
  { name: '128 filter rows, 100 channels out (two 64-column tiles), a depth no multiple of 16', xShape: [3, 9, 11, 32], filterShape: [2, 2, 32, 100], strides: 1, pad: [[0, 0], [1, 0], [1, 0], [0, 0]] },
  { name: 'the seed model at batch 8: 2x3 down-shift, 64 to 32 channels, 28x28 (25 splits)', xShape: [8, 28, 28, 64], filterShape: [2, 3, 64, 32], strides: 1, pad: [[0, 0], [1, 0], [1, 1], [0, 0]] },
  { name: 'stride 2, 2x3, 64 to 64 channels, 28x28 to 14x14', xShape: [4, 28, 28, 64], filterShape: [2, 3, 64, 64], strides: 2, pad: [[0, 0], [1, 0], [1, 1], [0, 0]] },
];

describe("The WGSL filter gradient's tiling", () => {
  it('covers every row, column and reduction index exactly once, in splits of whole stages', () => {
    for (const [rows, columns, depth] of [[6, 1, 1], [384, 32, 6272], [384, 64, 200704], [128, 100, 297], [4, 3, 17]]) {
      const tiling = filterGradientTiling(rows, columns, depth);
      assert.ok(tiling.rowTiles * 64 >= rows && (tiling.rowTiles - 1) * 64 < rows, `row tiles of ${rows}`);
      assert.ok(tiling.columnTiles * tiling.tileColumns >= columns && (tiling.columnTiles - 1) * tiling.tileColumns < columns, `column tiles of ${columns}`);
      assert.equal(tiling.depthPerSplit % 16, 0);
      assert.ok(tiling.splits * tiling.depthPerSplit >= depth && (tiling.splits - 1) * tiling.depthPerSplit < depth, `splits of ${depth}`);
    }
  });

  it('splits a deep reduction until the GPU has about a thousand workgroups, and a shallow one not at all', () => {
    const deep = filterGradientTiling(384, 64, 256 * 28 * 28);
    assert.ok(deep.rowTiles * deep.columnTiles * deep.splits >= 1000, `only ${deep.splits} splits`);
    assert.equal(filterGradientTiling(384, 64, 200).splits, 1);
  });
});

describe('Convolution filter gradients — on webgpu (skipped where Dawn finds no GPU adapter)', () => {
  before(async function () {
    try {
      await selectBackend('webgpu');
    } catch {
      this.skip();
    }
  });

  it('uses the WGSL kernel once the webgpu backend has started', () => {
    assert.ok(usesWgslConv2dBackpropFilter(), "webgpu's Conv2DBackpropFilter is not the WGSL one");
  });

  [...KERNEL_CASES, ...TILED_CASES].forEach((testCase, index) => {
    it(`WGSL matches the float64 reference for ${testCase.name}`, async () => {
      const x = randomTensor(testCase.xShape, 5000 + 10 * index);
      const dy = randomTensor(outputShape(testCase), 5001 + 10 * index);
      assertClose(await backpropFilter(testCase, x, dy), referenceFilterGradient(testCase, x, dy), testCase.name);
    });
  });

  KERNEL_CASES.forEach((testCase, index) => {
    it(`im2col matches the float64 reference for ${testCase.name}`, async () => {
      const x = randomTensor(testCase.xShape, 3000 + 10 * index);
      const dy = randomTensor(outputShape(testCase), 3001 + 10 * index);
      const gradient = await withIm2colBudget('webgpu', DEFAULT_IM2COL_BUDGET_BYTES, () => backpropFilter(testCase, x, dy));
      assertClose(gradient, referenceFilterGradient(testCase, x, dy), testCase.name);
    });
  });

  it('im2col matches the reference when the batch is split into one-image chunks', async () => {
    const testCase: ConvCase = { ...KERNEL_CASES[4], xShape: [4, 7, 8, 5] };
    const x = randomTensor(testCase.xShape, 77);
    const dy = randomTensor(outputShape(testCase), 78);
    const gradient = await withIm2colBudget('webgpu', 1, () => backpropFilter(testCase, x, dy));
    assertClose(gradient, referenceFilterGradient(testCase, x, dy), 'one-image chunks');
  });

  it("WGSL agrees with tfjs's own webgpu kernel on a PixelCNN down-shifted 2x3 convolution (batch 8, 28x28, 16 to 32 channels)", async () => {
    const testCase: ConvCase = { name: 'PixelCNN', xShape: [8, 28, 28, 16], filterShape: [2, 3, 16, 32], strides: 1, pad: [[0, 0], [1, 0], [1, 1], [0, 0]] };
    const x = randomTensor(testCase.xShape, 91);
    const dy = randomTensor(outputShape(testCase), 92);
    const wgsl = await backpropFilter(testCase, x, dy);
    assert.ok(restoreBuiltInConv2dBackpropFilter('webgpu'), 'no built-in webgpu kernel was kept to restore');
    let builtIn: Float32Array;
    try {
      builtIn = await backpropFilter(testCase, x, dy);
    } finally {
      // Registering again replaces the built-in kernel once more, as the backend's starter does.
      registerWgslConv2dBackpropFilter();
    }
    assertClose(wgsl, Float64Array.from(builtIn), "WGSL against tfjs's webgpu kernel");
    assert.ok(usesWgslConv2dBackpropFilter());
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
