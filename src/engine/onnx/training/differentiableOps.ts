import type { OnnxAttribute } from '../onnxGraph';
import { OnnxType } from '../onnxGraph';
import { broadcastShape, unbroadcast } from './broadcast';
import type { Tape, Value } from './tape';

/**
 * Element-wise, reduction and shape ops written into a {@link Tape}'s graph with their gradients,
 * each gradient as standard ONNX ops. Where an op's gradient has a convention at ties (maximum,
 * minimum, clip), it is TensorFlow.js's, so that both give the same gradients.
 */
export class DifferentiableOps {
  private zeroName: string | null = null;

  constructor(readonly tape: Tape) {}

  /** A float32 zero, written once when first needed (an unused constant is a runtime warning). */
  private get zero(): string {
    this.zeroName ??= this.tape.graph.floats(Float32Array.of(0), []);
    return this.zeroName;
  }

  /** A float32 scalar constant. */
  scalar(value: number): Value {
    return { name: this.tape.graph.floats(Float32Array.of(value), []), shape: [] };
  }

  /** a + b (broadcasting). */
  add(a: Value, b: Value): Value {
    return this.binary('Add', a, b, (dy) => [() => dy, () => dy]);
  }

  /** a − b (broadcasting). */
  sub(a: Value, b: Value): Value {
    return this.binary('Sub', a, b, (dy) => [() => dy, () => this.node('Neg', [dy])]);
  }

  /** a · b (broadcasting). */
  mul(a: Value, b: Value): Value {
    return this.binary('Mul', a, b, (dy) => [() => this.node('Mul', [dy, b.name]), () => this.node('Mul', [dy, a.name])]);
  }

  /** −x. */
  neg(x: Value): Value {
    return this.unary('Neg', x, (dy) => this.node('Neg', [dy]));
  }

  /** eˣ. */
  exp(x: Value): Value {
    const y = this.forward('Exp', [x.name]);
    return this.recordUnary(x, y, (dy) => this.node('Mul', [dy, y]));
  }

  /** ln x. */
  log(x: Value): Value {
    return this.unary('Log', x, (dy) => this.node('Div', [dy, x.name]));
  }

  /** 1 / x. */
  reciprocal(x: Value): Value {
    const y = this.forward('Reciprocal', [x.name]);
    // d(1/x) = −dy / x² = −dy · y².
    return this.recordUnary(x, y, (dy) => this.node('Neg', [this.node('Mul', [dy, this.node('Mul', [y, y])])]));
  }

  /** σ(x). */
  sigmoid(x: Value): Value {
    const y = this.forward('Sigmoid', [x.name]);
    return this.recordUnary(x, y, (dy) => this.node('Mul', [dy, this.node('Mul', [y, this.node('Sub', [this.one(), y])])]));
  }

  /** ln(1 + eˣ). */
  softplus(x: Value): Value {
    return this.unary('Softplus', x, (dy) => this.node('Mul', [dy, this.node('Sigmoid', [x.name])]));
  }

  /** max(x, c) for a constant c; the gradient goes to x where x ≥ c. */
  maxScalar(x: Value, c: number): Value {
    const bound = this.scalar(c).name;
    return this.unary('Max', x, (dy) => this.where(this.node('GreaterOrEqual', [x.name, bound]), dy), [bound]);
  }

  /** min(x, c) for a constant c; the gradient goes to x where x ≤ c. */
  minScalar(x: Value, c: number): Value {
    const bound = this.scalar(c).name;
    return this.unary('Min', x, (dy) => this.where(this.node('LessOrEqual', [x.name, bound]), dy), [bound]);
  }

  /** x clipped to [low, high]; the gradient goes to x where low ≤ x ≤ high. */
  clip(x: Value, low: number, high: number): Value {
    const [lower, upper] = [this.scalar(low).name, this.scalar(high).name];
    return this.unary('Clip', x, (dy) => this.where(this.node('And', [this.node('GreaterOrEqual', [x.name, lower]), this.node('LessOrEqual', [x.name, upper])]), dy), [lower, upper]);
  }

  /** `a` where the boolean `condition` (a constant to the gradient) holds, else `b` (broadcasting). */
  select(condition: Value, a: Value, b: Value): Value {
    const shape = broadcastShape(condition.shape, broadcastShape(a.shape, b.shape));
    const y: Value = { name: this.forward('Where', [condition.name, a.name, b.name]), shape };
    this.tape.record([a, b], [y], ([dy], needs) => [
      needs[0] && dy ? unbroadcast(this.tape.graph, this.where(condition.name, dy), shape, a.shape) : null,
      needs[1] && dy ? unbroadcast(this.tape.graph, this.node('Where', [condition.name, this.zero, dy]), shape, b.shape) : null,
    ]);
    return y;
  }

  /** x == c, as a boolean value (no gradient). */
  equals(x: Value, c: number): Value {
    return { name: this.node('Equal', [x.name, this.scalar(c).name]), shape: x.shape };
  }

  /** x < c, as a boolean value (no gradient). */
  lessThan(x: Value, c: number): Value {
    return { name: this.node('Less', [x.name, this.scalar(c).name]), shape: x.shape };
  }

  /** Σ x over `axes`, keeping them as size 1 (`keepDims`) or not. */
  sum(x: Value, axes: readonly number[], keepDims: boolean): Value {
    const kept = x.shape.map((size, axis) => (axes.includes(axis) ? 1 : size));
    const shape = keepDims ? kept : x.shape.filter((_, axis) => !axes.includes(axis));
    const y: Value = { name: this.forward('ReduceSum', [x.name, this.tape.graph.int64s([...axes])], { keepdims: keepDims ? 1 : 0 }), shape };
    this.tape.record([x], [y], ([dy]) => [this.node('Expand', [keepDims ? (dy as string) : this.reshapeName(dy as string, kept), this.tape.graph.int64s([...x.shape])])]);
    return y;
  }

  /**
   * ln Σ eˣ over `axis`, kept as size 1, as m + ln Σ e^(x − m) with m the maximum: ONNX Runtime's
   * WebGPU ReduceLogSumExp sums the exponentials as they are (−∞ where all are below ≈ −88, as
   * the likelihood's terms can be). Its gradient is the softmax.
   */
  logSumExp(x: Value, axis: number): Value {
    const shape = x.shape.map((size, at) => (at === axis ? 1 : size));
    const largest = this.node('ReduceMax', [x.name], { axes: [axis], keepdims: 1 });
    const sum = this.node('ReduceSum', [this.node('Exp', [this.node('Sub', [x.name, largest])]), this.tape.graph.int64s([axis])], { keepdims: 1 });
    const y: Value = { name: this.node('Add', [largest, this.node('Log', [sum])]), shape };
    this.tape.record([x], [y], ([dy]) => [this.node('Mul', [dy as string, this.node('Exp', [this.node('Sub', [x.name, y.name])])])]);
    return y;
  }

  /** The channel (`axis`) concatenation of `parts`. */
  concat(parts: readonly Value[], axis: number): Value {
    if (parts.length === 1) {
      return parts[0];
    }
    const shape = [...parts[0].shape];
    shape[axis] = parts.reduce((total, part) => total + part.shape[axis], 0);
    const y: Value = { name: this.forward('Concat', parts.map((part) => part.name), { axis }), shape };
    this.tape.record(parts, [y], ([dy]) => this.node2('Split', [dy as string, this.tape.graph.int64s(parts.map((part) => part.shape[axis]))], { axis }, parts.length));
    return y;
  }

  /** `x` split on `axis` into parts of `sizes`. */
  split(x: Value, sizes: readonly number[], axis: number): Value[] {
    if (sizes.length === 1) {
      return [x];
    }
    const names = this.tape.graph.node('Split', [x.name, this.tape.graph.int64s([...sizes])], { axis }, sizes.length);
    const parts = names.map((name, index) => ({ name, shape: x.shape.map((size, at) => (at === axis ? sizes[index] : size)) }));
    this.tape.record([x], parts, (gradients) => {
      const filled = gradients.map((gradient, index) => gradient ?? this.node('Expand', [this.zero, this.tape.graph.int64s([...parts[index].shape])]));
      return [this.node('Concat', filled, { axis })];
    });
    return parts;
  }

  /** `x` with `shape` (as many values). */
  reshape(x: Value, shape: readonly number[]): Value {
    const y: Value = { name: this.reshapeName(x.name, shape), shape };
    this.tape.record([x], [y], ([dy]) => [this.reshapeName(dy as string, x.shape)]);
    return y;
  }

  /** x[starts, ends) on `axes` (steps of 1); its gradient is zero-padded back to x's shape. */
  slice(x: Value, axes: readonly number[], starts: readonly number[], ends: readonly number[]): Value {
    const shape = x.shape.map((size, axis) => (axes.includes(axis) ? ends[axes.indexOf(axis)] - starts[axes.indexOf(axis)] : size));
    const graph = this.tape.graph;
    const y: Value = { name: this.forward('Slice', [x.name, graph.int64s([...starts]), graph.int64s([...ends]), graph.int64s([...axes])]), shape };
    this.tape.record([x], [y], ([dy]) => {
      const before = x.shape.map((_, axis) => (axes.includes(axis) ? starts[axes.indexOf(axis)] : 0));
      const after = x.shape.map((size, axis) => (axes.includes(axis) ? size - ends[axes.indexOf(axis)] : 0));
      return [this.node('Pad', [dy as string, graph.int64s([...before, ...after])])];
    });
    return y;
  }

  /** Adds an untracked node with one output (gradient code, constants' arithmetic). */
  node(op: string, inputs: readonly string[], attributes: Readonly<Record<string, OnnxAttribute>> = {}): string {
    return this.tape.graph.node(op, inputs, attributes)[0];
  }

  /** A float32 cast of a boolean or integer value. */
  asFloat(name: string): string {
    return this.node('Cast', [name], { to: OnnxType.float });
  }

  private node2(op: string, inputs: readonly string[], attributes: Readonly<Record<string, OnnxAttribute>>, outputs: number): string[] {
    return this.tape.graph.node(op, inputs, attributes, outputs);
  }

  private reshapeName(name: string, shape: readonly number[]): string {
    return this.node('Reshape', [name, this.tape.graph.int64s([...shape])]);
  }

  private where(condition: string, dy: string): string {
    return this.node('Where', [condition, dy, this.zero]);
  }

  private one(): string {
    return this.scalar(1).name;
  }

  private forward(op: string, inputs: readonly string[], attributes: Readonly<Record<string, OnnxAttribute>> = {}): string {
    return this.node(op, inputs, attributes);
  }

  private unary(op: string, x: Value, backward: (dy: string) => string, extraInputs: readonly string[] = []): Value {
    return this.recordUnary(x, this.forward(op, [x.name, ...extraInputs]), backward);
  }

  private recordUnary(x: Value, name: string, backward: (dy: string) => string): Value {
    const y: Value = { name, shape: x.shape };
    this.tape.record([x], [y], ([dy]) => [backward(dy as string)]);
    return y;
  }

  /** `backward` gives each operand's gradient lazily: only those wanted are written. */
  private binary(op: string, a: Value, b: Value, backward: (dy: string) => [() => string, () => string]): Value {
    const shape = broadcastShape(a.shape, b.shape);
    const y: Value = { name: this.forward(op, [a.name, b.name]), shape };
    this.tape.record([a, b], [y], ([dy], needs) => {
      const [da, db] = backward(dy as string);
      return [needs[0] ? unbroadcast(this.tape.graph, da(), shape, a.shape) : null, needs[1] ? unbroadcast(this.tape.graph, db(), shape, b.shape) : null];
    });
    return y;
  }
}
