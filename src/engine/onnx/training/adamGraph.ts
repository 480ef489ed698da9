import type { DifferentiableOps } from './differentiableOps';

/** The flat vectors and scalars one Adam update reads (graph value names). */
export interface AdamOperands {
  readonly weights: string;
  readonly first: string;
  readonly second: string;
  readonly gradient: string;
  /** −learning rate, a scalar input, so that a schedule changes it without a new graph. */
  readonly negativeLearningRate: string;
  /** 1 − β1^t and 1 − β2^t, scalar inputs. */
  readonly corrections: readonly [string, string];
}

/** The updated weights and moments. */
export interface AdamResult {
  readonly weights: string;
  readonly first: string;
  readonly second: string;
}

/**
 * Adam (Kingma & Ba 2015) as graph nodes over flat vectors, operation for operation as FlatAdam
 * (and tf.train.adam) computes it in float32: m' = β1·m + (1−β1)·g; v' = β2·v + (1−β2)·g²;
 * w' = w + (m'/c1) / (√(v'/c2) + ε) · (−lr).
 */
export function adamUpdate(ops: DifferentiableOps, operands: AdamOperands, settings: { beta1: number; beta2: number; epsilon: number }): AdamResult {
  const constant = (value: number): string => ops.scalar(value).name;
  const { gradient } = operands;
  const first = ops.node('Add', [ops.node('Mul', [operands.first, constant(settings.beta1)]), ops.node('Mul', [gradient, constant(1 - settings.beta1)])]);
  const squared = ops.node('Mul', [gradient, gradient]);
  const second = ops.node('Add', [ops.node('Mul', [operands.second, constant(settings.beta2)]), ops.node('Mul', [squared, constant(1 - settings.beta2)])]);
  const denominator = ops.node('Add', [ops.node('Sqrt', [ops.node('Div', [second, operands.corrections[1]])]), constant(settings.epsilon)]);
  const step = ops.node('Div', [ops.node('Div', [first, operands.corrections[0]]), denominator]);
  const weights = ops.node('Add', [operands.weights, ops.node('Mul', [step, operands.negativeLearningRate])]);
  return { weights, first, second };
}
