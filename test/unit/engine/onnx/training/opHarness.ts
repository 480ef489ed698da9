import { OnnxGraph, OnnxType } from '../../../../../src/engine/onnx/onnxGraph';
import { createSyncSession } from '../../../../../src/engine/onnx/syncSession';
import { DifferentiableOps } from '../../../../../src/engine/onnx/training/differentiableOps';
import { Tape } from '../../../../../src/engine/onnx/training/tape';
import type { Value } from '../../../../../src/engine/onnx/training/tape';

/** An input of an op under test: its values, shape, and whether its gradient is taken. */
export interface OpInput {
  readonly values: Float32Array;
  readonly shape: readonly number[];
  readonly differentiate: boolean;
}

/** The op's output and the gradients of Σ cotangent · output with respect to each differentiated input (null for the others). */
export interface OpResult {
  readonly output: Float32Array;
  readonly outputShape: readonly number[];
  readonly gradients: (Float32Array | null)[];
}

/**
 * Writes `build` over graph inputs into a training graph, with the scalar Σ cotangent · output as
 * its loss, and runs it on ONNX Runtime's CPU provider (one thread): the op's value and the gradients its
 * recorded backward pass gives (on `provider`). `cotangent` must be the output's size.
 */
export function runOp(inputs: readonly OpInput[], cotangent: (outputShape: readonly number[]) => Float32Array, build: (ops: DifferentiableOps, values: Value[]) => Value, provider: 'cpu' | 'webgpu' = 'cpu'): OpResult {
  // First a forward-only graph for the output's shape (known once built), then the full graph.
  const probe = buildGraph(inputs, build, null);
  const weights = cotangent(probe.outputShape);
  const { model, outputShape } = buildGraph(inputs, build, weights.length);
  const session = createSyncSession(model, 1, provider);
  if (!session) {
    throw new Error('onnxruntime-node does not load');
  }
  try {
    const feeds = Object.fromEntries(inputs.map((input, index) => [`input_${index}`, { values: input.values, dims: input.shape }]));
    feeds.cotangent = { values: weights, dims: [...outputShape] };
    const names = ['output', ...inputs.flatMap((input, index) => (input.differentiate ? [`gradient_${index}`] : []))];
    const results = session.runAll(feeds, names);
    return { output: results.output.values, outputShape, gradients: inputs.map((input, index) => (input.differentiate ? results[`gradient_${index}`].values : null)) };
  } finally {
    session.release();
  }
}

function buildGraph(inputs: readonly OpInput[], build: (ops: DifferentiableOps, values: Value[]) => Value, cotangentSize: number | null): { model: Uint8Array; outputShape: readonly number[] } {
  const graph = new OnnxGraph();
  const tape = new Tape(graph);
  const ops = new DifferentiableOps(tape);
  const values = inputs.map((input, index) => {
    const value: Value = { name: graph.input({ name: `input_${index}`, type: OnnxType.float, dims: [...input.shape] }), shape: input.shape };
    if (input.differentiate) {
      tape.watch(value);
    }
    return value;
  });
  const output = build(ops, values);
  graph.output(output.name, { name: 'output', type: OnnxType.float, dims: [...output.shape] });
  if (cotangentSize !== null) {
    const cotangent: Value = { name: graph.input({ name: 'cotangent', type: OnnxType.float, dims: [...output.shape] }), shape: output.shape };
    const loss = ops.sum(ops.mul(output, cotangent), output.shape.map((_, axis) => axis), false);
    const gradients = tape.gradients(loss, ops.scalar(1).name, values);
    values.forEach((value, index) => {
      if (inputs[index].differentiate) {
        const gradient = gradients[index] ?? ops.node('Expand', [ops.scalar(0).name, graph.int64s([...value.shape])]);
        graph.output(gradient, { name: `gradient_${index}`, type: OnnxType.float, dims: [...value.shape] });
      }
    });
  }
  return { model: graph.toModel('op-under-test'), outputShape: output.shape };
}

/**
 * Central finite differences in float64 of Σ cotangent · f(inputs) with respect to every value of
 * input `which`, for a float64 reference `f`.
 */
export function finiteDifferences(f: (inputs: Float64Array[]) => Float64Array, inputs: readonly Float64Array[], cotangent: Float32Array, which: number, step = 1e-6): Float64Array {
  const objective = (values: Float64Array[]): number => f(values).reduce((sum, value, index) => sum + value * cotangent[index], 0);
  const gradient = new Float64Array(inputs[which].length);
  const moved = inputs.map((input) => Float64Array.from(input));
  for (let index = 0; index < gradient.length; index++) {
    const original = moved[which][index];
    const h = step * Math.max(1, Math.abs(original));
    moved[which][index] = original + h;
    const up = objective(moved);
    moved[which][index] = original - h;
    const down = objective(moved);
    moved[which][index] = original;
    gradient[index] = (up - down) / (2 * h);
  }
  return gradient;
}

/** Largest |actual − expected| over the largest |expected| (a relative error that ignores near-zero entries' noise). */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) {
    throw new Error(`lengths differ: ${actual.length} against ${expected.length}`);
  }
  let worst = 0;
  let scale = 0;
  for (let index = 0; index < expected.length; index++) {
    worst = Math.max(worst, Math.abs(actual[index] - expected[index]));
    scale = Math.max(scale, Math.abs(expected[index]));
  }
  return worst / Math.max(scale, 1e-30);
}

/** Deterministic values in [−spread, spread) from a seed (an LCG: tests need no better). */
export function seededValues(count: number, seed: number, spread = 1): Float32Array {
  let state = seed >>> 0 || 1;
  return Float32Array.from({ length: count }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state / 2 ** 32 - 0.5) * 2 * spread;
  });
}
