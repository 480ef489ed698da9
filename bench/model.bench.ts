// npm run bench:model — forward and training throughput of PixelCNN++ per available backend.
// Forward passes and training steps are timed in turn, the step / forward ratio round by round (the
// median), since a shared VM drifts. Prints figures (no assertions) and writes bench/results/model-<backend>.json.
// BENCH_CHANNEL_PARTS=joined|separate times the forward pass in that layout instead of the backend's
// inference choice (training keeps parts separate on every backend), for a like-for-like ratio.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../src/engine/backend/selectBackend';
import type { BackendName } from '../src/engine/backend/types';
import type { PresetName } from '../src/engine/pixelcnn';
import { PixelCnn, PRESETS } from '../src/engine/pixelcnn';
import { imagesPerPass } from '../src/engine/llr/fit';
import { registerIm2colConv2dBackpropFilter, restoreBuiltInConv2dBackpropFilter } from '../src/engine/backend/im2colConv2dBackpropFilter';
import { measureFlops } from './modelFlops';
import { alternatingRounds, median, timePerCall } from './timing';

const SHAPE = [28, 28, 1] as const;
const BATCHES = (process.env.BENCH_BATCHES ?? '32,64').split(',').map(Number);
const PRESET_NAMES: PresetName[] = (process.env.BENCH_PRESETS ?? 'fast,seed').split(',') as PresetName[];
const BACKENDS: BackendName[] = (process.env.BENCH_BACKENDS ?? 'webgpu,tensorflow,wasm').split(',') as BackendName[];
const SECONDS_PER_MEASURE = Number(process.env.BENCH_SECONDS ?? 6);
const CHANNEL_PARTS = (process.env.BENCH_CHANNEL_PARTS ?? 'auto') as PixelCnn['channelParts'];
/** Filter-gradient kernels to compare: ours (im2col) and, where ours replaced one, tfjs's own (builtin). */
const FILTER_GRADIENTS = (process.env.BENCH_FILTER_GRADIENTS ?? 'im2col').split(',') as FilterGradient[];
/** Where the JSON goes (a GPU machine writes to its $OUT). */
const RESULTS_DIR = process.env.BENCH_RESULTS_DIR ?? path.join('bench', 'results');

type FilterGradient = 'im2col' | 'builtin';

interface Row {
  backend: string;
  filterGradient: FilterGradient;
  preset: PresetName;
  batch: number;
  forwardImagesPerSecond: number;
  forwardGflops: number;
  trainImagesPerSecond: number;
  trainEffectiveGflops: number;
  trainStepOverForward: number;
  forwardGflopPerImage: number;
  peakTensorMiB: number;
}

async function benchBackend(name: BackendName): Promise<Row[]> {
  let description: string;
  try {
    description = (await selectBackend(name)).description;
  } catch (error) {
    console.log(`${name}: not available (${(error as Error).message})`);
    return [];
  }
  const rows: Row[] = [];
  for (const filterGradient of FILTER_GRADIENTS) {
    if (filterGradient === 'builtin' && !restoreBuiltInConv2dBackpropFilter(name)) {
      console.log(`${description}: no built-in filter gradient replaced, nothing to compare`);
      continue;
    }
    rows.push(...(await benchPresets(description, filterGradient)));
    if (filterGradient === 'builtin') {
      // Only cpu and webgpu have a built-in kernel to restore; ours goes back in for what follows.
      registerIm2colConv2dBackpropFilter(name as 'cpu' | 'webgpu');
    }
  }
  return rows;
}

/** Forward and training throughput of every preset and batch size with the kernels registered now. */
async function benchPresets(description: string, filterGradient: FilterGradient): Promise<Row[]> {
  const rows: Row[] = [];
  for (const preset of PRESET_NAMES) {
    for (const batch of BATCHES) {
      const model = new PixelCnn(SHAPE, PRESETS[preset], 1);
      model.channelParts = CHANNEL_PARTS;
      model.setOptimizer({ learningRate: 1e-4 });
      const images = tf.randomUniform([batch, ...SHAPE], 0, 256, 'int32') as tf.Tensor4D;
      const { flops, peakBytes: forwardPeak } = await measureFlops(() => model.logProb(images));
      const forward = () => model.logProb(images);
      let forwardSeconds: number;
      let trainSeconds = Number.NaN;
      let stepOverForward = Number.NaN;
      let trainPeak = 0;
      try {
        // On wasm a large batch is trained in passes that fit its 4 GiB heap (gradients summed).
        const perPass = imagesPerPass(model);
        // Forward and training in turn, the ratio round by round: this VM's speed drifts by ±30 %.
        const rounds = await alternatingRounds(forward, () => model.trainStep(images, perPass), 2 * SECONDS_PER_MEASURE);
        forwardSeconds = median(rounds.first);
        trainSeconds = median(rounds.second);
        stepOverForward = median(rounds.second.map((seconds, round) => seconds / rounds.first[round]));
        trainPeak = (await measureFlops(() => model.trainStep(images, perPass))).peakBytes;
      } catch (error) {
        // wasm has a 4 GiB heap: the seed model's training tape does not fit at large batches.
        console.log(`${description} ${preset} batch ${batch}: training failed (${(error as Error).message.split('\n')[0]})`);
        forwardSeconds = await timePerCall(forward, SECONDS_PER_MEASURE);
      }
      rows.push({
        backend: description,
        filterGradient,
        preset,
        batch,
        forwardImagesPerSecond: batch / forwardSeconds,
        forwardGflops: flops / forwardSeconds / 1e9,
        trainImagesPerSecond: batch / trainSeconds,
        trainEffectiveGflops: (3 * flops) / trainSeconds / 1e9,
        trainStepOverForward: stepOverForward,
        forwardGflopPerImage: flops / batch / 1e9,
        peakTensorMiB: Math.max(forwardPeak, trainPeak) / 2 ** 20,
      });
      images.dispose();
      model.dispose();
      const row = rows[rows.length - 1];
      console.log(
        `${description.padEnd(34)} ${filterGradient.padEnd(7)} ${preset.padEnd(4)} batch ${String(batch).padStart(3)}: forward ${row.forwardImagesPerSecond.toFixed(1).padStart(7)} img/s ` +
          `(${row.forwardGflops.toFixed(1)} GFLOP/s), train ${row.trainImagesPerSecond.toFixed(1).padStart(6)} img/s ` +
          `(${row.trainEffectiveGflops.toFixed(1)} GFLOP/s effective, step = ${row.trainStepOverForward.toFixed(2)}× forward), ` +
          `${row.forwardGflopPerImage.toFixed(3)} GFLOP/img, peak ${row.peakTensorMiB.toFixed(0)} MiB`,
      );
    }
  }
  return rows;
}

async function main(): Promise<void> {
  const machine = `${os.cpus().length}× ${os.cpus()[0]?.model ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`;
  console.log(`PixelCNN++ throughput on ${machine}, images ${SHAPE.join('×')}`);
  const results: Record<string, Row[]> = {};
  for (const backend of BACKENDS) {
    const rows = await benchBackend(backend);
    if (rows.length > 0) {
      results[backend] = rows;
      const file = path.join(RESULTS_DIR, `model-${backend}.json`);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, JSON.stringify({ machine, date: new Date().toISOString(), rows, rssMiB: process.memoryUsage().rss / 2 ** 20 }, null, 2));
    }
  }
  console.log(`process RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
