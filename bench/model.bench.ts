// npm run bench:model — forward and training throughput of PixelCNN++ per available backend.
// Forward passes and training steps are timed in turn, the step / forward ratio round by round (the
// median), since a shared VM drifts. Prints figures (no assertions) and writes bench/results/model-<backend>.json.
// On a CPU backend each row also times the network exported whole to ONNX Runtime, one thread.
// Environment:
//   BENCH_CHANNEL_PARTS=joined|separate   forward passes in that layout (else the backend's choice);
//   BENCH_TRAIN_CHANNEL_PARTS=...         the same for training steps;
//   BENCH_FILTER_GRADIENTS                filter gradients to compare: registered (the backend's
//                                         own choice), im2col, wgsl (webgpu), builtin (tfjs's);
//   BENCH_TF_FLAGS                        TensorFlow.js flags, as JSON;
//   BENCH_FORWARD_ONLY=1                  forward passes alone (batches whose tape would not fit);
//   BENCH_FUSED_CONCAT_ELU=0, BENCH_FUSED_GATE=0
//                                         concat_elu, the resnet gate as tfjs's ops, not fused;
//   BENCH_STEPS_PER_READ=N                N calls per read-back, as training reads its loss every
//                                         few steps.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../src/engine/backend/selectBackend';
import type { BackendName } from '../src/engine/backend/types';
import type { PresetName } from '../src/engine/pixelcnn';
import { PixelCnn, PRESETS } from '../src/engine/pixelcnn';
import { imagesPerPass } from '../src/engine/llr/trainingPassSize';
import { installConv2dBackpropFilter, makeIm2colConv2dBackpropFilter, restoreBuiltInConv2dBackpropFilter } from '../src/engine/backend/kernels/composed/Conv2DBackpropFilter';
import { registerWgslConv2dBackpropFilter } from '../src/engine/backend/kernels/webgpu/Conv2DBackpropFilter';
import { CONCAT_ELU } from '../src/engine/ops/concatElu';
import { FUSED_GATE } from '../src/engine/ops/gate';
import { measureFlops } from './modelFlops';
import { NativeNetwork } from '../src/engine/onnx/nativeNetwork';
import { isCpuBackend } from '../src/engine/backend/types';
import { alternatingRounds, median, timePerCall } from './timing';

const SHAPE = [28, 28, 1] as const;
const BATCHES = (process.env.BENCH_BATCHES ?? '32,64').split(',').map(Number);
const PRESET_NAMES: PresetName[] = (process.env.BENCH_PRESETS ?? 'fast,seed').split(',') as PresetName[];
const BACKENDS: BackendName[] = (process.env.BENCH_BACKENDS ?? 'webgpu,tensorflow,wasm').split(',') as BackendName[];
const SECONDS_PER_MEASURE = Number(process.env.BENCH_SECONDS ?? 6);
const CHANNEL_PARTS = (process.env.BENCH_CHANNEL_PARTS ?? 'auto') as PixelCnn['channelParts'];
/** Filter-gradient kernels to compare: the backend's own choice (registered), im2col, wgsl (webgpu), tfjs's own (builtin). */
const FILTER_GRADIENTS = (process.env.BENCH_FILTER_GRADIENTS ?? 'registered').split(',') as FilterGradient[];
const TRAIN_CHANNEL_PARTS = (process.env.BENCH_TRAIN_CHANNEL_PARTS ?? 'auto') as PixelCnn['channelParts'];
const TF_FLAGS = JSON.parse(process.env.BENCH_TF_FLAGS ?? '{}') as Record<string, number | boolean | string>;
const FORWARD_ONLY = process.env.BENCH_FORWARD_ONLY === '1';
const STEPS_PER_READ = Number(process.env.BENCH_STEPS_PER_READ ?? 1);
const FUSED_CONCAT_ELU = process.env.BENCH_FUSED_CONCAT_ELU !== '0';
const FUSED_GATE_ON = process.env.BENCH_FUSED_GATE !== '0';
/** Where the JSON goes (a GPU machine writes to its $OUT). */
const RESULTS_DIR = process.env.BENCH_RESULTS_DIR ?? path.join('bench', 'results');

type FilterGradient = 'registered' | 'im2col' | 'wgsl' | 'builtin';

interface Row {
  backend: string;
  filterGradient: FilterGradient;
  trainChannelParts: PixelCnn['channelParts'];
  fusedConcatElu: boolean;
  fusedGate: boolean;
  flags: Record<string, number | boolean | string>;
  stepsPerRead: number;
  preset: PresetName;
  batch: number;
  forwardImagesPerSecond: number;
  forwardGflops: number;
  trainImagesPerSecond: number;
  trainEffectiveGflops: number;
  trainStepOverForward: number;
  forwardGflopPerImage: number;
  /** The network alone on ONNX Runtime, one thread, as CPU scoring and sampling run it (null where it does not load or on a GPU). */
  onnxRuntimeForward: { imagesPerSecond: number; gflops: number } | null;
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
  tf.env().setFlags(TF_FLAGS as Parameters<ReturnType<typeof tf.env>['setFlags']>[0]);
  if (!FUSED_CONCAT_ELU && tf.getKernel(CONCAT_ELU, name) !== undefined) {
    tf.unregisterKernel(CONCAT_ELU, name);
  }
  if (!FUSED_GATE_ON && tf.getKernel(FUSED_GATE, name) !== undefined) {
    tf.unregisterKernel(FUSED_GATE, name);
  }
  const registered = tf.getKernel(tf.Conv2DBackpropFilter, name) as tf.KernelConfig | undefined;
  const rows: Row[] = [];
  for (const filterGradient of FILTER_GRADIENTS) {
    if (!useFilterGradient(name, filterGradient)) {
      console.log(`${description}: no ${filterGradient} filter gradient here, nothing to compare`);
      continue;
    }
    rows.push(...(await benchPresets(description, filterGradient)));
    if (registered !== undefined) {
      installConv2dBackpropFilter(name, registered.kernelFunc);
    }
  }
  return rows;
}

/** Makes `kind` the Conv2DBackpropFilter of backend `name`; false where it has no such kernel. */
function useFilterGradient(name: BackendName, kind: FilterGradient): boolean {
  switch (kind) {
    case 'registered':
      return true;
    case 'builtin':
      return restoreBuiltInConv2dBackpropFilter(name);
    case 'im2col':
      if (name === 'tensorflow') {
        return false;
      }
      installConv2dBackpropFilter(name, makeIm2colConv2dBackpropFilter(name));
      return true;
    case 'wgsl':
      if (name !== 'webgpu') {
        return false;
      }
      registerWgslConv2dBackpropFilter();
      return true;
  }
}

/**
 * Throughput of `model`'s network exported whole to ONNX Runtime on one thread (the forward pass CPU
 * scoring and sampling run; the mixture likelihood, a few element-wise ops, left out); null where it does not load.
 */
async function onnxRuntimeForward(model: PixelCnn, images: tf.Tensor4D, flops: number): Promise<Row['onnxRuntimeForward']> {
  const network = NativeNetwork.create(model, model.imageShape, 1);
  if (!network) {
    return null;
  }
  try {
    const [batch] = images.shape;
    const pixels = Uint8Array.from(await images.data());
    const seconds = await timePerCall(() => {
      const params = network.params(pixels, batch);
      tf.dispose(Object.values(params).filter((value): value is tf.Tensor => value instanceof tf.Tensor));
      return tf.scalar(0);
    }, SECONDS_PER_MEASURE);
    return { imagesPerSecond: batch / seconds, gflops: flops / seconds / 1e9 };
  } finally {
    network.release();
  }
}

/** Thrown past the training measurement when BENCH_FORWARD_ONLY asks for forward passes alone. */
class ForwardOnly extends Error {}

/** `call` run `times` times, all but the last result freed unread: the last is read back. */
function repeated(call: () => tf.Tensor, times: number): () => tf.Tensor {
  return () => {
    for (let i = 1; i < times; i++) {
      call().dispose();
    }
    return call();
  };
}

/** Forward and training throughput of every preset and batch size with the kernels registered now. */
async function benchPresets(description: string, filterGradient: FilterGradient): Promise<Row[]> {
  const rows: Row[] = [];
  for (const preset of PRESET_NAMES) {
    for (const batch of BATCHES) {
      const model = new PixelCnn(SHAPE, PRESETS[preset], 1);
      model.setOptimizer({ learningRate: 1e-4 });
      const images = tf.randomUniform([batch, ...SHAPE], 0, 256, 'int32') as tf.Tensor4D;
      // One model times both, each call in its own layout of channel parts.
      const logProb = () => {
        model.channelParts = CHANNEL_PARTS;
        return model.logProb(images);
      };
      const { flops, peakBytes: forwardPeak } = await measureFlops(logProb);
      const forward = repeated(logProb, STEPS_PER_READ);
      let forwardSeconds: number;
      let trainSeconds = Number.NaN;
      let stepOverForward = Number.NaN;
      let trainPeak = 0;
      try {
        if (FORWARD_ONLY) {
          throw new ForwardOnly();
        }
        // On wasm a large batch is trained in passes that fit its 4 GiB heap (gradients summed).
        const perPass = imagesPerPass(model);
        const trainStep = () => {
          model.channelParts = TRAIN_CHANNEL_PARTS;
          return model.trainStep(images, perPass);
        };
        const train = repeated(trainStep, STEPS_PER_READ);
        // Forward and training in turn, the ratio round by round: this VM's speed drifts by ±30 %.
        const rounds = await alternatingRounds(forward, train, 2 * SECONDS_PER_MEASURE);
        forwardSeconds = median(rounds.first) / STEPS_PER_READ;
        trainSeconds = median(rounds.second) / STEPS_PER_READ;
        stepOverForward = median(rounds.second.map((seconds, round) => seconds / rounds.first[round]));
        trainPeak = (await measureFlops(trainStep)).peakBytes;
      } catch (error) {
        // wasm has a 4 GiB heap: the seed model's training tape does not fit at large batches.
        if (!(error instanceof ForwardOnly)) {
          console.log(`${description} ${preset} batch ${batch}: training failed (${(error as Error).message.split('\n')[0]})`);
        }
        forwardSeconds = (await timePerCall(forward, SECONDS_PER_MEASURE)) / STEPS_PER_READ;
      }
      rows.push({
        backend: description,
        filterGradient,
        trainChannelParts: TRAIN_CHANNEL_PARTS,
        fusedConcatElu: FUSED_CONCAT_ELU && tf.getKernel(CONCAT_ELU, tf.getBackend()) !== undefined,
        fusedGate: FUSED_GATE_ON && tf.getKernel(FUSED_GATE, tf.getBackend()) !== undefined,
        flags: TF_FLAGS,
        stepsPerRead: STEPS_PER_READ,
        preset,
        batch,
        forwardImagesPerSecond: batch / forwardSeconds,
        forwardGflops: flops / forwardSeconds / 1e9,
        trainImagesPerSecond: batch / trainSeconds,
        trainEffectiveGflops: (3 * flops) / trainSeconds / 1e9,
        trainStepOverForward: stepOverForward,
        forwardGflopPerImage: flops / batch / 1e9,
        peakTensorMiB: Math.max(forwardPeak, trainPeak) / 2 ** 20,
        onnxRuntimeForward: isCpuBackend(tf.getBackend()) ? await onnxRuntimeForward(model, images, flops) : null,
      });
      images.dispose();
      model.dispose();
      const row = rows[rows.length - 1];
      console.log(
        `${description.padEnd(34)} ${filterGradient.padEnd(10)} ${preset.padEnd(4)} batch ${String(batch).padStart(3)}: forward ${row.forwardImagesPerSecond.toFixed(1).padStart(7)} img/s ` +
          `(${row.forwardGflops.toFixed(1)} GFLOP/s), train ${row.trainImagesPerSecond.toFixed(1).padStart(6)} img/s ` +
          `(${row.trainEffectiveGflops.toFixed(1)} GFLOP/s effective, step = ${row.trainStepOverForward.toFixed(2)}× forward), ` +
          `${row.forwardGflopPerImage.toFixed(3)} GFLOP/img, peak ${row.peakTensorMiB.toFixed(0)} MiB` +
          (row.onnxRuntimeForward
            ? `; network on ONNX Runtime, one thread: ${row.onnxRuntimeForward.imagesPerSecond.toFixed(1)} img/s (${row.onnxRuntimeForward.gflops.toFixed(1)} GFLOP/s)`
            : ''),
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
