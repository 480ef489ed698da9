// npm run bench:layouts — the filter gradient of PixelCNN++'s convolutions on one backend: each
// im2col layout that runs there and the backend's own kernel, against the forward convolution.
// Prints milliseconds per call (median of 7) and writes bench/results/filter-gradient-<backend>.json.
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import type { Im2colLayout } from '../src/engine/backend/im2colConv2dBackpropFilter';
import { makeIm2colConv2dBackpropFilter, registerIm2colConv2dBackpropFilter, restoreBuiltInConv2dBackpropFilter } from '../src/engine/backend/im2colConv2dBackpropFilter';
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
  { name: '28², 64→64, 2×2 down-right-shift', size: 28, inC: 64, outC: 64, filter: [2, 2], pad: DOWN_RIGHT_SHIFT },
  { name: '14², 64→64, 2×3 down-shift', size: 14, inC: 64, outC: 64, filter: [2, 3], pad: DOWN_SHIFT },
];

/** Median milliseconds of `run` over 7 calls, its result read back each time. */
async function medianMs(run: () => tf.Tensor): Promise<number> {
  const warm = run();
  await warm.data();
  warm.dispose();
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    const started = performance.now();
    const result = run();
    await result.data();
    result.dispose();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[3];
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
      for (const layout of layouts) {
        tf.unregisterKernel(tf.Conv2DBackpropFilter, backend.name);
        tf.registerKernel({ ...original, kernelFunc: makeIm2colConv2dBackpropFilter(backend.name, undefined, layout) });
        row[`${layout}Ms`] = await medianMs(gradient);
      }
      tf.unregisterKernel(tf.Conv2DBackpropFilter, backend.name);
      tf.registerKernel(original);
      if (restoreBuiltInConv2dBackpropFilter(backend.name)) {
        row.builtinMs = await medianMs(gradient);
        registerIm2colConv2dBackpropFilter(backend.name as 'webgpu' | 'cpu');
      }
      rows.push(row);
      console.log(`${backend.description} batch ${batch}, ${shape.name}: ${Object.entries(row).filter(([key]) => key.endsWith('Ms')).map(([key, ms]) => `${key.replace(/Ms$/, '')} ${(ms as number).toFixed(2)} ms`).join(', ')}`);
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
