import type { OnnxGraph } from '../onnxGraph';

/** The shape numpy-style broadcasting gives `a` and `b`; throws where they do not broadcast. */
export function broadcastShape(a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const result: number[] = [];
  for (let axis = 0; axis < rank; axis++) {
    const left = a[axis - (rank - a.length)] ?? 1;
    const right = b[axis - (rank - b.length)] ?? 1;
    if (left !== right && left !== 1 && right !== 1) {
      throw new Error(`shapes [${a.join(', ')}] and [${b.join(', ')}] do not broadcast`);
    }
    result.push(left === 1 ? right : left);
  }
  return result;
}

/**
 * The gradient `gradient` of a broadcast result, of `gradientShape`, summed back to an operand of
 * `target` shape: over the axes the operand was stretched along, then reshaped to its rank.
 */
export function unbroadcast(graph: OnnxGraph, gradient: string, gradientShape: readonly number[], target: readonly number[]): string {
  const offset = gradientShape.length - target.length;
  const axes = gradientShape.map((size, axis) => ((target[axis - offset] ?? 1) === 1 && size !== 1 ? axis : -1)).filter((axis) => axis >= 0);
  let result = gradient;
  if (axes.length > 0) {
    [result] = graph.node('ReduceSum', [result, graph.int64s(axes)], { keepdims: 1 });
  }
  if (offset > 0) {
    [result] = graph.node('Reshape', [result, graph.int64s([...target])]);
  }
  return result;
}
