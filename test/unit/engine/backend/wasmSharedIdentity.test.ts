import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../../../src/engine/backend/selectBackend';
import { registerWasmSharedIdentity, usesSharedIdentity } from '../../../../src/engine/backend/wasmSharedIdentity';

describe('wasm Identity that shares memory', () => {
  before(async () => {
    await selectBackend('wasm');
  });

  it('is installed by the wasm backend, once however often it is registered', () => {
    assert.ok(usesSharedIdentity());
    const kernel = tf.getKernel(tf.Identity, 'wasm');
    registerWasmSharedIdentity();
    assert.equal(tf.getKernel(tf.Identity, 'wasm'), kernel);
  });

  it('gives a clone the same values without new memory, and either can be freed first', async () => {
    const original = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
    // tfjs counts bytes per tensor (a reshape adds some too); buffers are what memory holds.
    const buffers = tf.memory().numDataBuffers;
    const copy = tf.clone(original);
    assert.equal(copy.dataId, original.dataId);
    assert.equal(tf.memory().numDataBuffers, buffers, 'a clone takes no new buffer');
    original.dispose();
    assert.deepEqual(Array.from(await copy.data()), [1, 2, 3, 4, 5, 6]);
    const again = tf.clone(copy);
    again.dispose();
    assert.deepEqual(Array.from(await copy.data()), [1, 2, 3, 4, 5, 6]);
    copy.dispose();
    assert.equal(tf.memory().numDataBuffers, buffers - 1, 'the buffer is freed with its last tensor');
  });

  it('keeps a saved activation intact when the variable it came from is assigned (the tape clones what it saves)', async () => {
    const variable = tf.variable(tf.tensor1d([1, 2, 3]));
    const saved = tf.clone(variable);
    variable.assign(tf.tensor1d([7, 8, 9]));
    assert.deepEqual(Array.from(await saved.data()), [1, 2, 3]);
    assert.deepEqual(Array.from(await variable.data()), [7, 8, 9]);
    tf.dispose([variable, saved]);
  });

  it('still clones strings', async () => {
    const words = tf.tensor1d(['a', 'b'], 'string');
    const copy = tf.clone(words);
    words.dispose();
    assert.deepEqual(await copy.data(), ['a', 'b']);
    copy.dispose();
  });
});
