// npx tsx bench/convGradients.bench.ts — convolution gradients on wasm, per PixelCNN++ kernel shape.
// For every convolution one training step of the `fast` and `seed` presets runs (28×28×1, batch 32),
// times the forward conv, the filter gradient (new: the registered kernel, on ONNX Runtime where it
// loads and the layer has 8 input channels or more, else wasm-memory im2col; old: Slice/Concat im2col) and
// the input gradient (new: ours; old: tfjs's own wasm kernel), then whole training steps against the
// forward pass, with the old and new filter gradient. Writes bench/results/conv-gradients.json.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, NamedAttrMap, Tensor, Tensor4D } from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { makeIm2colConv2dBackpropFilter } from '../src/engine/backend/kernels/composed/Conv2DBackpropFilter';
import { selectBackend } from '../src/engine/backend/selectBackend';
import type { PresetName } from '../src/engine/pixelcnn';
import { PixelCnn, PRESETS } from '../src/engine/pixelcnn';

type Shape4D = [number, number, number, number];
type Pad = NamedAttrMap[string];

const IMAGE: [number, number, number] = [28, 28, 1];
const BATCH = 32;
/** Batch of the step that only records shapes (seed at 32 does not fit wasm32's 4 GiB; shapes scale with the batch). */
const RECORD_BATCH = 2;
const PRESET_NAMES: PresetName[] = ['fast', 'seed'];
/** wasm memory stops at 4 GiB; a step whose tensors peak above this is run at a smaller batch. */
const STEP_PEAK_LIMIT_BYTES = 3.5 * 2 ** 30;
const KERNEL_SECONDS = Number(process.env.BENCH_SECONDS ?? 0.4);
const STEP_REPEATS = Number(process.env.BENCH_STEPS ?? 5);
const CONV_KERNELS = ['Conv2D', 'FusedConv2D', 'Conv2DBackpropFilter', 'Conv2DBackpropInput'] as const;

/** One convolution, as its forward pass sees it; its gradients share it. */
interface Geometry {
  xShape: Shape4D;
  filterShape: Shape4D;
  strides: number | [number, number];
  pad: Pad;
}

type CallCounts = Record<'forward' | 'filter' | 'input', number>;

interface Timing {
  medianMs: number;
  minMs: number;
}

/** tfjs's own wasm Conv2DBackpropInput, captured before the engine replaces it. */
const TFJS_INPUT_GRADIENT = tf.getKernel(tf.Conv2DBackpropInput, 'wasm') as KernelConfig;

/** Median and minimum ms of `run`, after one warm-up call; `prepare` runs untimed before each call. */
function timeKernel(run: () => Tensor, prepare: () => void = () => undefined): Timing {
  prepare();
  run().dispose();
  const times: number[] = [];
  const started = performance.now();
  while (times.length < 5 || (performance.now() - started < KERNEL_SECONDS * 1000 && times.length < 50)) {
    prepare();
    const begin = performance.now();
    const result = run();
    times.push(performance.now() - begin);
    result.dispose();
  }
  times.sort((a, b) => a - b);
  return { medianMs: times[times.length >> 1], minMs: times[0] };
}

/** Runs `body` with `kernelFunc` as the wasm `kernelName` kernel, then restores the registered one. */
function withKernel<T>(kernelName: string, kernelFunc: KernelFunc, body: () => T, setup?: KernelConfig['setupFunc']): T {
  const registered = tf.getKernel(kernelName, 'wasm') as KernelConfig;
  tf.unregisterKernel(kernelName, 'wasm');
  tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc });
  // A kernel registered after the backend started has not been set up (its wasm exports bound).
  setup?.(tf.backend());
  try {
    return body();
  } finally {
    tf.unregisterKernel(kernelName, 'wasm');
    tf.registerKernel(registered);
  }
}

/** The forward convolution behind a call of `kernelName`, at batch BATCH. */
function geometryOf(kernelName: string, inputs: Record<string, tf.TensorInfo | undefined>, attrs: NamedAttrMap): Geometry {
  const { strides, pad } = attrs as { strides: Geometry['strides']; pad: Pad };
  const xShape = (kernelName === tf.Conv2DBackpropInput ? attrs.inputShape : inputs.x?.shape) as Shape4D;
  const filterShape = (kernelName === tf.Conv2DBackpropFilter ? attrs.filterShape : inputs.filter?.shape) as Shape4D;
  return { xShape: [BATCH, xShape[1], xShape[2], xShape[3]], filterShape, strides, pad };
}

const COUNTED_AS: Record<(typeof CONV_KERNELS)[number], keyof CallCounts> = {
  Conv2D: 'forward',
  FusedConv2D: 'forward',
  Conv2DBackpropFilter: 'filter',
  Conv2DBackpropInput: 'input',
};

/** The convolutions of one training step of `preset`, at batch BATCH, with their calls per step. */
function recordStep(preset: PresetName): Map<string, { geometry: Geometry; counts: CallCounts }> {
  const seen = new Map<string, { geometry: Geometry; counts: CallCounts }>();
  const model = new PixelCnn(IMAGE, PRESETS[preset], 1);
  const images = tf.randomUniform([RECORD_BATCH, ...IMAGE], 0, 256, 'int32') as Tensor4D;
  // Our input gradient runs the Conv2D kernel itself: only the outermost convolution kernel counts.
  let depth = 0;
  const record = (index: number): void => {
    if (index === CONV_KERNELS.length) {
      tf.dispose(model.trainStep(images));
      return;
    }
    const kernelName = CONV_KERNELS[index];
    const registered = tf.getKernel(kernelName, 'wasm') as KernelConfig;
    const logging: KernelFunc = (args) => {
      if (depth === 0) {
        const geometry = geometryOf(kernelName, args.inputs, args.attrs ?? {});
        const key = JSON.stringify(geometry);
        const entry = seen.get(key) ?? { geometry, counts: { forward: 0, filter: 0, input: 0 } };
        entry.counts[COUNTED_AS[kernelName]]++;
        seen.set(key, entry);
      }
      depth++;
      try {
        return registered.kernelFunc(args);
      } finally {
        depth--;
      }
    };
    withKernel(kernelName, logging, () => record(index + 1));
  };
  record(0);
  tf.dispose(images);
  model.dispose();
  return seen;
}

interface GeometryRow extends Geometry {
  callsPerStep: Record<PresetName, CallCounts>;
  forward: Timing;
  filterNew: Timing;
  filterOld: Timing;
  inputNew: Timing;
  inputOld: Timing;
}

/** Times the forward conv and both gradients of `geometry`, each old and new. */
function measureGeometry(geometry: Geometry): Omit<GeometryRow, 'callsPerStep'> {
  const { xShape, filterShape, strides, pad } = geometry;
  const x = tf.randomNormal(xShape);
  const filter = tf.randomNormal(filterShape);
  const forward = () => tf.engine().runKernel(tf.Conv2D, { x, filter }, { strides, pad, dataFormat: 'NHWC', dilations: 1 }) as Tensor;
  const dy = tf.tidy(() => tf.randomNormal(forward().shape));
  // A fresh dy per call, as in training: XNNPACK packs a product's right operand once per tensor.
  let freshDy = dy.clone();
  const renewDy = () => {
    freshDy.dispose();
    freshDy = dy.clone();
  };
  const filterAttrs = { strides, pad, dataFormat: 'NHWC', filterShape };
  const filterGradient = () => tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy: freshDy }, filterAttrs) as Tensor;
  const inputAttrs = { strides, pad, dataFormat: 'NHWC', inputShape: xShape };
  const inputGradient = () => tf.engine().runKernel(tf.Conv2DBackpropInput, { dy, filter }, inputAttrs) as Tensor;
  const row = {
    ...geometry,
    forward: timeKernel(forward),
    filterNew: timeKernel(filterGradient, renewDy),
    filterOld: withKernel(tf.Conv2DBackpropFilter, oldFilterGradient(), () => timeKernel(filterGradient, renewDy)),
    inputNew: timeKernel(inputGradient),
    inputOld: withKernel(tf.Conv2DBackpropInput, TFJS_INPUT_GRADIENT.kernelFunc, () => timeKernel(inputGradient), TFJS_INPUT_GRADIENT.setupFunc),
  };
  tf.dispose([x, filter, dy, freshDy]);
  return row;
}

/** The filter gradient before this work: im2col from the wasm Slice and Concat kernels. */
function oldFilterGradient(): KernelFunc {
  return makeIm2colConv2dBackpropFilter('wasm', undefined, 'channelMajor');
}

interface StepRow {
  preset: PresetName;
  batch: number;
  filterGradient: 'new' | 'old';
  forwardMs: number;
  stepMs: number;
  stepOverForward: number;
}

/** Milliseconds of one call of `run`, its result read back. */
async function timeOnce(run: () => Tensor): Promise<number> {
  const begin = performance.now();
  const result = run();
  await result.data();
  result.dispose();
  return performance.now() - begin;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];

/** The largest batch, up to BATCH, whose training step fits wasm memory (peak tensor bytes scale with the batch). */
async function stepBatch(preset: PresetName): Promise<number> {
  const model = new PixelCnn(IMAGE, PRESETS[preset], 1);
  const images = tf.randomUniform([RECORD_BATCH, ...IMAGE], 0, 256, 'int32') as Tensor4D;
  const { peakBytes } = await tf.profile(() => model.trainStep(images));
  tf.dispose(images);
  model.dispose();
  let batch = BATCH;
  while (batch > 1 && (peakBytes * batch) / RECORD_BATCH > STEP_PEAK_LIMIT_BYTES) {
    batch /= 2;
  }
  return batch;
}

/**
 * Forward pass and training step of `preset`, the step with the old and the new filter gradient.
 * The three alternate on one model, so that a change in the VM's load touches all alike.
 */
async function measureSteps(preset: PresetName): Promise<StepRow[]> {
  const batch = await stepBatch(preset);
  const model = new PixelCnn(IMAGE, PRESETS[preset], 1);
  model.setOptimizer({ learningRate: 1e-4 });
  const images = tf.randomUniform([batch, ...IMAGE], 0, 256, 'int32') as Tensor4D;
  const oldKernel = oldFilterGradient();
  const times: Record<'forward' | 'old' | 'new', number[]> = { forward: [], old: [], new: [] };
  for (let i = 0; i <= STEP_REPEATS; i++) {
    const forward = await timeOnce(() => model.logProb(images));
    const registered = tf.getKernel(tf.Conv2DBackpropFilter, 'wasm') as KernelConfig;
    tf.unregisterKernel(tf.Conv2DBackpropFilter, 'wasm');
    tf.registerKernel({ ...registered, kernelFunc: oldKernel });
    const old = await timeOnce(() => model.trainStep(images)).finally(() => {
      tf.unregisterKernel(tf.Conv2DBackpropFilter, 'wasm');
      tf.registerKernel(registered);
    });
    const fresh = await timeOnce(() => model.trainStep(images));
    // The first round warms up (operator caches, wasm memory growth).
    if (i > 0) {
      times.forward.push(forward);
      times.old.push(old);
      times.new.push(fresh);
    }
  }
  tf.dispose(images);
  model.dispose();
  const forwardMs = median(times.forward);
  return (['old', 'new'] as const).map((filterGradient) => {
    const stepMs = median(times[filterGradient]);
    return { preset, batch, filterGradient, forwardMs, stepMs, stepOverForward: stepMs / forwardMs };
  });
}

const fixed = (ms: number) => ms.toFixed(2).padStart(7);
const padText = (pad: Pad) => (typeof pad === 'string' ? pad : JSON.stringify((pad as number[][]).slice(1, 3)));
const describe = (g: Geometry) => `x[${g.xShape}] f[${g.filterShape}] s${JSON.stringify(g.strides)} pad ${padText(g.pad)}`;
const NO_CALLS: CallCounts = { forward: 0, filter: 0, input: 0 };

/** Every convolution of both presets' training steps, with its calls per step in each. */
function recordGeometries(): Map<string, GeometryRow> {
  const geometries = new Map<string, GeometryRow>();
  for (const preset of PRESET_NAMES) {
    for (const [key, { geometry, counts }] of recordStep(preset)) {
      const row = geometries.get(key) ?? ({ ...geometry, callsPerStep: {} } as GeometryRow);
      row.callsPerStep[preset] = counts;
      geometries.set(key, row);
    }
  }
  return geometries;
}

function printGeometry(row: GeometryRow): void {
  const calls = PRESET_NAMES.map((preset) => row.callsPerStep[preset] ?? NO_CALLS)
    .map(({ forward, filter, input }) => `${forward}/${filter}/${input}`)
    .join('|');
  const filter = `${fixed(row.filterOld.medianMs)}→${fixed(row.filterNew.medianMs)}`;
  const input = `${fixed(row.inputOld.medianMs)}→${fixed(row.inputNew.medianMs)}`;
  console.log(`${describe(row).padEnd(58)} ${calls.padStart(20)} ${fixed(row.forward.medianMs)} ${filter} ${input}`);
}

/** Milliseconds per training step of `preset` in each kernel: Σ calls × median ms over its convolutions. */
function perStepTotals(rows: GeometryRow[], preset: PresetName): Record<string, number> {
  const totals = { forward: 0, filterOld: 0, filterNew: 0, inputOld: 0, inputNew: 0, inputNewStride2: 0 };
  for (const row of rows) {
    const calls = row.callsPerStep[preset] ?? NO_CALLS;
    totals.forward += calls.forward * row.forward.medianMs;
    totals.filterOld += calls.filter * row.filterOld.medianMs;
    totals.filterNew += calls.filter * row.filterNew.medianMs;
    totals.inputOld += calls.input * row.inputOld.medianMs;
    totals.inputNew += calls.input * row.inputNew.medianMs;
    totals.inputNewStride2 += row.strides === 2 ? calls.input * row.inputNew.medianMs : 0;
  }
  return totals;
}

async function main(): Promise<void> {
  const backend = (await selectBackend('wasm')).description;
  const machine = `${os.cpus().length}× ${os.cpus()[0]?.model ?? 'CPU'}, load ${os.loadavg()[0].toFixed(1)}`;
  console.log(`Convolution gradients, ${backend}, ${machine}; ms per call (median), batch ${BATCH}`);
  const geometries = recordGeometries();
  console.log(`${'convolution'.padEnd(58)} calls/step fast|seed  forward  filter old→new   input tfjs→new`);
  for (const row of geometries.values()) {
    Object.assign(row, measureGeometry(row));
    printGeometry(row);
  }
  const totals = Object.fromEntries(PRESET_NAMES.map((preset) => [preset, perStepTotals([...geometries.values()], preset)]));
  for (const [preset, total] of Object.entries(totals)) {
    console.log(`${preset}, ms per step at batch ${BATCH}: ${Object.entries(total).map(([kernel, ms]) => `${kernel} ${ms.toFixed(1)}`).join(', ')}`);
  }
  const steps: StepRow[] = [];
  for (const preset of PRESET_NAMES) {
    for (const row of await measureSteps(preset)) {
      steps.push(row);
      const figures = `forward ${row.forwardMs.toFixed(0)} ms, training step ${row.stepMs.toFixed(0)} ms = ${row.stepOverForward.toFixed(2)}× forward`;
      console.log(`${preset} batch ${row.batch}, ${row.filterGradient} filter gradient: ${figures}`);
    }
  }
  const file = path.join('bench', 'results', 'conv-gradients.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const results = { backend, machine, date: new Date().toISOString(), batch: BATCH, kernels: [...geometries.values()], totals, steps };
  fs.writeFileSync(file, JSON.stringify(results, null, 2));
  console.log(`wrote ${file}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
