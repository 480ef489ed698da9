import assert from 'node:assert/strict';
import { fillDropoutMask } from '../../../../src/engine/backend/deviceRandom';
import { pcgHash } from '../../../../src/engine/random/pcgHash';
import { signedLeb128, unsignedLeb128 } from '../../../../src/engine/wasm/wasmBinary';
import { hasSimdKernels, simdKernelsOver } from '../../../../src/engine/wasm/simdKernels';
import type { SimdKernels } from '../../../../src/engine/wasm/simdKernels';
import { webAssembly } from '../../../../src/engine/wasm/webAssemblyApi';
import { randomValues } from '../backend/convReference';

/** A memory of its own (as tfjs-backend-wasm's would be) with the kernels over it, and floats placed in it one array after another. */
function workspace(): { kernels: SimdKernels; floats: Float32Array; place(values: ArrayLike<number>): number } {
  const memory = new webAssembly!.Memory({ initial: 256 });
  const kernels = simdKernelsOver(memory);
  assert.ok(kernels, 'the kernels instantiate over a memory of their own');
  const floats = new Float32Array(memory.buffer);
  let next = 64; // leave the first floats as a sentinel region
  return {
    kernels,
    floats,
    place(values) {
      const at = next;
      floats.set(values, at);
      next += values.length + 64;
      return at;
    },
  };
}

/** Largest |actual − expected| / |expected| over the values whose expected magnitude exceeds `floor`. */
function largestRelativeError(actual: ArrayLike<number>, expected: ArrayLike<number>, floor = 1e-30): number {
  let largest = 0;
  for (let index = 0; index < expected.length; index++) {
    if (Math.abs(expected[index]) > floor) {
      largest = Math.max(largest, Math.abs(actual[index] - expected[index]) / Math.abs(expected[index]));
    }
  }
  return largest;
}

describe('WebAssembly binary encoding', () => {
  it('writes LEB128 as the specification’s examples and the edges of each byte count', () => {
    assert.deepEqual(unsignedLeb128(0), [0]);
    assert.deepEqual(unsignedLeb128(127), [0x7f]);
    assert.deepEqual(unsignedLeb128(128), [0x80, 0x01]);
    assert.deepEqual(unsignedLeb128(624485), [0xe5, 0x8e, 0x26]);
    assert.deepEqual(unsignedLeb128(0xffffffff), [0xff, 0xff, 0xff, 0xff, 0x0f]);
    assert.deepEqual(signedLeb128(0), [0]);
    assert.deepEqual(signedLeb128(63), [0x3f]);
    assert.deepEqual(signedLeb128(64), [0xc0, 0x00]);
    assert.deepEqual(signedLeb128(-1), [0x7f]);
    assert.deepEqual(signedLeb128(-64), [0x40]);
    assert.deepEqual(signedLeb128(-65), [0xbf, 0x7f]);
    assert.deepEqual(signedLeb128(-123456), [0xc0, 0xbb, 0x78]);
  });
});

describe('WebAssembly SIMD kernels', () => {
  before(function () {
    if (!hasSimdKernels()) {
      // Node 16.4+ and Electron have WebAssembly SIMD; a runtime without it runs tfjs's kernels instead.
      this.skip();
    }
  });

  it("concat_elu's output gradient: dy₁ · (min(y₁, 0) + 1) − dy₂ · (min(y₂, 0) + 1), row by row, as the float64 definition, writing nothing past dx", () => {
    for (const channels of [4, 8, 32]) {
      const pixels = 37;
      const { kernels, floats, place } = workspace();
      const y = randomValues(pixels * 2 * channels, channels).map((value) => 3 * value);
      y.set([0, -0, -1, 1e-7, -1e-7]);
      const dy = randomValues(pixels * 2 * channels, channels + 1);
      const [dyAt, yAt, dxAt] = [place(dy), place(y), place(new Float32Array(pixels * channels + 4).fill(7))];
      kernels.concatEluOutputGrad(4 * dyAt, 4 * yAt, 4 * dxAt, pixels, 4 * channels);
      const expected = new Float64Array(pixels * channels);
      for (let pixel = 0; pixel < pixels; pixel++) {
        for (let channel = 0; channel < channels; channel++) {
          const [first, second] = [pixel * 2 * channels + channel, pixel * 2 * channels + channels + channel];
          expected[pixel * channels + channel] = dy[first] * (Math.min(y[first], 0) + 1) - dy[second] * (Math.min(y[second], 0) + 1);
        }
      }
      const dx = floats.subarray(dxAt, dxAt + pixels * channels);
      assert.ok(largestRelativeError(dx, expected, 1e-6) < 1e-5, `${channels} channels: ${largestRelativeError(dx, expected, 1e-6)}`);
      assert.deepEqual([...floats.subarray(dxAt + pixels * channels, dxAt + pixels * channels + 4)], [7, 7, 7, 7]);
    }
  });

  it("the gate's gradient: [dy · σ(g), dy · v · σ(g) · (1 − σ(g))] within 1e-6 of float64 for gates across [−100, 100], saturated ends included (1e-30 absolute past float32's normal range)", () => {
    const [pixels, filters] = [200, 8];
    const { kernels, floats, place } = workspace();
    const gated = randomValues(pixels * 2 * filters, 3).map((value) => 100 * value);
    // Some gates in every range: both saturated ends, the clamp's edges, zero and small values.
    const gates = [-100, -88.3, -87.3, -30, -10, -1, -1e-6, 0, 1e-6, 1, 10, 30, 87.3, 88.3, 100, 17];
    gates.forEach((gate, index) => (gated[filters + (index % filters) + Math.floor(index / filters) * 2 * filters] = gate));
    const dy = randomValues(pixels * filters, 4);
    const [dyAt, gatedAt, outAt] = [place(dy), place(gated), place(new Float32Array(pixels * 2 * filters))];
    kernels.gateGrad(4 * dyAt, 4 * gatedAt, 4 * outAt, pixels, 4 * filters);
    const expected = new Float64Array(pixels * 2 * filters);
    for (let pixel = 0; pixel < pixels; pixel++) {
      for (let filter = 0; filter < filters; filter++) {
        const [value, gate, gradient] = [gated[pixel * 2 * filters + filter], gated[pixel * 2 * filters + filters + filter], dy[pixel * filters + filter]];
        const sigma = 1 / (1 + Math.exp(-gate));
        expected[pixel * 2 * filters + filter] = gradient * sigma;
        expected[pixel * 2 * filters + filters + filter] = gradient * value * sigma * (1 / (1 + Math.exp(gate)));
      }
    }
    const actual = floats.subarray(outAt, outAt + pixels * 2 * filters);
    // Past |g| = 87.3 the kernel clamps e^−g (1 − σ or σ below ~1e-38, where float32 is subnormal):
    // relative accuracy down to 1e-30, absolute below it.
    assert.ok(largestRelativeError(actual, expected, 1e-30) < 1e-6, `${largestRelativeError(actual, expected, 1e-30)}`);
    assert.ok(actual.every((value, index) => Math.abs(value - expected[index]) < 1e-30 || Math.abs(expected[index]) > 1e-30));
  });

  it('gives no kernels over a shared memory (a threaded wasm build’s), which the module imports as unshared: callers take their fallbacks', () => {
    assert.equal(simdKernelsOver(new webAssembly!.Memory({ initial: 1, maximum: 16, shared: true })), null);
  });

  it('dropout: x times the JavaScript mask (pcgHash of index and seed), value for value, for several seeds and rates; nothing written for 0 values', () => {
    const count = 4096;
    const { kernels, floats, place } = workspace();
    const x = randomValues(count, 9);
    const xAt = place(x);
    for (const [seed, rate] of [[0, 0.3], [1234567, 0.05], [4294967295, 0.9], [42, 0]] as const) {
      const yAt = place(new Float32Array(count));
      const [keepBelow, scale] = [Math.round((1 - rate) * 2 ** 24), 1 / (1 - rate)];
      kernels.dropout(4 * xAt, 4 * yAt, count, pcgHash(seed) | 0, keepBelow, scale);
      const mask = new Float32Array(count);
      fillDropoutMask(mask, seed, keepBelow, scale);
      // + 0: a dropped negative value is −0 by multiplication and +0 from the kernel's mask.
      assert.deepEqual(Array.from(floats.subarray(yAt, yAt + count), (value) => value + 0), Array.from(x, (value, index) => Math.fround(value * mask[index]) + 0), `seed ${seed}, rate ${rate}`);
    }
    const untouched = place(new Float32Array(8).fill(5));
    kernels.dropout(4 * xAt, 4 * untouched, 0, 0, 1 << 23, 2);
    assert.deepEqual([...floats.subarray(untouched, untouched + 8)], [5, 5, 5, 5, 5, 5, 5, 5]);
  });
});
