import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { startCpu } from '../../../../src/engine/backend/cpu';
import { startWasm } from '../../../../src/engine/backend/wasm';
import type { Im2colBackendName } from '../../../../src/engine/backend/kernels/composed/Conv2DBackpropFilter';
import type { ConvCase, HostTensor, Shape4D } from './convReference';
import { assertClose, convInfoOf, KERNEL_CASES, outputShape, randomTensor, randomValues, referenceFilterGradient, runBackpropFilterKernel, withIm2colBudget } from './convReference';
import {
  im2colBytesPerImage,
  registerIm2colConv2dBackpropFilter,
  usesIm2colConv2dBackpropFilter,
} from '../../../../src/engine/backend/kernels/composed/Conv2DBackpropFilter';

/** The backends this suite runs on synchronously; webgpu has a suite of its own (webgpuConvGradients.test.ts), reading results asynchronously. */
type SyncBackend = Exclude<Im2colBackendName, 'webgpu'>;
const BACKENDS: readonly SyncBackend[] = ['wasm', 'cpu'];

/** Runs the Conv2DBackpropFilter kernel itself, as tf's conv2DBackpropFilter op would. */
function backpropFilter(testCase: ConvCase, x: HostTensor, dy: HostTensor): Float32Array {
  const gradient = runBackpropFilterKernel(testCase, x, dy);
  try {
    return gradient.dataSync() as Float32Array;
  } finally {
    gradient.dispose();
  }
}

function assertKernelMatchesReference(testCase: ConvCase, seed: number): void {
  const x = randomTensor(testCase.xShape, seed);
  const dy = randomTensor(outputShape(testCase), seed + 1);
  assertClose(backpropFilter(testCase, x, dy), referenceFilterGradient(testCase, x, dy), testCase.name);
}

/** d/dfilter of sum(conv2d(x, filter) * weights): the filter gradient a training step takes. */
function conv2dFilterGradient(testCase: ConvCase, x: HostTensor, filter: HostTensor, weights: HostTensor): Float32Array {
  return tf.tidy(() => {
    const input = tf.tensor4d(x.values, x.shape as Shape4D);
    const lossWeights = tf.tensor(weights.values, weights.shape);
    const loss = (f: tf.Tensor) =>
      tf.sum(tf.mul(tf.conv2d(input, f as tf.Tensor4D, testCase.strides, testCase.pad, 'NHWC', 1, testCase.dimRoundingMode), lossWeights));
    return tf.grad(loss)(tf.tensor4d(filter.values, filter.shape as Shape4D)).dataSync() as Float32Array;
  });
}

/** The filter gradient of a transposed convolution, through tf.variableGrads on a filter variable. */
function conv2dTransposeFilterGradient(
  outShape: Shape4D,
  strides: number,
  pad: 'same' | 'valid',
  x: HostTensor,
  filter: HostTensor,
  weights: HostTensor,
): Float32Array {
  const variable = tf.variable(tf.tensor4d(filter.values, filter.shape as Shape4D));
  try {
    return tf.tidy(() => {
      const input = tf.tensor4d(x.values, x.shape as Shape4D);
      const lossWeights = tf.tensor(weights.values, weights.shape);
      const { grads } = tf.variableGrads(
        () => tf.sum(tf.mul(tf.conv2dTranspose(input, variable as tf.Tensor4D, outShape, strides, pad), lossWeights)),
        [variable],
      );
      return grads[variable.name].dataSync() as Float32Array;
    });
  } finally {
    variable.dispose();
  }
}

/**
 * The filter gradient of conv2dTranspose(x, filter, outShape): the transposed convolution is the
 * input gradient of a forward convolution from outShape to x's shape, so its filter gradient is
 * that convolution's, with the loss weights as its input and x as its dy.
 */
function referenceTransposeFilterGradient(outShape: Shape4D, strides: number, pad: 'same' | 'valid', x: HostTensor, filter: HostTensor, weights: HostTensor): Float64Array {
  const forward: ConvCase = { name: 'forward', xShape: outShape, filterShape: filter.shape as Shape4D, strides, pad };
  return referenceFilterGradient(forward, weights, x);
}

interface MemorySnapshot {
  numTensors: number;
  numBytes: number;
  backendBuffers: number;
}

function memorySnapshot(): MemorySnapshot {
  const backend = tf.engine().backend as unknown as { numDataIds(): number };
  const { numTensors, numBytes } = tf.memory();
  return { numTensors, numBytes, backendBuffers: backend.numDataIds() };
}

const STARTERS: Record<SyncBackend, () => Promise<string>> = { wasm: startWasm, cpu: startCpu };

// npm run test:unit runs this file a second time with OUTLIER_LENS_ONNX_RUNTIME=off, for XNNPACK's product.

for (const backend of BACKENDS) {
  describe(`im2col Conv2DBackpropFilter kernel — on ${backend}`, () => {
    let previousBackend: string | undefined;

    before(async () => {
      // Unset (undefined) until some backend has been chosen.
      previousBackend = tf.engine().backendName as string | undefined;
      await STARTERS[backend]();
    });

    beforeEach(async () => {
      await tf.setBackend(backend);
    });

    after(async () => {
      if (previousBackend !== undefined) {
        await tf.setBackend(previousBackend);
      }
    });

    it(`is registered for ${backend} by its starter, and registering again keeps the same kernel`, () => {
      const registered = tf.getKernel(tf.Conv2DBackpropFilter, backend);
      assert.ok(registered, `no Conv2DBackpropFilter kernel for ${backend}`);
      assert.ok(usesIm2colConv2dBackpropFilter(backend), `${backend}'s Conv2DBackpropFilter is not the im2col one`);
      registerIm2colConv2dBackpropFilter(backend);
      assert.equal(tf.getKernel(tf.Conv2DBackpropFilter, backend), registered);
    });

    KERNEL_CASES.forEach((testCase, index) => {
      it(`matches the float64 reference for ${testCase.name}`, () => {
        assertKernelMatchesReference(testCase, 1000 + 10 * index);
      });
    });

    it('matches the reference when the batch is split into one-image chunks', async () => {
      const testCase = KERNEL_CASES[4];
      await withIm2colBudget(backend, 1, () => assertKernelMatchesReference({ ...testCase, xShape: [4, 7, 8, 5] }, 77));
    });

    it('matches the reference when the batch is split into uneven chunks (2 + 2 + 1 images)', async () => {
      const testCase: ConvCase = { name: 'chunked', xShape: [5, 6, 6, 3], filterShape: [2, 3, 3, 4], strides: 1, pad: 'valid' };
      const budget = 2 * im2colBytesPerImage(backend, convInfoOf(testCase));
      await withIm2colBudget(backend, budget, () => assertKernelMatchesReference(testCase, 91));
    });

    it('matches the reference for a 1x1 filter (x^T dy) split into uneven chunks (2 + 1 images)', async () => {
      const testCase: ConvCase = { name: 'chunked 1x1', xShape: [3, 4, 5, 6], filterShape: [1, 1, 6, 4], strides: 1, pad: 'valid' };
      const budget = 2 * im2colBytesPerImage(backend, convInfoOf(testCase));
      await withIm2colBudget(backend, budget, () => assertKernelMatchesReference(testCase, 93));
    });

    it('matches the reference for stride 2 on odd sizes split into uneven chunks (2 + 1 images)', async () => {
      const testCase: ConvCase = { name: 'chunked stride 2', xShape: [3, 7, 9, 3], filterShape: [2, 3, 3, 4], strides: 2, pad: [[0, 0], [1, 0], [1, 1], [0, 0]] };
      const budget = 2 * im2colBytesPerImage(backend, convInfoOf(testCase));
      await withIm2colBudget(backend, budget, () => assertKernelMatchesReference(testCase, 95));
    });

    it('gives the reference conv2d filter gradient through tf.grad, stride 1, same padding, 3x3 filter', () => {
      const testCase: ConvCase = { name: 'grad', xShape: [2, 6, 5, 3], filterShape: [3, 3, 3, 4], strides: 1, pad: 'same' };
      const x = randomTensor(testCase.xShape, 11);
      const filter = randomTensor(testCase.filterShape, 12);
      const weights = randomTensor(outputShape(testCase), 13);
      assertClose(conv2dFilterGradient(testCase, x, filter, weights), referenceFilterGradient(testCase, x, weights), 'conv2d filter gradient');
    });

    it('gives the reference conv2d filter gradient through tf.grad, stride 2, explicit down-shift padding, 2x3 filter', () => {
      const testCase: ConvCase = {
        name: 'grad',
        xShape: [3, 8, 8, 4],
        filterShape: [2, 3, 4, 6],
        strides: 2,
        pad: [[0, 0], [1, 0], [1, 1], [0, 0]],
      };
      const x = randomTensor(testCase.xShape, 21);
      const filter = randomTensor(testCase.filterShape, 22);
      const weights = randomTensor(outputShape(testCase), 23);
      assertClose(conv2dFilterGradient(testCase, x, filter, weights), referenceFilterGradient(testCase, x, weights), 'conv2d filter gradient');
    });

    it('gives the reference conv2dTranspose filter gradient through tf.variableGrads, stride 2, same padding, 2x3 filter', () => {
      const outShape: Shape4D = [2, 8, 10, 3];
      const x = randomTensor([2, 4, 5, 6], 31);
      const filter = randomTensor([2, 3, 3, 6], 32);
      const weights = randomTensor(outShape, 33);
      assertClose(
        conv2dTransposeFilterGradient(outShape, 2, 'same', x, filter, weights),
        referenceTransposeFilterGradient(outShape, 2, 'same', x, filter, weights),
        'conv2dTranspose filter gradient',
      );
    });

    it('gives the reference conv2dTranspose filter gradient through tf.variableGrads, stride 1, valid padding, 3x3 filter', () => {
      const outShape: Shape4D = [1, 7, 6, 2];
      const x = randomTensor([1, 5, 4, 5], 41);
      const filter = randomTensor([3, 3, 2, 5], 42);
      const weights = randomTensor(outShape, 43);
      assertClose(
        conv2dTransposeFilterGradient(outShape, 1, 'valid', x, filter, weights),
        referenceTransposeFilterGradient(outShape, 1, 'valid', x, filter, weights),
        'conv2dTranspose filter gradient',
      );
    });

    it('leaves no tensors, bytes or backend buffers behind after a conv2d gradient call', () => {
      const x = tf.tensor4d(randomValues(2 * 8 * 8 * 4, 51), [2, 8, 8, 4]);
      const filter = tf.tensor4d(randomValues(2 * 3 * 4 * 6, 52), [2, 3, 4, 6]);
      const before = memorySnapshot();
      tf.tidy(() => {
        const gradient = tf.grad((f: tf.Tensor) => tf.sum(tf.square(tf.conv2d(x, f as tf.Tensor4D, 2, 'same'))))(filter);
        gradient.dataSync();
      });
      assert.deepEqual(memorySnapshot(), before);
      tf.dispose([x, filter]);
    });

    it('leaves no tensors, bytes or backend buffers behind when the batch is split into chunks', async () => {
      const x = tf.tensor4d(randomValues(3 * 7 * 6 * 2, 61), [3, 7, 6, 2]);
      const dy = tf.tensor4d(randomValues(3 * 6 * 4 * 5, 62), [3, 6, 4, 5]);
      await withIm2colBudget(backend, 1, () => {
        const before = memorySnapshot();
        tf.tidy(() => {
          const attrs = { strides: 1, pad: 'valid', dataFormat: 'NHWC', filterShape: [2, 3, 2, 5] };
          (tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, attrs) as tf.Tensor).dataSync();
        });
        assert.deepEqual(memorySnapshot(), before);
      });
      tf.dispose([x, dy]);
    });

    for (const [what, xShape, filterShape] of [
      ['a 1x1 filter (x^T dy)', [2, 5, 5, 4], [1, 1, 4, 3]],
      ['a 1x1 filter on one input channel (x used as is)', [2, 5, 5, 1], [1, 1, 1, 3]],
    ] as Array<[string, Shape4D, Shape4D]>) {
      it(`leaves no tensors, bytes or backend buffers behind for ${what}`, () => {
        const x = tf.tensor4d(randomValues(xShape.reduce((a, b) => a * b, 1), 71), xShape);
        const dy = tf.tensor4d(randomValues(xShape[0] * xShape[1] * xShape[2] * filterShape[3], 72), [xShape[0], xShape[1], xShape[2], filterShape[3]]);
        const before = memorySnapshot();
        tf.tidy(() => {
          const attrs = { strides: 1, pad: 'valid', dataFormat: 'NHWC', filterShape };
          (tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, attrs) as tf.Tensor).dataSync();
        });
        assert.deepEqual(memorySnapshot(), before);
        tf.dispose([x, dy]);
      });
    }

    it('rejects NCHW input with an error that names the layout', () => {
      const x = tf.zeros([1, 2, 5, 5]);
      const dy = tf.zeros([1, 3, 5, 5]);
      const attrs = { strides: 1, pad: 'same', dataFormat: 'NCHW', filterShape: [3, 3, 2, 3] };
      assert.throws(() => tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, attrs), /NHWC.*NCHW/);
      tf.dispose([x, dy]);
    });
  });
}
