import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { DEVICE_DROPOUT_MASK, deviceDropout, dropoutAcrossParts, dropoutMask, fillDropoutMask } from '../../../../src/engine/ops/dropout';
import { pcgHash } from '../../../../src/engine/random/pcgHash';
import { describeOnEachBackend } from '../backendMatrix';
import { readFloats } from '../readback';

/** The 19-degrees-of-freedom chi-square quantile at 0.999. */
const CHI_SQUARE_19_AT_0_999 = 43.82;

/** Pearson's chi-square statistic of `values` (in [0, 1)) over `bins` equal bins. */
function chiSquare(values: ArrayLike<number>, bins: number): number {
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < values.length; i++) {
    counts[Math.floor(values[i] * bins)]++;
  }
  const expected = values.length / bins;
  return counts.reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0);
}

/** The fraction of zeros in `mask`, and whether every other value is `scale`. */
function dropped(mask: Float32Array, scale: number): { fraction: number; othersScaled: boolean } {
  let zeros = 0;
  let othersScaled = true;
  for (const value of mask) {
    if (value === 0) {
      zeros++;
    } else if (Math.abs(value - scale) > 1e-6 * scale) {
      othersScaled = false;
    }
  }
  return { fraction: zeros / mask.length, othersScaled };
}

describe('The PCG hash under the dropout masks', () => {
  it('agrees with pcg_hash of Jarzynski & Olano (2020) evaluated in exact uint32 arithmetic (BigInt)', () => {
    // The published C: state = v * 747796405 + 2891336453; word = ((state >> ((state >> 28) + 4)) ^ state) * 277803737; (word >> 22) ^ word.
    const reference = (value: number): number => {
      const state = (BigInt(value) * 747796405n + 2891336453n) & 0xffffffffn;
      const word = (((state >> ((state >> 28n) + 4n)) ^ state) * 277803737n) & 0xffffffffn;
      return Number((word >> 22n) ^ word);
    };
    for (const value of [0, 1, 2, 12345, 0x7fffffff, 0x80000000, 0xffffffff]) {
      assert.equal(pcgHash(value), reference(value), `value ${value}`);
    }
  });

  it('spreads consecutive indices uniformly: 20 equal bins of 200,000 hashes pass a chi-square test (p = 0.001)', () => {
    const seedHash = pcgHash(11);
    const fractions = Float64Array.from({ length: 200_000 }, (_, index) => pcgHash((index ^ seedHash) >>> 0) / 2 ** 32);
    assert.ok(chiSquare(fractions, 20) < CHI_SQUARE_19_AT_0_999, `chi-square ${chiSquare(fractions, 20)}`);
  });
});

describe('The dropout mask fill', () => {
  it('is the per-value definition (the top 24 bits of pcgHash(i ^ pcgHash(seed)) below the threshold) for several seeds and rates, into a range of a larger array', () => {
    for (const [seed, rate] of [[0, 0.3], [1234567, 0.5], [0xffffffff, 0.99], [42, 0], [7, 1 - 2 ** -24]]) {
      const keepBelow = Math.round((1 - rate) * 2 ** 24);
      const scale = 1 / (1 - rate);
      const memory = new Float32Array(10_000).fill(-1);
      fillDropoutMask(memory, seed, keepBelow, scale, 100, 9_100);
      const seedHash = pcgHash(seed);
      for (let index = 0; index < 9_000; index++) {
        const expected = pcgHash((index ^ seedHash) >>> 0) >>> 8 < keepBelow ? Math.fround(scale) : 0;
        assert.equal(memory[100 + index], expected, `seed ${seed}, rate ${rate}, value ${index}`);
      }
      assert.ok(memory.subarray(0, 100).every((value) => value === -1) && memory.subarray(9_100).every((value) => value === -1), 'nothing outside the range');
    }
  });
});

describeOnEachBackend('Dropout masks made where the tensor lives', (backend) => {
  it(`fills the mask on ${backend} ${backend === 'webgpu' ? 'with its own shader' : 'in JavaScript'}`, () => {
    assert.equal(tf.getKernel(DEVICE_DROPOUT_MASK, backend) !== undefined, backend === 'webgpu');
  });

  it('gives the same mask as the JavaScript fill for one seed, on every backend', async () => {
    const rate = 0.3;
    const mask = await readFloats(dropoutMask([64, 300], rate, 1234567));
    const expected = new Float32Array(mask.length);
    fillDropoutMask(expected, 1234567, Math.round((1 - rate) * 2 ** 24), 1 / (1 - rate));
    assert.deepEqual(mask, expected);
  });

  for (const rate of [0.3, 0.05, 0.9]) {
    it(`drops a fraction within 5σ of rate ${rate} and scales the rest by 1/(1 − rate)`, async () => {
      const mask = await readFloats(dropoutMask([400, 500], rate, 21));
      const { fraction, othersScaled } = dropped(mask, 1 / (1 - rate));
      assert.ok(Math.abs(fraction - rate) < 5 * Math.sqrt((rate * (1 - rate)) / mask.length), `dropped ${fraction}`);
      assert.ok(othersScaled);
    });
  }

  it('drops nothing at rate 0, and refuses a rate outside [0, 1)', async () => {
    assert.ok((await readFloats(dropoutMask([100, 100], 0, 3))).every((value) => value === 1));
    assert.throws(() => dropoutMask([4], 1, 3), /dropout rate must be in \[0, 1\), got 1/);
    assert.throws(() => dropoutMask([4], -0.1, 3), /got -0.1/);
  });

  it('repeats for one seed and differs for another', async () => {
    const first = await readFloats(dropoutMask([64, 64], 0.5, 5));
    const again = await readFloats(dropoutMask([64, 64], 0.5, 5));
    const other = await readFloats(dropoutMask([64, 64], 0.5, 6));
    assert.deepEqual(again, first);
    const equal = first.filter((value, i) => value === other[i]).length;
    // Independent masks at rate ½ agree on half their values; 5σ of 4,096 is 160.
    assert.ok(Math.abs(equal - first.length / 2) < 160, `${equal} of ${first.length} values equal across seeds`);
  });

  it('fills every value of a tensor larger than one dispatch row (5 M values: 65,535 workgroups of 64 hold 4.19 M)', async () => {
    const mask = await readFloats(dropoutMask([5, 1000, 1000], 0.3, 9));
    const { fraction } = dropped(mask.subarray(4_300_000), 1 / 0.7);
    assert.ok(Math.abs(fraction - 0.3) < 5 * Math.sqrt((0.3 * 0.7) / 700_000), `dropped past 4.19 M: ${fraction}`);
  });

  it('applies dropout as x times the JavaScript mask, value for value, also for sizes not a multiple of 4', async () => {
    const rate = 0.3;
    for (const shape of [[64, 300], [7, 13]]) {
      const x = tf.randomNormal(shape, 0, 1, 'float32', 5);
      const dropped = await readFloats(deviceDropout(x, rate, 77));
      const values = await readFloats(x);
      const mask = new Float32Array(values.length);
      fillDropoutMask(mask, 77, Math.round((1 - rate) * 2 ** 24), 1 / (1 - rate));
      // + 0 makes −0 (a negative value times a dropped 0) and +0 the same zero.
      const expected = values.map((value, index) => Math.fround(value * mask[index]) + 0);
      assert.deepEqual(dropped.map((value) => value + 0), expected, `shape ${shape}`);
    }
  });

  it('passes the gradient of dropout through the same mask, and leaves no tensors behind', async () => {
    const rate = 0.3;
    const x = tf.ones([400, 250]);
    const before = tf.memory().numTensors;
    const { value, grads } = tf.valueAndGrads((input: tf.Tensor) => tf.sum(tf.mul(deviceDropout(input, rate, 21), tf.onesLike(input))))([x]);
    const kept = await readFloats(deviceDropout(x, rate, 21));
    const gradient = await readFloats(grads[0]);
    assert.deepEqual(gradient, kept, 'the gradient of sum(dropout(x)) at x = 1 is the scaled mask itself');
    // A float32 sum of 100,000 values: 1e-3 relative covers its rounding.
    const expectedSum = kept.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs((await readFloats(value))[0] - expectedSum) < 1e-3 * expectedSum);
    assert.equal(tf.memory().numTensors, before);
    x.dispose();
  });

  it('drops the same values of a layer however its channels are split into parts (one mask over their concatenation)', async () => {
    const rate = 0.3;
    const whole = tf.randomNormal([2, 3, 4, 10], 0, 1, 'float32', 8) as tf.Tensor4D;
    const parts = tf.split(whole, [4, 6], 3) as tf.Tensor4D[];
    const joined = await readFloats(deviceDropout(whole, rate, 99));
    const split = await readFloats(tf.concat(dropoutAcrossParts(parts, rate, 99), 3));
    assert.deepEqual(split.map((value) => value + 0), joined.map((value) => value + 0));
    tf.dispose([whole, ...parts]);
  });
});
