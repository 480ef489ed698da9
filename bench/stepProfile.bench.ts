// npm run bench:profile — where one PixelCNN++ training step spends its time, kernel by kernel.
// Prints kernels grouped by name: calls, GPU (or backend) milliseconds where the backend times
// kernels, and the step's wall time; writes bench/results/step-profile-<backend>.json.
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../src/engine/backend/selectBackend';
import type { BackendChoice } from '../src/engine/backend/types';
import type { PresetName } from '../src/engine/pixelcnn';
import { PixelCnn, PRESETS } from '../src/engine/pixelcnn';
import { imagesPerPass } from '../src/engine/llr/trainingPassSize';

const PRESET = (process.env.PROFILE_PRESET ?? 'fast') as PresetName;
const BATCH = Number(process.env.PROFILE_BATCH ?? 32);
const BACKEND = (process.env.PROFILE_BACKEND ?? 'auto') as BackendChoice;
const RESULTS_DIR = process.env.BENCH_RESULTS_DIR ?? path.join('bench', 'results');

interface KernelGroup {
  name: string;
  calls: number;
  milliseconds: number;
}

/** Wall-clock milliseconds of `run` with its result read back. */
async function wallMs(run: () => tf.Tensor): Promise<number> {
  const started = performance.now();
  const result = run();
  await result.data();
  result.dispose();
  return performance.now() - started;
}

async function main(): Promise<void> {
  const backend = await selectBackend(BACKEND);
  const model = new PixelCnn([28, 28, 1], PRESETS[PRESET], 1);
  model.setOptimizer({ learningRate: 1e-4 });
  const images = tf.randomUniform([BATCH, 28, 28, 1], 0, 256, 'int32') as tf.Tensor4D;
  const perPass = imagesPerPass(model);
  const step = () => model.trainStep(images, perPass);
  await wallMs(step); // compiles shaders, allocates buffers
  const stepMs = Math.min(await wallMs(step), await wallMs(step));
  const forwardMs = Math.min(await wallMs(() => model.logProb(images)), await wallMs(() => model.logProb(images)));
  const profile = await tf.profile(() => step());
  const groups = new Map<string, KernelGroup>();
  let timed = true;
  for (const kernel of profile.kernels) {
    const group = groups.get(kernel.name) ?? { name: kernel.name, calls: 0, milliseconds: 0 };
    const ms = await kernel.kernelTimeMs;
    if (typeof ms !== 'number') {
      timed = false;
    }
    group.calls++;
    group.milliseconds += typeof ms === 'number' ? ms : 0;
    groups.set(kernel.name, group);
  }
  const sorted = [...groups.values()].sort((a, b) => b.milliseconds - a.milliseconds || b.calls - a.calls);
  const kernelCalls = profile.kernels.length;
  console.log(`${backend.description}, ${PRESET} preset, batch ${BATCH}: step ${stepMs.toFixed(0)} ms, forward ${forwardMs.toFixed(0)} ms, ${kernelCalls} kernel calls per step`);
  console.log(timed ? 'kernel time (backend timer):' : 'kernel calls (this backend does not time kernels):');
  for (const group of sorted.slice(0, 30)) {
    console.log(`  ${group.name.padEnd(26)} ${String(group.calls).padStart(6)} calls ${timed ? `${group.milliseconds.toFixed(1).padStart(9)} ms` : ''}`);
  }
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `step-profile-${backend.name}-${PRESET}-${BATCH}.json`);
  fs.writeFileSync(file, JSON.stringify({ backend: backend.description, preset: PRESET, batch: BATCH, stepMs, forwardMs, kernelCalls, timed, groups: sorted }, null, 2));
  images.dispose();
  model.dispose();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
