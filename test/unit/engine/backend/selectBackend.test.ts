import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../../../src/engine/backend/selectBackend';
import { BackendUnavailableError, isBackendChoice } from '../../../../src/engine/backend/types';

/** Whether the optional native TensorFlow bindings are installed here (they are not, offline). */
function nativeTensorflowInstalled(): boolean {
  return ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'].some((name) => {
    try {
      require.resolve(name);
      return true;
    } catch {
      return false;
    }
  });
}

describe('selectBackend', () => {
  it('makes a forced backend the active one and describes it', async () => {
    const wasm = await selectBackend('wasm');
    assert.equal(wasm.name, 'wasm');
    assert.equal(tf.getBackend(), 'wasm');
    assert.match(wasm.description, /^wasm: XNNPACK/);
    const cpu = await selectBackend('cpu');
    assert.equal(tf.getBackend(), 'cpu');
    assert.equal(cpu.description, 'cpu: JavaScript');
  });

  it('picks the best backend that starts under auto, saying why it skipped the others', async () => {
    const skipped: string[] = [];
    const chosen = await selectBackend('auto', (name) => skipped.push(name));
    assert.equal(tf.getBackend(), chosen.name);
    const order = ['webgpu', 'tensorflow', 'wasm', 'cpu'];
    assert.deepEqual(skipped, order.slice(0, order.indexOf(chosen.name)));
  });

  (nativeTensorflowInstalled() ? it.skip : it)('names the missing package when tensorflow is forced without tfjs-node (skipped where it is installed)', async () => {
    await assert.rejects(selectBackend('tensorflow'), (error: unknown) => {
      assert.ok(error instanceof BackendUnavailableError);
      assert.match(error.message, /Backend 'tensorflow' is not available: .*tfjs-node-gpu.*tfjs-node/);
      return true;
    });
  });

  const hasVulkan = ['/usr/lib/x86_64-linux-gnu/libvulkan.so.1', '/usr/lib/libvulkan.so.1'].some((file) => fs.existsSync(file));
  (hasVulkan ? it.skip : it)('says what is missing when webgpu is forced on a machine without Vulkan (skipped where a Vulkan loader exists)', async () => {
    await assert.rejects(selectBackend('webgpu'), /Backend 'webgpu' is not available: no Vulkan loader \(libvulkan\.so\.1\)/);
  });

  it('accepts only the known backend choices', () => {
    assert.ok(['auto', 'webgpu', 'tensorflow', 'wasm', 'cpu'].every(isBackendChoice));
    assert.equal(isBackendChoice('cuda'), false);
  });
});
