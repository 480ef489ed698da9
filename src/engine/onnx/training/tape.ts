import type { OnnxGraph } from '../onnxGraph';

/** A value of a training graph: its name in the graph and its static shape. */
export interface Value {
  readonly name: string;
  readonly shape: readonly number[];
}

/**
 * Emits the gradients of one recorded op's inputs from those of its outputs (null: no gradient
 * reaches that output), as graph nodes; `needs[i]` says whether input i wants one (null where not).
 */
export type Backward = (outputGradients: readonly (string | null)[], needs: readonly boolean[]) => readonly (string | null)[];

interface Entry {
  readonly inputs: readonly Value[];
  readonly outputs: readonly Value[];
  readonly backward: Backward;
}

/**
 * Reverse-mode differentiation over an ONNX graph as it is written: each differentiable op records
 * its inputs, outputs and a {@link Backward}; `gradients` then writes the backward pass as more nodes
 * of the same graph, in reverse order, summing where a value feeds several ops. Only values that
 * depend on a watched one (the weights) are recorded: the image and the loss's constants need no gradient.
 */
export class Tape {
  private readonly entries: Entry[] = [];
  private readonly tracked = new Set<string>();

  constructor(readonly graph: OnnxGraph) {}

  /** Marks `value` as one whose gradient is wanted (a weight). */
  watch(value: Value): void {
    this.tracked.add(value.name);
  }

  /** Whether `value` depends on a watched value. */
  tracks(value: Value): boolean {
    return this.tracked.has(value.name);
  }

  /** Records an op, where any of its inputs is tracked (its outputs then are). */
  record(inputs: readonly Value[], outputs: readonly Value[], backward: Backward): void {
    if (!inputs.some((input) => this.tracked.has(input.name))) {
      return;
    }
    outputs.forEach((output) => this.tracked.add(output.name));
    this.entries.push({ inputs, outputs, backward });
  }

  /**
   * Writes the gradients of `loss` (a value whose own gradient is `seed`) with respect to `targets`;
   * null for a target the loss does not depend on.
   */
  gradients(loss: Value, seed: string, targets: readonly Value[]): (string | null)[] {
    const gradients = new Map<string, string>([[loss.name, seed]]);
    for (let index = this.entries.length - 1; index >= 0; index--) {
      const { inputs, outputs, backward } = this.entries[index];
      const outputGradients = outputs.map((output) => gradients.get(output.name) ?? null);
      if (outputGradients.every((gradient) => gradient === null)) {
        continue;
      }
      const needs = inputs.map((input) => this.tracked.has(input.name));
      const inputGradients = backward(outputGradients, needs);
      inputs.forEach((input, at) => {
        const gradient = inputGradients[at];
        if (!needs[at] || gradient === null) {
          return;
        }
        const previous = gradients.get(input.name);
        gradients.set(input.name, previous === undefined ? gradient : this.graph.node('Add', [previous, gradient])[0]);
      });
    }
    return targets.map((target) => gradients.get(target.name) ?? null);
  }
}
