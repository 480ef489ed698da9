import type { DifferentiableOps } from './differentiableOps';
import type { Value } from './tape';

/** e^−|x| − 1 from x and −x: the negative branch of elu(x) and of elu(−x), one exponential for both. */
function negativeBranch(ops: DifferentiableOps, x: string, negated: string): string {
  return ops.node('Sub', [ops.node('Exp', [ops.node('Min', [x, negated])]), ops.scalar(1).name]);
}

/** The gradient of an elu from its output: dy where y > 0, dy · (y + 1) elsewhere (TensorFlow.js's EluGrad), as dy · min(y + 1, 1). */
function eluGradient(ops: DifferentiableOps, dy: string, y: string): string {
  const one = ops.scalar(1).name;
  return ops.node('Mul', [dy, ops.node('Min', [ops.node('Add', [y, one]), one])]);
}

/**
 * Exponential linear unit, as max(x, e^−|x| − 1): ONNX Runtime's Elu kernel is scalar (2.3 ns an
 * element here against 0.3–0.6 for Exp, Max and Neg; see pixelCnnGraph.ts).
 */
export function elu(ops: DifferentiableOps, x: Value): Value {
  const y: Value = { name: ops.node('Max', [x.name, negativeBranch(ops, x.name, ops.node('Neg', [x.name]))]), shape: x.shape };
  ops.tape.record([x], [y], ([dy]) => [eluGradient(ops, dy as string, y.name)]);
  return y;
}

/**
 * concat_elu of `x` [N, C, H, W]: [elu(x), elu(−x)] on channels, [N, 2C, H, W], sharing one
 * exponential. Its gradient: the elu gradient of the whole output, then the first half minus the second.
 */
export function concatElu(ops: DifferentiableOps, x: Value): Value {
  const negated = ops.node('Neg', [x.name]);
  const shared = negativeBranch(ops, x.name, negated);
  const name = ops.node('Concat', [ops.node('Max', [x.name, shared]), ops.node('Max', [negated, shared])], { axis: 1 });
  const channels = x.shape[1];
  const y: Value = { name, shape: [x.shape[0], 2 * channels, x.shape[2], x.shape[3]] };
  ops.tape.record([x], [y], ([dy]) => {
    const halves = ops.tape.graph.node('Split', [eluGradient(ops, dy as string, y.name), ops.tape.graph.int64s([channels, channels])], { axis: 1 }, 2);
    return [ops.node('Sub', halves)];
  });
  return y;
}

/** max(x, 0); the gradient goes to x where x > 0 (TensorFlow.js's). */
export function relu(ops: DifferentiableOps, x: Value): Value {
  const y: Value = { name: ops.node('Relu', [x.name]), shape: x.shape };
  ops.tape.record([x], [y], ([dy]) => [ops.node('Where', [ops.node('Greater', [x.name, ops.scalar(0).name]), dy as string, ops.scalar(0).name])]);
  return y;
}
