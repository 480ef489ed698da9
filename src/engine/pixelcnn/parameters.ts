import * as tf from '@tensorflow/tfjs-core';

/** Kernel of a convolution or dense layer, with its weight-norm gain when weight norm is on. */
interface KernelParameters {
  readonly direction: tf.Variable;
  readonly gain: tf.Variable | null;
}

/**
 * Owns a model's trainable variables by name. Layers ask for their parameters while the network
 * is first traced, so the names and shapes come from the network code alone.
 */
export class ParameterStore {
  private readonly variables = new Map<string, tf.Variable>();
  private nextSeed: number;

  constructor(seed: number, private readonly useWeightNorm: boolean) {
    this.nextSeed = seed;
  }

  /**
   * The kernel for layer `name`, of `shape` with the output channels last. With weight norm it is
   * `gain · direction / ‖direction‖` (norm over all but the output axis), the gain starting at the
   * initial norm so that both forms start from the same function.
   */
  kernel(name: string, shape: number[]): tf.Tensor {
    const { direction, gain } = this.kernelParameters(name, shape);
    if (!gain) {
      return direction;
    }
    const axes = shape.slice(0, -1).map((_, axis) => axis);
    const norm = tf.sqrt(tf.add(tf.sum(tf.square(direction), axes), 1e-12));
    return tf.mul(direction, tf.div(gain, norm));
  }

  /**
   * The kernel and bias values of an existing layer `name` whose kernel has `shape` (weight norm
   * applied), for exporting the network; throws if the layer has no such weights.
   */
  layerValues(name: string, shape: number[]): { kernel: Float32Array; bias: Float32Array } {
    const direction = this.variables.get(`${name}/kernel`);
    const bias = this.variables.get(`${name}/bias`);
    if (!direction || !bias || !tf.util.arraysEqual(direction.shape, shape)) {
      throw new Error(`the model has no layer '${name}' with a [${shape.join(', ')}] kernel`);
    }
    // Read inside the tidy: without weight norm the kernel is the variable itself.
    const kernel = tf.tidy(() => this.kernel(name, shape).dataSync() as Float32Array);
    return { kernel, bias: bias.dataSync() as Float32Array };
  }

  /** The bias of layer `name`, zeros at first. */
  bias(name: string, size: number): tf.Variable {
    return this.getOrCreate(`${name}/bias`, () => tf.zeros([size]));
  }

  /** Every variable, by name, in creation order. */
  get named(): ReadonlyMap<string, tf.Variable> {
    return this.variables;
  }

  /** The kernels (not biases or gains), for the L2 penalty. */
  kernels(): tf.Variable[] {
    return [...this.variables.entries()].filter(([name]) => name.endsWith('/kernel')).map(([, variable]) => variable);
  }

  /** Replaces every variable's value with `values[name]`; throws naming what is missing or misshapen. */
  assign(values: tf.NamedTensorMap): void {
    for (const [name, variable] of this.variables) {
      const value = values[name];
      if (!value) {
        throw new Error(`weights are missing '${name}'`);
      }
      if (!tf.util.arraysEqual(value.shape, variable.shape)) {
        throw new Error(`weight '${name}' has shape [${value.shape.join(', ')}], the model needs [${variable.shape.join(', ')}]`);
      }
      variable.assign(value);
    }
  }

  /** Frees every variable. */
  dispose(): void {
    for (const variable of this.variables.values()) {
      variable.dispose();
    }
    this.variables.clear();
  }

  private kernelParameters(name: string, shape: number[]): KernelParameters {
    const direction = this.getOrCreate(`${name}/kernel`, () => this.glorotUniform(shape));
    if (!this.useWeightNorm) {
      return { direction, gain: null };
    }
    const axes = shape.slice(0, -1).map((_, axis) => axis);
    const gain = this.getOrCreate(`${name}/gain`, () => tf.sqrt(tf.sum(tf.square(direction), axes)));
    return { direction, gain };
  }

  private getOrCreate(name: string, initialValue: () => tf.Tensor): tf.Variable {
    let variable = this.variables.get(name);
    if (!variable) {
      const value = tf.tidy(initialValue);
      variable = tf.variable(value, true, `${name}_${this.variables.size}_${uniqueSuffix()}`);
      value.dispose();
      this.variables.set(name, variable);
    }
    return variable;
  }

  /** Keras' default kernel initialiser, seeded so that a model is reproducible from its seed. */
  private glorotUniform(shape: number[]): tf.Tensor {
    const receptiveField = shape.slice(0, -2).reduce((product, size) => product * size, 1);
    const fanIn = receptiveField * shape[shape.length - 2];
    const fanOut = receptiveField * shape[shape.length - 1];
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    return tf.randomUniform(shape, -limit, limit, 'float32', this.nextSeed++);
  }
}

let suffixCounter = 0;
/** Variable names are global in tfjs: two models in one process need distinct ones. */
function uniqueSuffix(): string {
  return (suffixCounter++).toString(36);
}
