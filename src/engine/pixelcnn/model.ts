import * as tf from '@tensorflow/tfjs-core';
import { pcgHash } from '../random/pcgHash';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import type { PixelRange } from './likelihood';
import { discretizedLogisticMixtureLogProb, toUnitScale } from './likelihood';
import type { AdamSettings, AdamState } from './flatAdam';
import { FlatAdam } from './flatAdam';
import type { ChannelLayout } from './layers';
import { channelLayoutFor } from './layers';
import { pixelCnnNetwork } from './network';
import { ParameterStore } from './parameters';
import { sampleFromMixture } from './sampling';
import type { ImageShape, MixtureParams, PixelCnnConfig, SampleNetwork } from './types';
import { validateConfig, validateImageShape } from './validateConfig';

/** Options of `PixelCnn.logProb`. */
export interface LogProbOptions {
  /** Per-pixel log-probabilities [N, H, W] (channels summed) instead of one sum per image [N]. */
  readonly perPixel?: boolean;
}

/** Options of `PixelCnn.sample`. */
export interface SampleOptions {
  readonly seed?: number;
  /** Called after each pixel row, with rows done and rows in all. */
  readonly onRow?: (rowsDone: number, rows: number) => void;
  /** Stops sampling between rows (throws the signal's reason). */
  readonly signal?: AbortSignal;
  /** Computes the passes' mixture parameters where it can (see {@link SampleNetwork}). */
  readonly network?: SampleNetwork;
}

/** Optimiser settings of a model; each model owns its own Adam state. */
export type OptimizerOptions = AdamSettings;

/**
 * A PixelCNN++ over images of one shape: exact, causal per-pixel log-likelihoods, training steps
 * and raster-order sampling. Owns its variables and optimiser: call `dispose()` when done.
 */
export class PixelCnn {
  readonly config: PixelCnnConfig;
  readonly imageShape: ImageShape;
  private readonly store: ParameterStore;
  private optimizer: FlatAdam | null = null;
  private optimizerOptions: OptimizerOptions = { learningRate: 1e-4 };
  /**
   * How layers apply a kernel to channel parts: `auto` by backend and use ({@link channelLayoutFor}),
   * or one {@link ChannelLayout}. All compute the same function.
   */
  channelParts: 'auto' | ChannelLayout = 'auto';

  constructor(imageShape: readonly number[], config: Partial<PixelCnnConfig> = {}, seed = 0) {
    this.imageShape = validateImageShape(imageShape);
    this.config = validateConfig(config);
    this.store = new ParameterStore(seed, this.config.useWeightNorm);
    // Trace once so that every variable exists before any gradient is taken.
    tf.tidy(() => {
      this.network(tf.zeros([1, ...this.imageShape]) as tf.Tensor4D, false);
    });
  }

  /** Pixel value range of the model. */
  get range(): PixelRange {
    return { low: this.config.low, high: this.config.high };
  }

  /** Trainable variables by name (the names used in saved weights). */
  get variables(): ReadonlyMap<string, tf.Variable> {
    return this.store.named;
  }

  /** Number of trainable scalars. */
  get parameterCount(): number {
    let count = 0;
    for (const variable of this.store.named.values()) {
      count += variable.size;
    }
    return count;
  }

  /**
   * log p(x) of images `pixels` [N, H, W, C] with values low..high: one sum per image [N], or
   * per pixel [N, H, W] with `{ perPixel: true }`. Dropout is off. The caller owns the result.
   */
  logProb(pixels: tf.Tensor4D, options: LogProbOptions & { perPixel: true }): tf.Tensor3D;
  logProb(pixels: tf.Tensor4D, options?: LogProbOptions): tf.Tensor1D;
  logProb(pixels: tf.Tensor4D, options: LogProbOptions = {}): tf.Tensor1D | tf.Tensor3D {
    this.checkBatchShape(pixels);
    return tf.tidy(() => {
      const perPixel = this.pixelLogProb(pixels, false);
      return options.perPixel ? perPixel : (tf.sum(perPixel, [1, 2]) as tf.Tensor1D);
    });
  }

  /**
   * The network's mixture parameters for each pixel of `pixels` (values low..high), dropout off.
   * Pixel (i, j)'s parameters depend only on the pixels before it in raster order.
   */
  mixtureParams(pixels: tf.Tensor4D): MixtureParams {
    this.checkBatchShape(pixels);
    return this.network(toUnitScale(tf.cast(pixels, 'float32'), this.range) as tf.Tensor4D, false);
  }

  /**
   * Mean negative log-likelihood per image of `pixels` (+ the L2 penalty), with dropout as in
   * training (its masks from `dropoutSeed` where given).
   */
  loss(pixels: tf.Tensor4D, training = true, dropoutSeed?: number): tf.Scalar {
    return tf.tidy(() => {
      const negativeLogLikelihood = tf.neg(tf.mean(tf.sum(this.pixelLogProb(pixels, training, dropoutSeed), [1, 2])));
      if (this.config.l2Weight <= 0) {
        return negativeLogLikelihood as tf.Scalar;
      }
      // Added in pairs: a webgpu AddN binds every input at once, past the 8 storage buffers a shader may have.
      const squares = this.store.kernels().map((kernel) => tf.sum(tf.square(kernel))).reduce((sum, square) => tf.add(sum, square));
      return tf.add(negativeLogLikelihood, tf.mul(squares, this.config.l2Weight / 2)) as tf.Scalar;
    });
  }

  /** Sets the Adam settings; the optimiser state starts afresh. */
  setOptimizer(options: OptimizerOptions): void {
    this.optimizer?.dispose();
    this.optimizer = null;
    this.optimizerOptions = options;
  }

  /** Changes the Adam step size from the next step on, keeping the optimiser's moments. */
  setLearningRate(learningRate: number): void {
    this.optimizerOptions = { ...this.optimizerOptions, learningRate };
    if (this.optimizer) {
      this.optimizer.learningRate = learningRate;
    }
  }

  /**
   * One Adam step on `pixels` [N, H, W, C]. Returns the batch's loss as a scalar the caller owns
   * and may read later (reading it every step would stall a GPU pipeline). A batch larger than
   * `maxImagesPerPass` is split into passes whose gradients are summed, weighted by their share of
   * the batch, before the one update: the same step in less memory. The passes are as few as that
   * allows and as even as they can be ({@link passBoundaries}). Dropout masks come from `dropoutSeed`
   * (each pass its own), so that a step can be taken again exactly; unseeded when it is left out.
   */
  trainStep(pixels: tf.Tensor4D, maxImagesPerPass = Number.POSITIVE_INFINITY, dropoutSeed?: number): tf.Scalar {
    this.checkBatchShape(pixels);
    const optimizer = this.ensureOptimizer();
    const variables = [...this.store.named.values()];
    const batch = pixels.shape[0];
    const boundaries = passBoundaries(batch, maxImagesPerPass);
    let summed: tf.NamedTensorMap | null = null;
    let loss: tf.Scalar | null = null;
    for (let pass = 0; pass + 1 < boundaries.length; pass++) {
      const start = boundaries[pass];
      const size = boundaries[pass + 1] - start;
      const share = size / batch;
      const { value, grads } = tf.tidy(() => {
        const part = size === batch ? pixels : (tf.slice(pixels, [start, 0, 0, 0], [size, -1, -1, -1]) as tf.Tensor4D);
        const passSeed = dropoutSeed === undefined ? undefined : pcgHash((dropoutSeed ^ pcgHash(pass)) >>> 0);
        return tf.variableGrads(() => (share === 1 ? this.loss(part, true, passSeed) : (tf.mul(this.loss(part, true, passSeed), share) as tf.Scalar)), variables);
      });
      if (loss) {
        const previousLoss = loss;
        loss = tf.add(loss, value) as tf.Scalar;
        tf.dispose([previousLoss, value]);
      } else {
        loss = value;
      }
      if (summed) {
        const previous: tf.NamedTensorMap = summed;
        summed = Object.fromEntries(Object.entries(grads).map(([name, gradient]) => [name, tf.add(previous[name], gradient)]));
        tf.dispose([...Object.values(previous), ...Object.values(grads)]);
      } else {
        summed = grads;
      }
    }
    optimizer.apply(variables, summed as tf.NamedTensorMap);
    tf.dispose(Object.values(summed as tf.NamedTensorMap));
    return loss as tf.Scalar;
  }

  /** Values of one full-resolution layer's activations for one image: height · width · filters. */
  activationValuesPerImage(): number {
    const [height, width] = this.imageShape;
    return height * width * this.config.numFilters;
  }

  /**
   * A rough count of the bytes one image keeps alive during a training step (activations on the
   * gradient tape), for choosing how many images a memory-bound backend takes per pass.
   */
  trainingBytesPerImage(): number {
    const layers = 2 * this.config.numResnet * this.config.numHierarchies + 2;
    // Both streams; at most about 28 tensors of a layer's size stay on the tape per layer: 118 MiB an
    // image for the seed model, which grew wasm's heap by 109-120 MiB an image with its channel parts
    // apart (passes of 4, 8 and 16), ~80 MiB joined.
    return this.activationValuesPerImage() * 4 * layers * 2 * 28;
  }

  /**
   * A rough count of the bytes of tensors one image keeps alive in an inference pass (the skip
   * states, the up pass's states and one layer's temporaries), for choosing a scoring batch:
   * about 87 tensors of a layer's size, 8.7 MB an image for the seed model (measured on wasm).
   */
  inferenceBytesPerImage(): number {
    const [height, width] = this.imageShape;
    return height * width * this.config.numFilters * 4 * 88;
  }

  /**
   * Draws `count` images in raster order, one network pass per pixel over the rows filled so far
   * (a pixel depends on no row below its own). Returns values low..high, [count, H, W, C], int32.
   * Waits for the device after each row: progress is then true, a cancel is seen, and a GPU
   * backend's queue drains (Dawn frees its per-dispatch resources only when the event loop runs).
   */
  async sample(count: number, options: SampleOptions = {}): Promise<tf.Tensor4D> {
    const [height, width, channels] = this.imageShape;
    const seed = options.seed ?? 0;
    // The image stays on the device: a GPU backend cannot read a pixel back synchronously, and
    // 784 round trips would cost more than the passes themselves.
    let pixels = tf.fill([count, height, width, channels], this.config.low, 'float32') as tf.Tensor4D;
    for (let row = 0; row < height; row++) {
      for (let col = 0; col < width; col++) {
        const next = tf.tidy(() => {
          const filled = tf.slice(pixels, [0, 0, 0, 0], [count, row + 1, width, channels]);
          const params = options.network?.params(filled) ?? this.network(toUnitScale(filled, this.range) as tf.Tensor4D, false);
          const drawn = sampleFromMixture(slicePixel(params, row, col), this.range, seed + 2 * (row * width + col) + 1);
          // The pixel was `low`; adding (drawn − low), zero-padded to the image, writes it in place.
          const placed = tf.pad(tf.sub(drawn, this.config.low), [[0, 0], [row, height - 1 - row], [col, width - 1 - col], [0, 0]]);
          return tf.add(pixels, placed) as tf.Tensor4D;
        });
        pixels.dispose();
        pixels = next;
      }
      try {
        await pixels.data();
        options.signal?.throwIfAborted();
      } catch (error) {
        pixels.dispose();
        throw error;
      }
      options.onRow?.(row + 1, height);
    }
    const samples = tf.cast(pixels, 'int32') as tf.Tensor4D;
    pixels.dispose();
    return samples;
  }

  /** Kernel (weight norm applied) and bias of layer `name`, whose kernel has `kernelShape`, for exporting the network. */
  layerValues(name: string, kernelShape: number[]): { kernel: Float32Array; bias: Float32Array } {
    return this.store.layerValues(name, kernelShape);
  }

  /** The weights by name (copies the caller owns). */
  getWeights(): tf.NamedTensorMap {
    const weights: tf.NamedTensorMap = {};
    for (const [name, variable] of this.store.named) {
      weights[name] = tf.clone(variable);
    }
    return weights;
  }

  /** Replaces the weights; throws naming a missing or misshapen weight. */
  setWeights(weights: tf.NamedTensorMap): void {
    this.store.assign(weights);
  }

  /** A copy of the optimiser's state, for going on with training later; null before the first step. */
  async optimizerState(): Promise<AdamState | null> {
    return this.optimizer ? this.optimizer.state() : null;
  }

  /** Takes up an optimiser state from `optimizerState()` of a model of this configuration; throws if its size is not this model's. */
  restoreOptimizerState(state: AdamState): void {
    const size = [...this.store.named.values()].reduce((total, variable) => total + variable.size, 0);
    if (state.first.length !== size) {
      throw new Error(`the optimiser state holds ${state.first.length} values; this model has ${size} weights`);
    }
    this.ensureOptimizer().restore(state);
  }

  /** Frees the variables and the optimiser state. */
  dispose(): void {
    this.store.dispose();
    this.optimizer?.dispose();
    this.optimizer = null;
  }

  private pixelLogProb(pixels: tf.Tensor4D, training: boolean, dropoutSeed?: number): tf.Tensor3D {
    const values = tf.cast(pixels, 'float32') as tf.Tensor4D;
    const params = this.network(toUnitScale(values, this.range) as tf.Tensor4D, training, dropoutSeed);
    return discretizedLogisticMixtureLogProb(params, values, this.range);
  }

  private network(unitPixels: tf.Tensor4D, training: boolean, dropoutSeed?: number): MixtureParams {
    const layout = this.channelParts === 'auto' ? channelLayoutFor(tf.getBackend(), training) : this.channelParts;
    return pixelCnnNetwork(this.store, this.config, unitPixels, training, layout, dropoutSeed);
  }

  private ensureOptimizer(): FlatAdam {
    if (!this.optimizer) {
      this.optimizer = new FlatAdam(this.optimizerOptions);
    }
    return this.optimizer;
  }

  private checkBatchShape(pixels: tf.Tensor): void {
    const [, height, width, channels] = pixels.shape;
    const [expectedHeight, expectedWidth, expectedChannels] = this.imageShape;
    if (pixels.rank !== 4 || height !== expectedHeight || width !== expectedWidth || channels !== expectedChannels) {
      throw new Error(
        `images must be [N, ${expectedHeight}, ${expectedWidth}, ${expectedChannels}], got [${pixels.shape.join(', ')}]`,
      );
    }
  }
}

/**
 * Where the passes of a training step over `batch` images begin, and the batch's end: as few passes
 * as `maxImagesPerPass` allows, their sizes differing by one at most. A remainder pass (64 images
 * at 9 a pass: seven of 9 and one of 1) pays a whole pass's kernel calls for a few images: on wasm
 * the seed model's step at batch 64 took 6.5 s so, 6.3 s in eight passes of 8.
 */
export function passBoundaries(batch: number, maxImagesPerPass: number): number[] {
  const passes = Math.ceil(batch / Math.max(1, Math.floor(Math.min(maxImagesPerPass, batch))));
  return Array.from({ length: passes + 1 }, (_, pass) => Math.round((pass * batch) / passes));
}

function slicePixel(params: MixtureParams, row: number, col: number): MixtureParams {
  const at = <T extends tf.Tensor>(tensor: T): T => {
    const begin = [0, row, col, ...new Array(tensor.rank - 3).fill(0)];
    const size = [-1, 1, 1, ...new Array(tensor.rank - 3).fill(-1)];
    return tf.slice(tensor, begin, size) as T;
  };
  return { logits: at(params.logits), locs: at(params.locs), scales: at(params.scales), coeffs: params.coeffs ? at(params.coeffs) : null };
}
