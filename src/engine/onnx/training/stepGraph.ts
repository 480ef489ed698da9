import type { ImageShape, PixelCnnConfig } from '../../pixelcnn/types';
import { pixelCnnTopology } from '../../pixelcnn/topology';
import { OnnxGraph, OnnxType } from '../onnxGraph';
import { UnsupportedNetworkError } from '../pixelCnnGraph';
import { adamUpdate } from './adamGraph';
import { DifferentiableOps } from './differentiableOps';
import type { VariableSpec } from './flatWeights';
import { FlatWeightLayout } from './flatWeights';
import { meanNegativeLogLikelihood, mixtureLogProb } from './mixtureLoss';
import { Tape } from './tape';
import type { Value } from './tape';
import { trainingNetworkOps } from './trainingNetworkOps';

/** Names of the training step graph's inputs and outputs. */
export const STEP_GRAPH_IO = {
  /** The batch, uint8 [N, H, W, C], values low..high. */
  pixels: 'pixels',
  /** Every weight in one float32 vector (the model's variables in creation order, flattened). */
  weights: 'weights',
  /** Adam's first and second moments, shaped as `weights`. */
  first: 'first_moment',
  second: 'second_moment',
  /** Scalars: −learning rate, 1 − β1^t and 1 − β2^t (as FlatAdam computes them in float32). */
  negativeLearningRate: 'negative_learning_rate',
  firstCorrection: 'first_correction',
  secondCorrection: 'second_correction',
  /** Dropout mask i, float32 [N, H, W, C] (channels last, as the hash indexes it), in the network's order. */
  dropoutMask: (index: number): string => `dropout_mask_${index}`,
  /** Outputs: the updated weights and moments, the batch's loss (mean NLL per image + L2 term). */
  updatedWeights: 'updated_weights',
  updatedFirst: 'updated_first_moment',
  updatedSecond: 'updated_second_moment',
  loss: 'loss',
  /** Output where asked for: the loss's gradient with respect to `weights`, before the update. */
  gradient: 'gradient',
} as const;

/** A training step as an ONNX model, and what its caller must feed. */
export interface StepGraph {
  readonly model: Uint8Array;
  readonly layout: FlatWeightLayout;
  /** Shapes [N, H, W, C] of the dropout masks, in input order (none without dropout). */
  readonly dropoutShapes: readonly (readonly number[])[];
}

/** What a step graph is built for. */
export interface StepGraphSpec {
  readonly config: PixelCnnConfig;
  readonly imageShape: ImageShape;
  readonly batch: number;
  /** The model's variables, in creation order. */
  readonly variables: readonly VariableSpec[];
  /** Adam's β1, β2 and ε. */
  readonly adam: { readonly beta1: number; readonly beta2: number; readonly epsilon: number };
  /** Also output the flat gradient (for tests). */
  readonly withGradient?: boolean;
}

/**
 * One whole training step of a PixelCNN++ (gray or RGB) as one ONNX graph of standard ops: the forward
 * pass (the topology written once, `pixelCnnTopology`), the discretized logistic mixture loss and
 * the L2 term, their gradients by reverse-mode differentiation ({@link Tape}), and Adam's update.
 * Weights and moments go in and come out as flat vectors, to be fed back the next step.
 */
export function stepGraph(spec: StepGraphSpec): StepGraph {
  const { config, imageShape, batch } = spec;
  const [height, width, channels] = imageShape;
  if (config.useWeightNorm) {
    throw new UnsupportedNetworkError('the training graph does not take weight norm');
  }
  const graph = new OnnxGraph();
  const tape = new Tape(graph);
  const ops = new DifferentiableOps(tape);
  const layout = new FlatWeightLayout(spec.variables);
  const io = STEP_GRAPH_IO;
  const scalarInput = (name: string): string => graph.input({ name, type: OnnxType.float, dims: [] });
  const pixels = graph.input({ name: io.pixels, type: OnnxType.uint8, dims: [batch, height, width, channels] });
  const weights = graph.input({ name: io.weights, type: OnnxType.float, dims: [layout.size] });
  const first = graph.input({ name: io.first, type: OnnxType.float, dims: [layout.size] });
  const second = graph.input({ name: io.second, type: OnnxType.float, dims: [layout.size] });
  const negativeLearningRate = scalarInput(io.negativeLearningRate);
  const corrections = [scalarInput(io.firstCorrection), scalarInput(io.secondCorrection)] as const;

  // The values low..high channels first, and on the network's [-1, 1] scale (as toUnitScale).
  const [asFloat] = graph.node('Cast', [pixels], { to: OnnxType.float });
  const [valuesFirst] = graph.node('Transpose', [asFloat], { perm: [0, 3, 1, 2] });
  const values: Value = { name: valuesFirst, shape: [batch, channels, height, width] };
  const scale = 2 / (config.high - config.low);
  const image: Value = { name: ops.node('Sub', [ops.node('Mul', [valuesFirst, ops.scalar(scale).name]), ops.scalar(config.low * scale + 1).name]), shape: values.shape };

  const watched = new Map<string, Value>();
  const variable = (name: string, shape: readonly number[]): Value => {
    const value = layout.slice(graph, weights, name, shape);
    tape.watch(value);
    watched.set(name, value);
    return value;
  };
  const dropoutShapes: number[][] = [];
  const sources = {
    weights: (name: string, kernelShape: readonly number[]) => ({ kernel: variable(`${name}/kernel`, kernelShape), bias: variable(`${name}/bias`, [kernelShape[3]]) }),
    dropoutMask: (shape: readonly number[]): Value | null => {
      if (config.dropoutP <= 0) {
        return null;
      }
      const [n, c, h, w] = shape;
      const name = graph.input({ name: io.dropoutMask(dropoutShapes.length), type: OnnxType.float, dims: [n, h, w, c] });
      dropoutShapes.push([n, h, w, c]);
      return { name: ops.node('Transpose', [name], { perm: [0, 3, 1, 2] }), shape };
    },
  };
  const [logits, locs, rawScales, coeffs] = pixelCnnTopology(trainingNetworkOps(ops, config, sources), config, image, channels);
  const logProb = mixtureLogProb(ops, { logits, locs, rawScales, coeffs: coeffs ?? null }, values, config);
  const negativeLogLikelihood = meanNegativeLogLikelihood(ops, logProb);
  // The L2 term and its gradient (λ·w) are written directly, outside the tape: the tape differentiates the NLL.
  let loss = negativeLogLikelihood.name;
  if (config.l2Weight > 0) {
    const kernels = spec.variables.filter((variable) => variable.name.endsWith('/kernel')).map((variable) => watched.get(variable.name) as Value);
    const squares = kernels.map((kernel) => ops.node('ReduceSumSquare', [kernel.name], { keepdims: 0 }));
    const total = squares.reduce((sum, square) => ops.node('Add', [sum, square]));
    loss = ops.node('Add', [loss, ops.node('Mul', [total, ops.scalar(config.l2Weight / 2).name])]);
  }

  const targets = spec.variables.map((variable) => {
    const value = watched.get(variable.name);
    if (!value) {
      throw new Error(`the network never used variable '${variable.name}'`);
    }
    return value;
  });
  const gradients = tape.gradients(negativeLogLikelihood, ops.scalar(1).name, targets);
  const flatGradient = ops.node(
    'Concat',
    targets.map((target, index) => {
      let gradient = gradients[index] ?? ops.node('Expand', [ops.scalar(0).name, graph.int64s([...target.shape])]);
      if (config.l2Weight > 0 && spec.variables[index].name.endsWith('/kernel')) {
        gradient = ops.node('Add', [gradient, ops.node('Mul', [target.name, ops.scalar(config.l2Weight).name])]);
      }
      return ops.node('Reshape', [gradient, graph.int64s([-1])]);
    }),
    { axis: 0 },
  );
  const updated = adamUpdate(ops, { weights, first, second, gradient: flatGradient, negativeLearningRate, corrections }, spec.adam);
  const vector = { type: OnnxType.float, dims: [layout.size] };
  graph.output(updated.weights, { name: io.updatedWeights, ...vector });
  graph.output(updated.first, { name: io.updatedFirst, ...vector });
  graph.output(updated.second, { name: io.updatedSecond, ...vector });
  graph.output(loss, { name: io.loss, type: OnnxType.float, dims: [] });
  if (spec.withGradient) {
    graph.output(flatGradient, { name: io.gradient, ...vector });
  }
  return { model: graph.toModel('pixelcnn-training-step'), layout, dropoutShapes };
}
