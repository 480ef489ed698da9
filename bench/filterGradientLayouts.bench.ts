// npm run bench:layouts — the filter gradient of PixelCNN++'s convolutions on one backend: each
// im2col layout that runs there, the kernel registered (on webgpu the WGSL one) and the backend's own
// kernel, against the forward convolution. Prints milliseconds per call (median of 7 rounds of
// CALLS_PER_ROUND calls, one read-back each, so that a GPU's read-back latency is spread) and writes
// bench/results/filter-gradient-<backend>.json.
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import type { Im2colLayout } from '../src/engine/backend/im2colConv2dBackpropFilter';
import { installConv2dBackpropFilter, makeIm2colConv2dBackpropFilter, restoreBuiltInConv2dBackpropFilter, usesIm2colConv2dBackpropFilter } from '../src/engine/backend/im2colConv2dBackpropFilter';
import { selectBackend } from '../src/engine/backend/selectBackend';
import type { BackendChoice } from '../src/engine/backend/types';

const BACKEND = (process.env.BENCH_BACKEND ?? 'auto') as BackendChoice;
const BATCHES = (process.env.BENCH_BATCHES ?? '64,256').split(',').map(Number);
const RESULTS_DIR = process.env.BENCH_RESULTS_DIR ?? path.join('bench', 'results');
const DOWN_SHIFT: tf.backend_util.ExplicitPadding = [[0, 0], [1, 0], [1, 1], [0, 0]];
const DOWN_RIGHT_SHIFT: tf.backend_util.ExplicitPadding = [[0, 0], [1, 0], [1, 0], [0, 0]];

/** The seed model's convolution shapes (concat_elu doubles the 32 filters to 64 input channels). */
const SHAPES: Array<{ name: string; size: number; inC: number; outC: number; filter: [number, number]; pad: tf.backend_util.ExplicitPadding }> = [
  { name: '28², 64→64, 2×3 down-shift', size: 28, inC: 64, outC: 64, filter: [2, 3], pad: DOWN_SHIFT },
  { name: '28², 64→32, 2×3 down-shift', size: 28, inC: 64, outC: 32, filter: [2, 3], pad: DOWN_SHIFT },
  { name: '28², 64→64, 2×2 down-right-shift', size: 28, inC: 64, outC: 64, filter: [2, 2], pad: DOWN_RIGHT_SHIFT },
  { name: '14², 64→64, 2×3 down-shift', size: 14, inC: 64, outC: 64, filter: [2, 3], pad: DOWN_SHIFT },
];

const CALLS_PER_ROUND = Number(process.env.BENCH_CALLS_PER_ROUND ?? 5);

/** Median milliseconds per call of `run` over 7 rounds, each of CALLS_PER_ROUND calls and one read-back. */
async function medianMs(run: () => tf.Tensor): Promise<number> {
  const warm = run();
  await warm.data();
  warm.dispose();
  const times: number[] = [];
  for (let round = 0; round < 7; round++) {
    const started = performance.now();
    for (let call = 1; call < CALLS_PER_ROUND; call++) {
      run().dispose();
    }
    const result = run();
    await result.data();
    result.dispose();
    times.push((performance.now() - started) / CALLS_PER_ROUND);
  }
  return times.sort((a, b) => a - b)[3];
}

/** A tensor's values, read back and freed. */
async function readFloats(tensor: tf.Tensor): Promise<Float32Array> {
  const values = (await tensor.data()) as Float32Array;
  tensor.dispose();
  return values;
}

/** max |a − b| over max |b|. */
function largestDifference(a: Float32Array, b: Float32Array): number {
  let difference = 0;
  let largest = 0;
  for (let i = 0; i < b.length; i++) {
    difference = Math.max(difference, Math.abs(a[i] - b[i]));
    largest = Math.max(largest, Math.abs(b[i]));
  }
  return difference / largest;
}

async function main(): Promise<void> {
  const backend = await selectBackend(BACKEND);
  const original = tf.getKernel(tf.Conv2DBackpropFilter, backend.name) as tf.KernelConfig;
  const layouts: Im2colLayout[] = backend.name === 'wasm' ? ['wasmHeap', 'channelMajor', 'positionMajor'] : ['channelMajor', 'positionMajor'];
  const rows: Array<Record<string, number | string>> = [];
  for (const batch of BATCHES) {
    for (const shape of SHAPES) {
      const x = tf.randomNormal([batch, shape.size, shape.size, shape.inC]) as tf.Tensor4D;
      const filter = tf.randomNormal([...shape.filter, shape.inC, shape.outC]) as tf.Tensor4D;
      const dy = tf.randomNormal([batch, shape.size, shape.size, shape.outC]) as tf.Tensor4D;
      const attrs = { strides: 1, pad: shape.pad, dataFormat: 'NHWC', filterShape: filter.shape } as unknown as tf.NamedAttrMap;
      const gradient = () => tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, attrs) as tf.Tensor;
      const row: Record<string, number | string> = { batch, shape: shape.name, forwardMs: await medianMs(() => tf.conv2d(x, filter, 1, shape.pad)) };
      if (!usesIm2colConv2dBackpropFilter(backend.name)) {
        row[backend.name === 'webgpu' ? 'wgslMs' : 'registeredMs'] = await medianMs(gradient);
      }
      for (const layout of layouts) {
        tf.unregisterKernel(tf.Conv2DBackpropFilter, backend.name);
        tf.registerKernel({ ...original, kernelFunc: makeIm2colConv2dBackpropFilter(backend.name, undefined, layout) });
        row[`${layout}Ms`] = await medianMs(gradient);
      }
      tf.unregisterKernel(tf.Conv2DBackpropFilter, backend.name);
      tf.registerKernel(original);
      if (restoreBuiltInConv2dBackpropFilter(backend.name)) {
        row.builtinMs = await medianMs(gradient);
        // The registered kernel's result against tfjs's own, on this device: largest difference over largest value.
        const builtIn = await readFloats(gradient());
        installConv2dBackpropFilter(backend.name, original.kernelFunc);
        const registered = await readFloats(gradient());
        row.differenceToBuiltin = largestDifference(registered, builtIn);
      }
      rows.push(row);
      const difference = row.differenceToBuiltin === undefined ? '' : `; registered vs builtin: ${(row.differenceToBuiltin as number).toExponential(1)} relative`;
      console.log(`${backend.description} batch ${batch}, ${shape.name}: ${Object.entries(row).filter(([key]) => key.endsWith('Ms')).map(([key, ms]) => `${key.replace(/Ms$/, '')} ${(ms as number).toFixed(2)} ms`).join(', ')}${difference}`);
      tf.dispose([x, filter, dy]);
    }
  }
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  fs.writeFileSync(path.join(RESULTS_DIR, `filter-gradient-${backend.name}.json`), JSON.stringify({ backend: backend.description, date: new Date().toISOString(), rows }, null, 2));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
