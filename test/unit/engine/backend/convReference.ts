import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import type { Im2colBackendName, Im2colLayout } from '../../../../src/engine/backend/kernels/composed/Conv2DBackpropFilter';
import { makeIm2colConv2dBackpropFilter } from '../../../../src/engine/backend/kernels/composed/Conv2DBackpropFilter';

/*
 * Convolution cases and a float64 filter gradient by definition, shared by the filter-gradient
 * suites of every backend.
 */

/** Kernel results agree with the float64 reference to this, relative to the largest value. */
export const RELATIVE_TOLERANCE = 1e-4;

/** An NHWC shape. */
export type Shape4D = [number, number, number, number];
/** Every padding tfjs convolutions take. */
export type Padding = 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;

/** One convolution geometry. */
export interface ConvCase {
  name: string;
  xShape: Shape4D;
  filterShape: Shape4D;
  strides: number | [number, number];
  pad: Padding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** Values and shape, held in JS (no backend). */
export interface HostTensor {
  values: Float32Array;
  shape: number[];
}

/** Deterministic uniform values in [-1, 1), so that a failure reproduces. */
export function randomValues(size: number, seed: number): Float32Array {
  let state = seed >>> 0;
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    values[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
  return values;
}

/** A HostTensor of deterministic random values. */
export function randomTensor(shape: number[], seed: number): HostTensor {
  return { values: randomValues(shape.reduce((a, b) => a * b, 1), seed), shape };
}

/** tfjs's own geometry of `testCase`. */
export function convInfoOf(testCase: ConvCase): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(
    testCase.xShape,
    testCase.filterShape,
    testCase.strides,
    1,
    testCase.pad,
    testCase.dimRoundingMode,
  );
}

/** The convolution's output (dy) shape. */
export function outputShape(testCase: ConvCase): Shape4D {
  const info = convInfoOf(testCase);
  return [info.batchSize, info.outHeight, info.outWidth, info.outChannels];
}

/**
 * The filter gradient by its definition, in float64 and independent of every tfjs kernel:
 * dW[kh, kw, ci, co] = Σ over images and outputs of x at the tap's input pixel times dy.
 */
export function referenceFilterGradient(testCase: ConvCase, x: HostTensor, dy: HostTensor): Float64Array {
  const info = convInfoOf(testCase);
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const { top, left } = info.padInfo;
  const gradient = new Float64Array(filterHeight * filterWidth * inChannels * outChannels);
  for (let n = 0; n < batchSize; n++) {
    for (let i = 0; i < outHeight; i++) {
      for (let j = 0; j < outWidth; j++) {
        const dyAt = ((n * outHeight + i) * outWidth + j) * outChannels;
        for (let kh = 0; kh < filterHeight; kh++) {
          const row = i * strideHeight + kh - top;
          for (let kw = 0; kw < filterWidth; kw++) {
            const column = j * strideWidth + kw - left;
            if (row < 0 || row >= inHeight || column < 0 || column >= inWidth) {
              continue;
            }
            const xAt = ((n * inHeight + row) * inWidth + column) * inChannels;
            for (let ci = 0; ci < inChannels; ci++) {
              const gradientAt = ((kh * filterWidth + kw) * inChannels + ci) * outChannels;
              for (let co = 0; co < outChannels; co++) {
                gradient[gradientAt + co] += x.values[xAt + ci] * dy.values[dyAt + co];
              }
            }
          }
        }
      }
    }
  }
  return gradient;
}

/** The largest |actual − expected|, relative to 1 or the largest expected value, whichever is larger. */
export function largestRelativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  assert.equal(actual.length, expected.length, 'sizes differ');
  let worst = 0;
  let largest = 1;
  for (let i = 0; i < expected.length; i++) {
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
    largest = Math.max(largest, Math.abs(expected[i]));
  }
  return worst / largest;
}

/** Asserts `actual` equals `expected` to RELATIVE_TOLERANCE of the largest expected value. */
export function assertClose(actual: Float32Array, expected: Float64Array, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: sizes differ`);
  let largest = 0;
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    largest = Math.max(largest, Math.abs(expected[i]));
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  }
  const tolerance = RELATIVE_TOLERANCE * Math.max(1, largest);
  assert.ok(worst <= tolerance, `${what}: max |kernel - reference| = ${worst} exceeds ${tolerance}`);
}

/** The geometries every filter-gradient kernel is checked on: strides 1 and 2, every padding kind, PixelCNN's shifts. */
export const KERNEL_CASES: ConvCase[] = [
  { name: 'stride 1, same padding, 3x3 filter, odd 5x7 input', xShape: [2, 5, 7, 3], filterShape: [3, 3, 3, 4], strides: 1, pad: 'same' },
  { name: 'stride 1, valid padding, 2x3 filter, even 6x8 input', xShape: [3, 6, 8, 8], filterShape: [2, 3, 8, 16], strides: 1, pad: 'valid' },
  { name: 'stride 1, valid padding, 1x1 filter', xShape: [4, 4, 5, 16], filterShape: [1, 1, 16, 1], strides: 1, pad: 'valid' },
  { name: 'stride 1, same padding, 2x2 filter, one channel in and out', xShape: [1, 6, 5, 1], filterShape: [2, 2, 1, 1], strides: 1, pad: 'same' },
  { name: 'stride 2, same padding, 2x3 filter', xShape: [2, 7, 8, 5], filterShape: [2, 3, 5, 6], strides: 2, pad: 'same' },
  { name: 'stride 2, same padding, 3x3 filter, even 8x8 input', xShape: [4, 8, 8, 3], filterShape: [3, 3, 3, 7], strides: 2, pad: 'same' },
  { name: 'stride 2, valid padding, 3x3 filter, odd 9x9 input', xShape: [1, 9, 9, 16], filterShape: [3, 3, 16, 2], strides: 2, pad: 'valid' },
  { name: 'stride 2, valid padding, 2x2 filter, even 6x6 input', xShape: [4, 6, 6, 2], filterShape: [2, 2, 2, 8], strides: 2, pad: 'valid' },
  { name: 'stride 2, valid padding, 2x3 filter, odd 7x7 input whose last row and column go unread', xShape: [2, 7, 7, 4], filterShape: [2, 3, 4, 3], strides: 2, pad: 'valid' },
  { name: 'stride 2, valid padding, 1x1 filter', xShape: [3, 5, 6, 4], filterShape: [1, 1, 4, 3], strides: 2, pad: 'valid' },
  { name: 'stride 2, numeric padding 1, 1x3 filter', xShape: [2, 9, 6, 1], filterShape: [1, 3, 1, 3], strides: 2, pad: 1 },
  { name: 'stride 2, numeric padding 2 with ceil rounding, 3x3 filter', xShape: [1, 8, 7, 3], filterShape: [3, 3, 3, 2], strides: 2, pad: 2, dimRoundingMode: 'ceil' },
  {
    name: 'stride 1, explicit down-shift padding (PixelCNN), 2x3 filter',
    xShape: [2, 6, 6, 4],
    filterShape: [2, 3, 4, 5],
    strides: 1,
    pad: [[0, 0], [1, 0], [1, 1], [0, 0]],
  },
  {
    name: 'stride 1, explicit down-right-shift padding (PixelCNN), 2x2 filter',
    xShape: [3, 8, 8, 6],
    filterShape: [2, 2, 6, 4],
    strides: 1,
    pad: [[0, 0], [1, 0], [1, 0], [0, 0]],
  },
  {
    name: 'stride 2, explicit asymmetric padding, 3x3 filter',
    xShape: [3, 7, 6, 2],
    filterShape: [3, 3, 2, 4],
    strides: 2,
    pad: [[0, 0], [2, 0], [0, 1], [0, 0]],
  },
  { name: 'strides [1, 2], same padding, 2x3 filter', xShape: [2, 5, 8, 3], filterShape: [2, 3, 3, 4], strides: [1, 2], pad: 'same' },
  { name: 'strides [2, 1], valid padding, 3x2 filter', xShape: [2, 7, 5, 3], filterShape: [3, 2, 3, 4], strides: [2, 1], pad: 'valid' },
  { name: 'stride 1, valid padding, 1x1 filter, many channels (x^T dy)', xShape: [3, 4, 6, 8], filterShape: [1, 1, 8, 5], strides: 1, pad: 'valid' },
  { name: 'stride 1, valid padding, 1x1 filter, one input channel (x is its own transpose)', xShape: [3, 5, 4, 1], filterShape: [1, 1, 1, 6], strides: 1, pad: 'valid' },
  { name: 'stride 1, explicit padding, 1x1 filter (shifted, not x^T dy)', xShape: [2, 4, 5, 3], filterShape: [1, 1, 3, 2], strides: 1, pad: [[0, 0], [1, 0], [0, 1], [0, 0]] },
  { name: 'stride 1, explicit down-shift padding, 2x3 filter, one input channel', xShape: [2, 5, 6, 1], filterShape: [2, 3, 1, 4], strides: 1, pad: [[0, 0], [2, 0], [1, 1], [0, 0]] },
  { name: 'stride 2, 1x1 input, every tap reads only padding', xShape: [2, 1, 1, 3], filterShape: [1, 1, 3, 2], strides: 2, pad: [[0, 0], [1, 0], [1, 0], [0, 0]] },
  { name: 'stride 2, 2x3 filter on a 1x2 input, some taps in padding only', xShape: [2, 1, 2, 2], filterShape: [2, 3, 2, 3], strides: 2, pad: [[0, 0], [1, 0], [1, 1], [0, 0]] },
];

/** The kernel's output, as tf's conv2DBackpropFilter op would run it: the filter gradient of `testCase` for x and dy. */
export function runBackpropFilterKernel(testCase: ConvCase, x: HostTensor, dy: HostTensor): tf.Tensor {
  const attrs: tf.NamedAttrMap = {
    strides: testCase.strides,
    pad: testCase.pad,
    dataFormat: 'NHWC',
    filterShape: testCase.filterShape,
    ...(testCase.dimRoundingMode === undefined ? {} : { dimRoundingMode: testCase.dimRoundingMode }),
  };
  return tf.tidy(() => {
    const inputs = { x: tf.tensor(x.values, x.shape), dy: tf.tensor(dy.values, dy.shape) };
    return tf.engine().runKernel(tf.Conv2DBackpropFilter, inputs, attrs) as tf.Tensor;
  });
}

/** Runs `body` with `backend`'s kernel swapped for one whose im2col budget is `budgetBytes` (and layout `layout`, if given). */
export async function withIm2colBudget<T>(
  backend: Im2colBackendName,
  budgetBytes: number,
  body: () => Promise<T> | T,
  layout?: Im2colLayout,
): Promise<T> {
  const registered = tf.getKernel(tf.Conv2DBackpropFilter, backend);
  tf.unregisterKernel(tf.Conv2DBackpropFilter, backend);
  tf.registerKernel({ ...registered, kernelFunc: makeIm2colConv2dBackpropFilter(backend, budgetBytes, layout) });
  try {
    return await body();
  } finally {
    tf.unregisterKernel(tf.Conv2DBackpropFilter, backend);
    tf.registerKernel(registered);
  }
}
