// npm run bench:speed — issue #6's figures, per backend: seed-preset training (img/s and effective
// TFLOP/s) at SPEED_BATCHES, scoring img/s with both models (the median of 3 passes, scored as the
// product scores: on a CPU backend ONNX Runtime where it loads, and one TensorFlow.js worker per core
// for comparison), and the time to sample 16 images; each against tfjs's own kernels, measured in a
// child run with OUTLIER_LENS_KERNELS=tfjs and OUTLIER_LENS_ONNX_RUNTIME=off, as a ratio. Prints
// figures (no assertions) and writes bench/results/speed-<backend>.json.
//
// Settings (environment): SPEED_BACKENDS (webgpu,tensorflow,wasm), SPEED_BATCHES (32,64,256),
// SPEED_BASELINE_BATCHES (the first of SPEED_BATCHES: tfjs's kernels are slow), SPEED_SECONDS (6,
// per measurement, at least 2 calls), SPEED_SCORE_IMAGES (8192 on a GPU, 256 on a CPU backend),
// SPEED_SAMPLE_PRESET (seed on a GPU; fast on a CPU backend, where 16 seed samples take ~7 minutes on
// TensorFlow.js's kernels, the baseline, and 73 s with ONNX Runtime's),
// BENCH_RESULTS_DIR.
import { spawnSync } from 'node:child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../src/engine/backend/selectBackend';
import type { BackendName } from '../src/engine/backend/types';
import { isCpuBackend, usesOwnKernels } from '../src/engine/backend/types';
import { imagesPerPass } from '../src/engine/llr/trainingPassSize';
import { SEED_FIT_CONFIG } from '../src/engine/llr/constants';
import { LlrDetector } from '../src/engine/llr/detector';
import type { ScoringPlan } from '../src/engine/llr/strategies';
import { ScoringPool } from '../src/engine/parallel/scoringPool';
import { scoringFor } from '../src/engine/strategies/chooseStrategies';
import { toImageSet } from '../src/engine/llr/imageSet';
import { cpuWorkerCount } from '../src/engine/parallel/workerCount';
import { sampleOnCpuNatively } from '../src/engine/onnx/nativeSampleNetwork';
import type { PresetName } from '../src/engine/pixelcnn';
import { PixelCnn, PRESETS } from '../src/engine/pixelcnn';
import { measureFlops } from './modelFlops';
import { timePerCall } from './timing';

const SHAPE = [28, 28, 1] as const;
const SAMPLE_COUNT = 16;
const SCORING_REPEATS = 3;
const BACKENDS = (process.env.SPEED_BACKENDS ?? 'webgpu,tensorflow,wasm').split(',') as BackendName[];
const BATCHES = (process.env.SPEED_BATCHES ?? '32,64,256').split(',').map(Number);
const BASELINE_BATCHES = (process.env.SPEED_BASELINE_BATCHES ?? String(BATCHES[0])).split(',').map(Number);
const SECONDS = Number(process.env.SPEED_SECONDS ?? 6);
const RESULTS_DIR = process.env.BENCH_RESULTS_DIR ?? path.join('bench', 'results');
/** Set in the child run that measures the baseline: the backend to measure. */
const CHILD_BACKEND = process.env.SPEED_CHILD_BACKEND as BackendName | undefined;
const CHILD_RESULT_PREFIX = 'SPEED_RESULT ';

/** One backend's figures under one kind of kernels. */
interface SpeedFigures {
  description: string;
  training: Array<{ batch: number; imagesPerSecond: number; effectiveTflops: number }>;
  /** `scoring` says what scored; on a CPU backend with ONNX Runtime, `tensorflowWorkers` is TensorFlow.js with a worker per core. */
  scoring: { images: number; scoring: string; imagesPerSecond: number; tensorflowWorkers?: { workers: number; imagesPerSecond: number } };
  sampling: { preset: PresetName; images: number; seconds: number };
}

/** Training throughput of the seed preset at `batch`: one Adam step, in passes where memory asks. */
async function measureTraining(batch: number): Promise<SpeedFigures['training'][number]> {
  const model = new PixelCnn(SHAPE, PRESETS.seed, 1);
  model.setOptimizer({ learningRate: SEED_FIT_CONFIG.learningRate });
  const images = tf.randomUniform([batch, ...SHAPE], 0, 256, 'int32') as tf.Tensor4D;
  try {
    const { flops } = await measureFlops(() => model.logProb(images));
    const perPass = imagesPerPass(model);
    const seconds = await timePerCall(() => model.trainStep(images, perPass), SECONDS);
    // A step is ~3 forward passes of work (forward, input and filter gradients), as bench:model counts it.
    return { batch, imagesPerSecond: batch / seconds, effectiveTflops: (3 * flops) / seconds / 1e12 };
  } finally {
    images.dispose();
    model.dispose();
  }
}

/** Scoring throughput of a seed-preset detector (both models), as `outlier-lens scan` scores. */
async function measureScoring(backend: BackendName): Promise<SpeedFigures['scoring']> {
  const count = Number(process.env.SPEED_SCORE_IMAGES ?? (isCpuBackend(backend) ? 256 : 8192));
  const pixels = Uint8Array.from({ length: count * SHAPE[0] * SHAPE[1] }, (_, i) => (i * 2654435761) >>> 24);
  const images = toImageSet(pixels, [...SHAPE]);
  // The same two networks (seeded), scored as the product scores and as TensorFlow.js in a worker thread per core.
  const detectorScoringBy = (plan: ScoringPlan): LlrDetector =>
    new LlrDetector(new PixelCnn(SHAPE, PRESETS.seed, 1), new PixelCnn(SHAPE, PRESETS.seed, 2), SEED_FIT_CONFIG, [], plan);
  // The median of SCORING_REPEATS passes over the images: one pass is a few seconds, and this VM's speed swings between seconds.
  const timeScoring = async (detector: LlrDetector): Promise<number> => {
    try {
      // The first call starts any workers and sends them the models: a warm-up, not timed.
      await detector.score(toImageSet(pixels.subarray(0, 2 * 64 * SHAPE[0] * SHAPE[1]), [...SHAPE]));
      const rates: number[] = [];
      for (let repeat = 0; repeat < SCORING_REPEATS; repeat++) {
        const started = performance.now();
        await detector.score(images);
        rates.push(count / ((performance.now() - started) / 1000));
      }
      return rates.sort((a, b) => a - b)[Math.floor(rates.length / 2)];
    } finally {
      detector.dispose();
    }
  };
  const fastest = detectorScoringBy(scoringFor(backend));
  const scoring = await fastest.prepareScoring();
  const native = fastest.scoresNatively;
  const imagesPerSecond = await timeScoring(fastest);
  if (!native) {
    return { images: count, scoring, imagesPerSecond };
  }
  const workers = cpuWorkerCount(backend);
  const tensorflowWorkers = detectorScoringBy({ onnxRuntimeThreads: null, workers: { count: workers, start: (semantic, background) => new ScoringPool(semantic, background, backend, workers) } });
  return { images: count, scoring, imagesPerSecond, tensorflowWorkers: { workers, imagesPerSecond: await timeScoring(tensorflowWorkers) } };
}

/** Seconds to draw SAMPLE_COUNT images from a fresh model of the sampling preset. */
async function measureSampling(backend: BackendName): Promise<SpeedFigures['sampling']> {
  const preset = (process.env.SPEED_SAMPLE_PRESET ?? (isCpuBackend(backend) ? 'fast' : 'seed')) as PresetName;
  const model = new PixelCnn(SHAPE, PRESETS[preset], 1);
  try {
    // As the product samples: on a CPU backend the passes run on ONNX Runtime where it loads.
    const started = performance.now();
    const samples = await sampleOnCpuNatively(model, SAMPLE_COUNT, { seed: 1 });
    await samples.data();
    samples.dispose();
    return { preset, images: SAMPLE_COUNT, seconds: (performance.now() - started) / 1000 };
  } finally {
    model.dispose();
  }
}

/** Every figure of `backend` with the kernels this process runs on, at `batches`. */
async function measureBackend(backend: BackendName, batches: number[]): Promise<SpeedFigures> {
  const { description } = await selectBackend(backend);
  const training: SpeedFigures['training'] = [];
  for (const batch of batches) {
    training.push(await measureTraining(batch));
    const row = training[training.length - 1];
    console.log(`${description}: seed training, batch ${batch}: ${row.imagesPerSecond.toFixed(1)} img/s, ${row.effectiveTflops.toFixed(3)} TFLOP/s effective`);
  }
  const scoring = await measureScoring(backend);
  console.log(`${description}: scoring, both models, ${scoring.scoring}: ${scoring.imagesPerSecond.toFixed(1)} img/s over ${scoring.images} images`);
  if (scoring.tensorflowWorkers) {
    const { workers, imagesPerSecond } = scoring.tensorflowWorkers;
    console.log(`${description}: scoring, both models, TensorFlow.js, ${workers} worker(s): ${imagesPerSecond.toFixed(1)} img/s`);
  }
  const sampling = await measureSampling(backend);
  console.log(`${description}: sampling ${sampling.images} images (${sampling.preset} preset): ${sampling.seconds.toFixed(1)} s`);
  return { description, training, scoring, sampling };
}

/** The same figures with tfjs's own kernels, from a child process (kernels are chosen once per process). */
function measureBaseline(backend: BackendName): SpeedFigures | null {
  const [entry] = process.argv.slice(1);
  const child = spawnSync(process.execPath, [...process.execArgv, entry], {
    env: { ...process.env, OUTLIER_LENS_KERNELS: 'tfjs', OUTLIER_LENS_ONNX_RUNTIME: 'off', SPEED_CHILD_BACKEND: backend, SPEED_BATCHES: BASELINE_BATCHES.join(',') },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 2 ** 20,
  });
  const line = child.stdout.split('\n').find((text) => text.startsWith(CHILD_RESULT_PREFIX));
  process.stdout.write(child.stdout.split('\n').filter((text) => text && !text.startsWith(CHILD_RESULT_PREFIX)).map((text) => `  baseline | ${text}\n`).join(''));
  if (child.status !== 0 || line === undefined) {
    console.log(`${backend}: the baseline run failed (exit ${child.status})`);
    return null;
  }
  return JSON.parse(line.slice(CHILD_RESULT_PREFIX.length)) as SpeedFigures;
}

/** ours / baseline, where both exist. */
function ratio(ours: number | undefined, baseline: number | undefined): number | null {
  return ours === undefined || baseline === undefined || baseline === 0 ? null : ours / baseline;
}

async function main(): Promise<void> {
  if (CHILD_BACKEND !== undefined) {
    console.log(CHILD_RESULT_PREFIX + JSON.stringify(await measureBackend(CHILD_BACKEND, BATCHES)));
    return;
  }
  if (!usesOwnKernels()) {
    throw new Error('run bench:speed without OUTLIER_LENS_KERNELS=tfjs: it measures that baseline itself');
  }
  const machine = `${os.cpus().length}× ${os.cpus()[0]?.model ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`;
  console.log(`Outlier Lens speed on ${machine}; baseline: tfjs's own kernels (OUTLIER_LENS_KERNELS=tfjs)`);
  for (const backend of BACKENDS) {
    let ours: SpeedFigures;
    try {
      ours = await measureBackend(backend, BATCHES);
    } catch (error) {
      console.log(`${backend}: not measured (${(error as Error).message.split('\n')[0]})`);
      continue;
    }
    const baseline = measureBaseline(backend);
    const speedups = {
      training: ours.training.map((row) => ({
        batch: row.batch,
        speedup: ratio(row.imagesPerSecond, baseline?.training.find((other) => other.batch === row.batch)?.imagesPerSecond),
      })),
      scoring: ratio(ours.scoring.imagesPerSecond, baseline?.scoring.imagesPerSecond),
      sampling: ratio(baseline?.sampling.seconds, ours.sampling.seconds),
    };
    const format = (value: number | null) => (value === null ? 'n/a' : `${value.toFixed(2)}×`);
    console.log(
      `${ours.description}: against tfjs's kernels — training ${speedups.training.map((row) => `b${row.batch} ${format(row.speedup)}`).join(', ')}; ` +
        `scoring ${format(speedups.scoring)}; sampling ${format(speedups.sampling)}`,
    );
    const file = path.join(RESULTS_DIR, `speed-${backend}.json`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ machine, date: new Date().toISOString(), ours, baseline, speedups }, null, 2));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
