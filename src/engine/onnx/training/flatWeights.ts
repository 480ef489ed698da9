import type { OnnxGraph } from '../onnxGraph';
import type { Value } from './tape';

/** A trainable variable's name and shape, in the order of a model's flat weight vector. */
export interface VariableSpec {
  readonly name: string;
  readonly shape: readonly number[];
}

/** Where each variable sits in the flat vector that holds them all (the model's variables in creation order, as FlatAdam joins them). */
export class FlatWeightLayout {
  private readonly offsets = new Map<string, { offset: number; spec: VariableSpec }>();
  /** Scalars in all. */
  readonly size: number;

  constructor(readonly variables: readonly VariableSpec[]) {
    let offset = 0;
    for (const spec of variables) {
      this.offsets.set(spec.name, { offset, spec });
      offset += spec.shape.reduce((product, size) => product * size, 1);
    }
    this.size = offset;
  }

  /** The variable `name` as a value cut from the flat vector `flat`; throws naming a variable of another shape or none. */
  slice(graph: OnnxGraph, flat: string, name: string, shape: readonly number[]): Value {
    const entry = this.offsets.get(name);
    if (!entry || entry.spec.shape.join(',') !== shape.join(',')) {
      throw new Error(`the model has no variable '${name}' of shape [${shape.join(', ')}]`);
    }
    const count = shape.reduce((product, size) => product * size, 1);
    const [cut] = graph.node('Slice', [flat, graph.int64s([entry.offset]), graph.int64s([entry.offset + count]), graph.int64s([0])]);
    return { name: graph.node('Reshape', [cut, graph.int64s([...shape])])[0], shape };
  }
}
