import * as tf from '@tensorflow/tfjs-core';

/** Adam's settings, with Keras's defaults where left out (as tf.train.adam). */
export interface AdamSettings {
  readonly learningRate: number;
  readonly beta1?: number;
  readonly beta2?: number;
  readonly epsilon?: number;
}

/** Adam's state between steps: both moments over all variables, and beta1^t and beta2^t. */
export interface AdamState {
  readonly first: Float32Array;
  readonly second: Float32Array;
  readonly accumulatedBeta1: number;
  readonly accumulatedBeta2: number;
}

/**
 * Adam (Kingma & Ba 2015) in the form of tf.train.adam, applied to all of a model's variables at
 * once: the gradients and values are joined into one vector, the moments are one vector each, the
 * update is a dozen kernels, and one split hands the new values back. tf.train.adam runs those
 * kernels per variable: ~14 × 248 = 3,500 kernel calls a step for the seed model, of the ~12,000 a
 * seed training step made on an H200, where each costs tens of µs of JavaScript.
 */
export class FlatAdam {
  /** The step size of the next `apply`; a schedule may change it between steps. */
  learningRate: number;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;
  private moments: { first: tf.Variable; second: tf.Variable } | null = null;
  /** beta1^t and beta2^t, accumulated in float32 as tf.train.adam does, so that both take the same steps. */
  private accumulatedBeta1: number;
  private accumulatedBeta2: number;

  constructor(settings: AdamSettings) {
    this.learningRate = settings.learningRate;
    this.beta1 = settings.beta1 ?? 0.9;
    this.beta2 = settings.beta2 ?? 0.999;
    this.epsilon = settings.epsilon ?? 1e-7;
    this.accumulatedBeta1 = Math.fround(this.beta1);
    this.accumulatedBeta2 = Math.fround(this.beta2);
  }

  /** Updates `variables` with `gradients` (by variable name, shaped as the variable); disposes nothing it was given. */
  apply(variables: readonly tf.Variable[], gradients: tf.NamedTensorMap): void {
    const moments = this.momentsFor(variables);
    const firstCorrection = Math.fround(1 - this.accumulatedBeta1);
    const secondCorrection = Math.fround(1 - this.accumulatedBeta2);
    tf.tidy(() => {
      const gradient = tf.concat(
        variables.map((variable) => {
          const part = gradients[variable.name];
          if (part === undefined) {
            throw new Error(`no gradient for variable ${variable.name}`);
          }
          return tf.reshape(part, [-1]);
        }),
      );
      const values = tf.concat(variables.map((variable) => tf.reshape(variable, [-1])));
      const first = tf.add(tf.mul(moments.first, this.beta1), tf.mul(gradient, 1 - this.beta1));
      const second = tf.add(tf.mul(moments.second, this.beta2), tf.mul(tf.square(gradient), 1 - this.beta2));
      const step = tf.div(tf.div(first, firstCorrection), tf.add(tf.sqrt(tf.div(second, secondCorrection)), this.epsilon));
      const updated = tf.add(values, tf.mul(step, -this.learningRate));
      moments.first.assign(first);
      moments.second.assign(second);
      const parts = tf.split(updated, variables.map((variable) => variable.size));
      variables.forEach((variable, index) => variable.assign(tf.reshape(parts[index], variable.shape)));
    });
    this.accumulatedBeta1 = Math.fround(this.accumulatedBeta1 * Math.fround(this.beta1));
    this.accumulatedBeta2 = Math.fround(this.accumulatedBeta2 * Math.fround(this.beta2));
  }

  /** A copy of the state (null before the first step: nothing to keep). */
  async state(): Promise<AdamState | null> {
    if (!this.moments) {
      return null;
    }
    const [first, second] = await Promise.all([this.moments.first.data(), this.moments.second.data()]);
    return { first: first as Float32Array, second: second as Float32Array, accumulatedBeta1: this.accumulatedBeta1, accumulatedBeta2: this.accumulatedBeta2 };
  }

  /** Takes up `state` (from `state()` of an optimiser of the same variables), so the next step is the one that would have followed. */
  restore(state: AdamState): void {
    if (state.first.length !== state.second.length) {
      throw new Error(`Adam state: ${state.first.length} first moments but ${state.second.length} second moments`);
    }
    this.dispose();
    // A variable copies its initial value: the tensors it was made from are freed here.
    const [first, second] = [tf.tensor1d(state.first), tf.tensor1d(state.second)];
    this.moments = { first: tf.variable(first, false), second: tf.variable(second, false) };
    tf.dispose([first, second]);
    this.accumulatedBeta1 = state.accumulatedBeta1;
    this.accumulatedBeta2 = state.accumulatedBeta2;
  }

  /** Frees the moments. */
  dispose(): void {
    if (this.moments) {
      tf.dispose([this.moments.first, this.moments.second]);
      this.moments = null;
    }
  }

  private momentsFor(variables: readonly tf.Variable[]): { first: tf.Variable; second: tf.Variable } {
    const size = variables.reduce((total, variable) => total + variable.size, 0);
    if (this.moments && this.moments.first.size !== size) {
      throw new Error(`this optimiser holds moments of ${this.moments.first.size} values; the variables have ${size}`);
    }
    if (!this.moments) {
      this.moments = tf.tidy(() => ({ first: tf.variable(tf.zeros([size]), false), second: tf.variable(tf.zeros([size]), false) }));
    }
    return this.moments;
  }
}
