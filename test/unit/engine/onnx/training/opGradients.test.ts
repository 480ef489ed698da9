import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../../../../src/engine/backend/selectBackend';
import { loadOnnxRuntime } from '../../../../../src/engine/onnx/onnxRuntime';
import { concatElu, elu } from '../../../../../src/engine/onnx/training/activations';
import { causalConv } from '../../../../../src/engine/onnx/training/convolution';
import { mixtureLogProb } from '../../../../../src/engine/onnx/training/mixtureLoss';
import { causalConvTranspose } from '../../../../../src/engine/onnx/training/transposedConvolution';
import { discretizedLogisticMixtureLogProb } from '../../../../../src/engine/pixelcnn/likelihood';
import { mixtureParams } from '../../../../../src/engine/pixelcnn/network';
import { PRESETS } from '../../../../../src/engine/pixelcnn';
import { shiftedConv2d, shiftedConv2dTranspose } from '../../../../../src/engine/pixelcnn/shiftedConv';
import type { CausalKernel } from '../../../../../src/engine/pixelcnn/topology';
import { kernelGeometry, POINTWISE } from '../../../../../src/engine/pixelcnn/topology';
import type { OpInput } from './opHarness';
import { finiteDifferences, relativeError, runOp, seededValues } from './opHarness';
import { concatElu64, conv64, convTranspose64, elu64, gate64, mixtureLogProb64 } from './reference64';

const TOLERANCE = 1e-4;
const toNhwc = (values: Float32Array, shape: readonly number[]): tf.Tensor4D => tf.transpose(tf.tensor4d(values, shape as [number, number, number, number]), [0, 2, 3, 1]);
const toNchw = (tensor: tf.Tensor): Float32Array => tf.transpose(tensor, [0, 3, 1, 2]).dataSync() as Float32Array;
const input = (values: Float32Array, shape: readonly number[], differentiate = true): OpInput => ({ values, shape, differentiate });
const float64 = (inputs: readonly OpInput[]): Float64Array[] => inputs.map((item) => Float64Array.from(item.values));

/** Checks every differentiated input's graph gradient against float64 finite differences of `reference` and against `tfjsGradients`. */
function assertGradients(name: string, inputs: OpInput[], result: ReturnType<typeof runOp>, cotangent: Float32Array, reference: (values: Float64Array[]) => Float64Array, tfjsGradients: (Float32Array | null)[]): void {
  assert.ok(relativeError(result.output, reference(float64(inputs))) < TOLERANCE, `${name}: the value is the reference's`);
  inputs.forEach((item, index) => {
    const gradient = result.gradients[index];
    if (!item.differentiate || !gradient) {
      return;
    }
    const numeric = finiteDifferences(reference, float64(inputs), cotangent, index);
    assert.ok(relativeError(gradient, numeric) < TOLERANCE, `${name}, input ${index}: ${relativeError(gradient, numeric)} from float64 finite differences`);
    const expected = tfjsGradients[index];
    if (expected) {
      assert.ok(relativeError(gradient, expected) < TOLERANCE, `${name}, input ${index}: ${relativeError(gradient, expected)} from TensorFlow.js's gradient`);
    }
  });
}

const runtime = loadOnnxRuntime();

(runtime.runtime ? describe : describe.skip)('Training graph: each op\'s gradient (skipped where onnxruntime-node does not load)', () => {
  before(async () => {
    await selectBackend('wasm');
  });

  const geometry = kernelGeometry(3, 3);
  const convCases: Array<{ title: string; kernel: CausalKernel; stride: 1 | 2; size: [number, number] }> = [
    { title: 'vertical init (crops the last row)', kernel: geometry.verticalInit, stride: 1, size: [5, 6] },
    { title: 'horizontal init, up', kernel: geometry.horizontalInitUp, stride: 1, size: [5, 5] },
    { title: 'horizontal init, left (pads past the kernel: ConvTranspose input gradient)', kernel: geometry.horizontalInitLeft, stride: 1, size: [4, 5] },
    { title: 'vertical stream', kernel: geometry.vertical, stride: 1, size: [5, 5] },
    { title: 'horizontal stream', kernel: geometry.horizontal, stride: 1, size: [6, 5] },
    { title: 'pointwise', kernel: POINTWISE, stride: 1, size: [3, 4] },
    { title: 'vertical downsample, odd size', kernel: geometry.vertical, stride: 2, size: [7, 7] },
    { title: 'horizontal downsample, even size', kernel: geometry.horizontal, stride: 2, size: [6, 8] },
    { title: 'vertical of a 5×5 field, downsample, even size', kernel: kernelGeometry(5, 5).vertical, stride: 2, size: [8, 6] },
  ];
  for (const { title, kernel, stride, size } of convCases) {
    it(`gives a causal convolution's input, kernel and bias gradients (${title}, stride ${stride})`, () => {
      const [height, width] = size;
      const xShape = [2, 3, height, width];
      const kernelShape = [kernel.height, kernel.width, 3, 4];
      const inputs = [input(seededValues(2 * 3 * height * width, 1), xShape), input(seededValues(kernelShape.reduce((a, b) => a * b), 2, 0.5), kernelShape), input(seededValues(4, 3), [4])];
      let cotangent: Float32Array = new Float32Array(0);
      const result = runOp(inputs, (shape) => (cotangent = seededValues(shape.reduce((a, b) => a * b), 4)), (ops, [x, k, b]) => causalConv(ops, x, { kernel: k, bias: b }, kernel, stride, 'test'));
      const [, , outH, outW] = result.outputShape;
      const expected = tf.tidy(() => {
        const grads = tf.grads((x: tf.Tensor, k: tf.Tensor, b: tf.Tensor) => shiftedConv2d(x as tf.Tensor4D, k as tf.Tensor4D, b as tf.Tensor1D, kernel, stride, outH, outW, 'inputAndWeights'));
        const [dx, dk, db] = grads([toNhwc(inputs[0].values, xShape), tf.tensor(inputs[1].values, kernelShape), tf.tensor(inputs[2].values)], toNhwc(cotangent, result.outputShape));
        return [toNchw(dx), dk.dataSync() as Float32Array, db.dataSync() as Float32Array];
      });
      assertGradients(title, inputs, result, cotangent, ([x, k, b]) => conv64(x, xShape, k, b, kernel, kernelShape, stride), expected);
    });
  }

  const transposeCases: Array<{ title: string; kernel: CausalKernel; from: [number, number]; to: [number, number] }> = [
    { title: 'vertical upsample to an odd size', kernel: geometry.verticalUpsample, from: [4, 4], to: [7, 7] },
    { title: 'horizontal upsample to an even size', kernel: geometry.horizontalUpsample, from: [4, 3], to: [8, 6] },
    { title: 'vertical upsample of a 5×5 field', kernel: kernelGeometry(5, 5).verticalUpsample, from: [3, 4], to: [6, 7] },
  ];
  for (const { title, kernel, from, to } of transposeCases) {
    it(`gives a stride-2 transposed convolution's gradients (${title})`, () => {
      const xShape = [2, 3, ...from];
      const kernelShape = [kernel.height, kernel.width, 3, 3];
      const inputs = [input(seededValues(xShape.reduce((a, b) => a * b), 5), xShape), input(seededValues(kernelShape.reduce((a, b) => a * b), 6, 0.5), kernelShape), input(seededValues(3, 7), [3])];
      let cotangent: Float32Array = new Float32Array(0);
      const result = runOp(inputs, (shape) => (cotangent = seededValues(shape.reduce((a, b) => a * b), 8)), (ops, [x, k, b]) => causalConvTranspose(ops, x, { kernel: k, bias: b }, kernel, to[0], to[1], 'test'));
      const expected = tf.tidy(() => {
        const grads = tf.grads((x: tf.Tensor, k: tf.Tensor, b: tf.Tensor) => shiftedConv2dTranspose(x as tf.Tensor4D, k as tf.Tensor4D, b as tf.Tensor1D, kernel, to[0], to[1]));
        const [dx, dk, db] = grads([toNhwc(inputs[0].values, xShape), tf.tensor(inputs[1].values, kernelShape), tf.tensor(inputs[2].values)], toNhwc(cotangent, result.outputShape));
        return [toNchw(dx), dk.dataSync() as Float32Array, db.dataSync() as Float32Array];
      });
      assertGradients(title, inputs, result, cotangent, ([x, k, b]) => convTranspose64(x, xShape, k, b, kernel, kernelShape, to[0], to[1]), expected);
    });
  }

  it('gives concat_elu\'s gradient (values on both sides of 0)', () => {
    const shape = [2, 3, 4, 5];
    const inputs = [input(seededValues(120, 9, 3), shape)];
    let cotangent: Float32Array = new Float32Array(0);
    const result = runOp(inputs, (outShape) => (cotangent = seededValues(outShape.reduce((a, b) => a * b), 10)), (ops, [x]) => concatElu(ops, x));
    assert.deepEqual(result.outputShape, [2, 6, 4, 5]);
    const expected = tf.tidy(() => {
      const grad = tf.grad((x: tf.Tensor) => tf.concat([tf.elu(x), tf.elu(tf.neg(x))], 1));
      return grad(tf.tensor(inputs[0].values, shape), tf.tensor(cotangent, [...result.outputShape])).dataSync() as Float32Array;
    });
    assertGradients('concat_elu', inputs, result, cotangent, ([x]) => concatElu64(x, shape), [expected]);
  });

  it('gives elu\'s gradient', () => {
    const shape = [2, 3, 4, 5];
    const inputs = [input(seededValues(120, 11, 3), shape)];
    let cotangent: Float32Array = new Float32Array(0);
    const result = runOp(inputs, (outShape) => (cotangent = seededValues(outShape.reduce((a, b) => a * b), 12)), (ops, [x]) => elu(ops, x));
    const expected = tf.tidy(() => tf.grad((x: tf.Tensor) => tf.elu(x))(tf.tensor(inputs[0].values, shape), tf.tensor(cotangent, shape)).dataSync() as Float32Array);
    assertGradients('elu', inputs, result, cotangent, ([x]) => elu64(x), [expected]);
  });

  it('gives the gate\'s gradients, x + value · σ(gate)', () => {
    const shape = [2, 3, 4, 5];
    const inputs = [13, 14, 15].map((seed) => input(seededValues(120, seed, 3), shape));
    let cotangent: Float32Array = new Float32Array(0);
    const result = runOp(inputs, (outShape) => (cotangent = seededValues(outShape.reduce((a, b) => a * b), 16)), (ops, [x, value, gate]) => ops.add(x, ops.mul(value, ops.sigmoid(gate))));
    const expected = tf.tidy(() => {
      const grads = tf.grads((x: tf.Tensor, value: tf.Tensor, gate: tf.Tensor) => tf.add(x, tf.mul(value, tf.sigmoid(gate))));
      return grads(inputs.map((item) => tf.tensor(item.values, shape)), tf.tensor(cotangent, shape)).map((gradient) => gradient.dataSync() as Float32Array);
    });
    assertGradients('gate', inputs, result, cotangent, ([x, value, gate]) => gate64(x, value, gate), expected);
  });

  const mixtureCases = [
    { title: 'gray, 3 components', mixtures: 3, channels: 1 },
    { title: 'RGB with channel coefficients, 2 components', mixtures: 2, channels: 3 },
  ];
  for (const { title, mixtures, channels } of mixtureCases) {
    it(`gives the mixture log-likelihood and its gradients, at both edge values, narrow and wide scales (${title})`, () => {
      const [batch, height, width] = [2, 4, 4];
      const plane = height * width;
      const grouped = (size: number): number[] => [batch, size, height, width];
      const pairs = (channels * (channels - 1)) / 2;
      // Raw scales from −6 (narrow) to +6 (wide, where the bin width is small enough for the series).
      const inputs = [
        input(seededValues(batch * mixtures * plane, 18, 2), grouped(mixtures)),
        input(seededValues(batch * mixtures * channels * plane, 19, 1), grouped(mixtures * channels)),
        input(seededValues(batch * mixtures * channels * plane, 17, 6), grouped(mixtures * channels)),
        ...(pairs > 0 ? [input(seededValues(batch * mixtures * pairs * plane, 21, 1), grouped(mixtures * pairs))] : []),
        input(Float32Array.from({ length: batch * channels * plane }, (_, i) => (i % 5 === 0 ? 0 : i % 7 === 0 ? 255 : (i * 53) % 256)), grouped(channels), false),
      ];
      let cotangent: Float32Array = new Float32Array(0);
      const result = runOp(inputs, (outShape) => (cotangent = seededValues(outShape.reduce((a, b) => a * b), 20)), (ops, values) => {
        const [logits, locs, raw] = values;
        return mixtureLogProb(ops, { logits, locs, rawScales: raw, coeffs: pairs > 0 ? values[3] : null }, values[values.length - 1], { low: 0, high: 255 });
      });
      assert.deepEqual(result.outputShape, [batch, 1, height, width]);
      const expected = tf.tidy(() => {
        const config = { ...PRESETS.fast, numLogisticMix: mixtures };
        const heads = inputs.slice(0, -1);
        const grads = tf.grads((...parts: tf.Tensor[]) =>
          discretizedLogisticMixtureLogProb(
            mixtureParams(config, channels, parts[0] as tf.Tensor4D, parts[1] as tf.Tensor4D, parts[2] as tf.Tensor4D, (parts[3] as tf.Tensor4D | undefined) ?? null),
            toNhwc(inputs[inputs.length - 1].values, grouped(channels)),
            { low: 0, high: 255 },
          ),
        );
        return grads(heads.map((item) => toNhwc(item.values, item.shape)), tf.reshape(tf.tensor(cotangent), [batch, height, width])).map(toNchw);
      });
      const reference = (values: Float64Array[]): Float64Array =>
        mixtureLogProb64({ logits: values[0], locs: values[1], rawScales: values[2], coeffs: pairs > 0 ? values[3] : null }, values[values.length - 1], { batch, mixtures, channels, height, width }, 0, 255);
      assertGradients(title, inputs, result, cotangent, reference, [...expected, null]);
    });
  }
});
