// npm run bench:graph — training throughput of TensorFlow.js op by op against the whole step as one
// ONNX graph on ONNX Runtime (src/engine/onnx/training), side by side in one process: the two steps
// are timed in turn, round by round (this VM drifts by ±30 %). On the CPU one core each (wasm runs
// one thread; the graph session BENCH_GRAPH_THREADS intra-op threads, default 1); on a GPU
// (scripts/gpu/run.sh, stage `graph`) tfjs-webgpu against ONNX Runtime's WebGPU provider. Prints
// figures (no assertions) and writes training-graph[-<backend>-<provider>].json.
// Environment: BENCH_PRESETS (fast,seed), BENCH_BATCHES (32), BENCH_SECONDS (per measure, 8),
// BENCH_GRAPH_THREADS (1), BENCH_TFJS_BACKEND (wasm | cpu | webgpu), BENCH_GRAPH_PROVIDER (cpu | webgpu).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../src/engine/backend/selectBackend';
import type { BackendName } from '../src/engine/backend/types';
import { imagesPerPass } from '../src/engine/llr/trainingPassSize';
import { GraphTrainer } from '../src/engine/onnx/training/graphTrainer';
import type { PresetName } from '../src/engine/pixelcnn';
import { PixelCnn, PRESETS } from '../src/engine/pixelcnn';
import { measureFlops } from './modelFlops';
import { alternatingRounds, median } from './timing';

const SHAPE = [28, 28, 1] as const;
const PRESET_NAMES = (process.env.BENCH_PRESETS ?? 'fast,seed').split(',') as PresetName[];
const BATCHES = (process.env.BENCH_BATCHES ?? '32').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const GRAPH_THREADS = Number(process.env.BENCH_GRAPH_THREADS ?? 1);
const RESULTS_DIR = process.env.BENCH_RESULTS_DIR ?? path.join('bench', 'results');
const TFJS_BACKEND = (process.env.BENCH_TFJS_BACKEND ?? 'wasm') as BackendName;
const PROVIDER = (process.env.BENCH_GRAPH_PROVIDER ?? 'cpu') as 'cpu' | 'webgpu';
/** One core's float32 arithmetic ceiling here (ENGINE.md): 2 FMA units × 8 lanes × 2 × ~3 GHz. */
const CORE_PEAK_GFLOPS = 100;

interface Row {
  preset: PresetName;
  batch: number;
  /** Convolution FLOPs of one forward pass per image (a step counts 3×, as bench:model). */
  forwardGflopPerImage: number;
  tfjs: { backend: BackendName; imagesPerSecond: number; effectiveGflops: number };
  graph: { provider: 'cpu' | 'webgpu'; imagesPerSecond: number; effectiveGflops: number; threads: number; sessionSeconds: number };
  /** Median of the per-round ratios tfjs step time / graph step time. */
  speedup: number;
  graphShareOfCorePeak: number;
}

async function benchPreset(preset: PresetName, batch: number): Promise<Row> {
  const model = new PixelCnn(SHAPE, PRESETS[preset], 1);
  model.setOptimizer({ learningRate: 1e-4 });
  const pixels = Uint8Array.from({ length: batch * SHAPE[0] * SHAPE[1] }, (_, i) => (i * 2654435761) >>> 24);
  const images = tf.tensor4d(Float32Array.from(pixels), [batch, ...SHAPE]);
  const { flops } = await measureFlops(() => model.logProb(images));
  const variables = [...model.variables.entries()].map(([name, variable]) => ({ name, shape: variable.shape }));
  const weights = Float32Array.from([...model.variables.values()].flatMap((variable) => Array.from(variable.dataSync() as Float32Array)));
  const trainer = new GraphTrainer({ config: model.config, imageShape: model.imageShape, variables, adam: { learningRate: 1e-4 }, threads: GRAPH_THREADS, provider: PROVIDER }, weights);
  const perPass = imagesPerPass(model);
  let seed = 1;
  const sessionStarted = performance.now();
  trainer.step(pixels, batch, 1e-4, seed++, perPass); // builds the graph and session
  const sessionSeconds = (performance.now() - sessionStarted) / 1000;
  const rounds = await alternatingRounds(
    () => model.trainStep(images, perPass, seed++),
    () => tf.scalar(trainer.step(pixels, batch, 1e-4, seed++, perPass)),
    2 * SECONDS,
  );
  trainer.dispose();
  images.dispose();
  model.dispose();
  const tfjsSeconds = median(rounds.first);
  const graphSeconds = median(rounds.second);
  const graphGflops = (3 * flops) / graphSeconds / 1e9;
  return {
    preset,
    batch,
    forwardGflopPerImage: flops / batch / 1e9,
    tfjs: { backend: TFJS_BACKEND, imagesPerSecond: batch / tfjsSeconds, effectiveGflops: (3 * flops) / tfjsSeconds / 1e9 },
    graph: { provider: PROVIDER, imagesPerSecond: batch / graphSeconds, effectiveGflops: graphGflops, threads: GRAPH_THREADS, sessionSeconds },
    speedup: median(rounds.first.map((seconds, round) => seconds / rounds.second[round])),
    graphShareOfCorePeak: graphGflops / (CORE_PEAK_GFLOPS * GRAPH_THREADS),
  };
}

async function main(): Promise<void> {
  const machine = `${os.cpus().length}× ${os.cpus()[0]?.model ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, load average ${os.loadavg()[0].toFixed(1)} at start`;
  const backend = await selectBackend(TFJS_BACKEND);
  console.log(`Training step, TensorFlow.js (${backend.description}) against the ONNX graph (${PROVIDER} provider, ${GRAPH_THREADS} thread(s)); ${machine}; images ${SHAPE.join('×')}`);
  const rows: Row[] = [];
  for (const preset of PRESET_NAMES) {
    for (const batch of BATCHES) {
      const row = await benchPreset(preset, batch);
      rows.push(row);
      console.log(
        `${preset.padEnd(4)} batch ${String(batch).padStart(3)}: tfjs ${row.tfjs.imagesPerSecond.toFixed(1).padStart(6)} img/s (${row.tfjs.effectiveGflops.toFixed(1)} GFLOP/s effective), ` +
          `graph ${row.graph.imagesPerSecond.toFixed(1).padStart(6)} img/s (${row.graph.effectiveGflops.toFixed(1)} GFLOP/s, ${(100 * row.graphShareOfCorePeak).toFixed(0)} % of a core's ~${CORE_PEAK_GFLOPS}), ` +
          `${row.speedup.toFixed(2)}× faster; graph and session built in ${row.graph.sessionSeconds.toFixed(1)} s; ${row.forwardGflopPerImage.toFixed(3)} GFLOP/img forward`,
      );
    }
  }
  const suffix = TFJS_BACKEND === 'wasm' && PROVIDER === 'cpu' ? '' : `-${TFJS_BACKEND}-${PROVIDER}`;
  const file = path.join(RESULTS_DIR, `training-graph${suffix}.json`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ machine, shared: 'the 2-core VM was shared with other work during the run', date: new Date().toISOString(), rows }, null, 2));
  console.log(`wrote ${file}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
