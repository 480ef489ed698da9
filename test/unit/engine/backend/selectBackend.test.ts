import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
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

describe('selectBackend with OUTLIER_LENS_KERNELS=tfjs (the baseline of bench:speed)', () => {
  // Kernels are registered once per process, so the baseline runs in a child process of its own.
  const probe = `
    const tf = require('@tensorflow/tfjs-core');
    const { selectBackend } = require('./src/engine/backend/selectBackend');
    const { usesIm2colConv2dBackpropFilter } = require('./src/engine/backend/kernels/composed/Conv2DBackpropFilter');
    /** d/dw of Σ conv(ones, w) on the active backend. */
    async function filterGradient() {
      const filter = tf.variable(tf.ones([3, 3, 1, 1]), true, 'probe/filter/' + tf.getBackend());
      const x = tf.ones([1, 4, 4, 1]);
      const { grads } = tf.variableGrads(() => tf.sum(tf.conv2d(x, filter, 1, 'same')), [filter]);
      return Array.from(await grads[filter.name].data());
    }
    (async () => {
      const wasm = await selectBackend('wasm');
      const wasmKernels = { filter: usesIm2colConv2dBackpropFilter('wasm') };
      const wasmGradient = await filterGradient();
      const cpu = await selectBackend('cpu');
      const cpuGradient = await filterGradient();
      console.log(JSON.stringify({ wasm: wasm.description, cpu: cpu.description, wasmKernels, cpuIm2col: usesIm2colConv2dBackpropFilter('cpu'), wasmGradient, cpuGradient }));
    })();
  `;

  it("starts cpu on tfjs's own kernels and says so; wasm keeps only the filter gradient it lacks (composed of tfjs's kernels); both still train", () => {
    const run = spawnSync(process.execPath, ['--require', 'tsx/cjs', '-e', probe], {
      env: { ...process.env, OUTLIER_LENS_KERNELS: 'tfjs' },
      encoding: 'utf8',
    });
    assert.equal(run.status, 0, run.stderr);
    const result = JSON.parse(run.stdout.trim().split('\n').pop() as string);
    assert.match(result.wasm, /^wasm: XNNPACK[^(]*$/);
    assert.equal(result.cpu, 'cpu: JavaScript (tfjs kernels only)');
    // wasm has no filter gradient of its own: ours is there, in the layout composed of tfjs's kernels.
    assert.deepEqual(result.wasmKernels, { filter: true });
    assert.equal(result.cpuIm2col, false);
    // d/dw of Σ conv(ones, w) with 'same' padding on 4×4: each tap sees 9, 6 or 4 input pixels.
    assert.deepEqual(result.wasmGradient, [9, 12, 9, 12, 16, 12, 9, 12, 9]);
    assert.deepEqual(result.cpuGradient, result.wasmGradient);
  });
});
