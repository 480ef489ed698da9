import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../../../src/engine/backend/selectBackend';
import { registerWasmHeapSlice, usesWasmHeapSlice } from '../../../../src/engine/backend/wasmHeapSlice';

/** A small deterministic generator (mulberry32), so that every run tests the same cases. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value ^= value + Math.imul(value ^ (value >>> 7), 61 | value);
    return ((value ^ (value >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** The slice of a row-major array, element by element: the reference. */
function referenceSlice(values: ArrayLike<number>, shape: number[], begin: number[], size: number[]): number[] {
  const result: number[] = [];
  const total = size.reduce((product, length) => product * length, 1);
  for (let flat = 0; flat < total; flat++) {
    let rest = flat;
    let offset = 0;
    let stride = 1;
    for (let axis = shape.length - 1; axis >= 0; axis--) {
      const coordinate = rest % size[axis];
      rest = Math.floor(rest / size[axis]);
      offset += (begin[axis] + coordinate) * stride;
      stride *= shape[axis];
    }
    result.push(values[offset]);
  }
  return result;
}

describe('wasm Slice, SplitV and Concat that read their inputs in place', () => {
  before(async () => {
    await selectBackend('wasm');
  });

  it('are installed by the wasm backend, once however often they are registered', () => {
    assert.ok(usesWasmHeapSlice());
    const kernels = [tf.Slice, tf.SplitV, tf.Concat].map((name) => tf.getKernel(name, 'wasm'));
    registerWasmHeapSlice();
    assert.deepEqual([tf.Slice, tf.SplitV, tf.Concat].map((name) => tf.getKernel(name, 'wasm')), kernels);
  });

  it('give the reference slice for 300 random shapes of rank 1 to 5, float32, int32 and bool, contiguous or not', async () => {
    const random = generator(7);
    const pick = (below: number) => Math.floor(random() * below);
    const dtypes = ['float32', 'int32', 'bool'] as const;
    for (let trial = 0; trial < 300; trial++) {
      const rank = 1 + pick(5);
      const shape = Array.from({ length: rank }, () => 1 + pick(5));
      const begin = shape.map((length) => pick(length));
      const size = shape.map((length, axis) => pick(length - begin[axis] + 1));
      const dtype = dtypes[trial % 3];
      const count = shape.reduce((product, length) => product * length, 1);
      const values = Array.from({ length: count }, (_, i) => (dtype === 'bool' ? i % 3 === 0 : dtype === 'int32' ? i - 17 : i * 0.5 - 3));
      const x = tf.tensor(values as number[], shape, dtype);
      const sliced = tf.slice(x, begin, size);
      assert.deepEqual(sliced.shape, size);
      assert.equal(sliced.dtype, dtype);
      const expected = referenceSlice(values.map(Number), shape, begin, size);
      assert.deepEqual(Array.from(await sliced.data()).map(Number), expected, `shape [${shape}] begin [${begin}] size [${size}] ${dtype}`);
      tf.dispose([x, sliced]);
    }
  });

  it('split along every axis into the reference parts, each its own tensor that outlives the input', async () => {
    const shape = [3, 4, 5];
    const values = Array.from({ length: 60 }, (_, i) => i);
    for (let axis = 0; axis < 3; axis++) {
      const sizes = axis === 0 ? [1, 2] : axis === 1 ? [1, 0, 3] : [2, 2, 1];
      const x = tf.tensor3d(values, shape as [number, number, number]);
      const parts = tf.split(x, sizes, axis);
      x.dispose();
      let start = 0;
      for (const [index, part] of parts.entries()) {
        const begin = [0, 0, 0];
        const size = [...shape];
        begin[axis] = start;
        size[axis] = sizes[index];
        assert.deepEqual(Array.from(await part.data()), referenceSlice(values, shape, begin, size), `axis ${axis} part ${index}`);
        start += sizes[index];
      }
      tf.dispose(parts);
    }
  });

  it('concatenate 200 random sets of 2 to 4 tensors along every axis into the reference, float32, int32 and bool, empty parts included', async () => {
    const random = generator(11);
    const pick = (below: number) => Math.floor(random() * below);
    const dtypes = ['float32', 'int32', 'bool'] as const;
    for (let trial = 0; trial < 200; trial++) {
      const rank = 1 + pick(4);
      const shape = Array.from({ length: rank }, () => 1 + pick(4));
      const axis = pick(rank);
      const dtype = dtypes[trial % 3];
      const count = 2 + pick(3);
      // Every fifth part is empty along the axis, as tfjs allows.
      const lengths = Array.from({ length: count }, (_, i) => ((trial + i) % 5 === 0 ? 0 : 1 + pick(4)));
      let next = 0;
      const parts = lengths.map((length) => {
        const partShape = [...shape];
        partShape[axis] = length;
        const size = partShape.reduce((product, value) => product * value, 1);
        const values = Array.from({ length: size }, () => next++).map((i) => (dtype === 'bool' ? i % 3 === 0 : dtype === 'int32' ? i - 17 : i * 0.5 - 3));
        return { shape: partShape, values: values.map(Number), tensor: tf.tensor(values as number[], partShape, dtype) };
      });
      const joined = tf.concat(parts.map((part) => part.tensor), axis);
      // The reference: for each index of the axes before `axis`, each part's run in turn.
      const rows = shape.slice(0, axis).reduce((product, value) => product * value, 1);
      const expected: number[] = [];
      for (let row = 0; row < rows; row++) {
        for (const part of parts) {
          const run = part.shape.slice(axis).reduce((product, value) => product * value, 1);
          expected.push(...part.values.slice(row * run, (row + 1) * run));
        }
      }
      const outShape = [...shape];
      outShape[axis] = lengths.reduce((total, length) => total + length, 0);
      assert.deepEqual(joined.shape, outShape);
      assert.equal(joined.dtype, dtype);
      assert.deepEqual(Array.from(await joined.data()).map(Number), expected, `shape [${shape}] axis ${axis} lengths [${lengths}] ${dtype}`);
      tf.dispose([joined, ...parts.map((part) => part.tensor)]);
    }
  });

  it('concatenate a filled part with an empty one (the built-in kernel returns it) and string tensors', async () => {
    const filled = tf.tensor2d([[1, 2], [3, 4]]);
    const empty = tf.zeros([2, 0]);
    const joined = tf.concat([empty, filled], 1);
    assert.deepEqual(await joined.array(), [[1, 2], [3, 4]]);
    const words = tf.concat([tf.tensor1d(['a', 'bb']), tf.tensor1d(['ccc'])]);
    assert.deepEqual(await words.data(), ['a', 'bb', 'ccc']);
    tf.dispose([filled, empty, joined, words]);
  });

  it('still slice string tensors, through the built-in kernel', async () => {
    const words = tf.tensor1d(['a', 'bb', 'ccc', 'dddd']);
    const middle = tf.slice(words, [1], [2]);
    assert.deepEqual(await middle.data(), ['bb', 'ccc']);
    tf.dispose([words, middle]);
  });

  it('split 1 M values into 248 parts (an update of the seed model) with the right values at both ends', () => {
    const x = tf.range(0, 1_000_000, 1, 'float32');
    const sizes = Array.from({ length: 248 }, (_, i) => (i < 247 ? 4_000 : 1_000_000 - 247 * 4_000));
    const parts = tf.split(x, sizes);
    assert.equal(parts[1].dataSync()[0], 4_000);
    assert.equal(parts[247].dataSync()[parts[247].size - 1], 999_999);
    tf.dispose([x, ...parts]);
  });
});
