import * as tf from '@tensorflow/tfjs-core';
import type { PixelCnn } from '../pixelcnn';
import { GraphTrainer } from '../onnx/training/graphTrainer';
import { loadOnnxRuntime } from '../onnx/onnxRuntime';
import type { ImageSet } from './imageSet';
import { gatherBatch, imageSize } from './imageSet';
import { imagesPerPass, trainingPassImages } from './trainingPassSize';
import type { TrainingEngine } from './types';

/**
 * How one model's training steps are computed, chosen once when its training starts. The model
 * stays the owner of the weights that validation, checkpoints and the caller see: `syncModel`
 * writes the stepper's into it.
 */
export interface ModelStepper {
  /** One Adam step on the images of `data` at `indices`; the batch's loss as a scalar the caller owns and reads when it needs it. */
  step(data: ImageSet, indices: ArrayLike<number>, learningRate: number, dropoutSeed: number): tf.Scalar;
  /** Puts the trained weights and optimiser state into the model (before validating, saving or returning it). */
  syncModel(): Promise<void>;
  /** Frees what the stepper holds (not the model). */
  dispose(): void;
}

/** Steps on the active TensorFlow.js backend, op by op (`PixelCnn.trainStep`). */
class TfjsStepper implements ModelStepper {
  private readonly maxImagesPerPass: number;

  constructor(private readonly model: PixelCnn) {
    this.maxImagesPerPass = imagesPerPass(model);
  }

  step(data: ImageSet, indices: ArrayLike<number>, learningRate: number, dropoutSeed: number): tf.Scalar {
    const batch = gatherBatch(data, indices);
    try {
      this.model.setLearningRate(learningRate);
      return this.model.trainStep(batch, this.maxImagesPerPass, dropoutSeed);
    } finally {
      batch.dispose();
    }
  }

  async syncModel(): Promise<void> {
    // The model's own variables are trained in place.
  }

  dispose(): void {}
}

/** Steps as one ONNX graph on ONNX Runtime, one thread on the CPU provider ({@link GraphTrainer}). */
class OnnxGraphStepper implements ModelStepper {
  /** Passes as the wasm path cuts a batch: they decide the dropout masks, so that a seed gives the same steps on both. */
  private readonly maskPassImages: number;
  private pixels = new Uint8Array(0);

  constructor(private readonly model: PixelCnn, private readonly trainer: GraphTrainer) {
    this.maskPassImages = trainingPassImages(model.trainingBytesPerImage(), model.activationValuesPerImage(), 'wasm');
  }

  step(data: ImageSet, indices: ArrayLike<number>, learningRate: number, dropoutSeed: number): tf.Scalar {
    const size = imageSize(data.shape);
    if (this.pixels.length !== indices.length * size) {
      this.pixels = new Uint8Array(indices.length * size);
    }
    for (let i = 0; i < indices.length; i++) {
      this.pixels.set(data.pixels.subarray(indices[i] * size, (indices[i] + 1) * size), i * size);
    }
    return tf.scalar(this.trainer.step(this.pixels, indices.length, learningRate, dropoutSeed, this.maskPassImages));
  }

  async syncModel(): Promise<void> {
    const values = this.trainer.weights;
    const named: tf.NamedTensorMap = {};
    let offset = 0;
    for (const [name, variable] of this.model.variables) {
      named[name] = tf.tensor(values.subarray(offset, offset + variable.size), variable.shape);
      offset += variable.size;
    }
    try {
      this.model.setWeights(named);
    } finally {
      tf.dispose(Object.values(named));
    }
    const state = this.trainer.optimizerState();
    if (state) {
      this.model.restoreOptimizerState(state);
    }
  }

  dispose(): void {
    this.trainer.dispose();
  }
}

/** Why `model` cannot train on the ONNX graph engines here, or null when it can. */
export function onnxCpuUnavailable(model: PixelCnn): string | null {
  const load = loadOnnxRuntime();
  if (!load.runtime) {
    return load.reason;
  }
  return model.config.useWeightNorm ? 'the ONNX training graph does not take weight norm' : null;
}

/** The engine `auto` picks for `model`: the ONNX graph on a CPU TensorFlow.js backend where it can run (no weight norm), else TensorFlow.js. */
export function resolveTrainingEngine(engine: TrainingEngine, model: PixelCnn): Exclude<TrainingEngine, 'auto'> {
  if (engine !== 'auto') {
    return engine;
  }
  const cpuBackend = tf.getBackend() === 'wasm' || tf.getBackend() === 'cpu';
  return cpuBackend && onnxCpuUnavailable(model) === null ? 'onnx-cpu' : 'tfjs';
}

/**
 * The stepper of `engine` for `model`, starting from the model's current weights and optimiser
 * state (a resumed training's); throws naming what is missing where an ONNX engine cannot run.
 */
export async function createModelStepper(engine: TrainingEngine, model: PixelCnn, learningRate: number): Promise<ModelStepper> {
  const resolved = resolveTrainingEngine(engine, model);
  if (resolved === 'tfjs') {
    return new TfjsStepper(model);
  }
  const unavailable = onnxCpuUnavailable(model);
  if (unavailable) {
    throw new Error(`the ${resolved} training engine cannot run here: ${unavailable}`);
  }
  const variables = [...model.variables.entries()].map(([name, variable]) => ({ name, shape: variable.shape }));
  const weights = new Float32Array(variables.reduce((total, variable) => total + variable.shape.reduce((product, size) => product * size, 1), 0));
  let offset = 0;
  for (const variable of model.variables.values()) {
    weights.set(variable.dataSync() as Float32Array, offset);
    offset += variable.size;
  }
  const provider = resolved === 'onnx-webgpu' ? 'webgpu' : resolved === 'onnx-cuda' ? 'cuda' : 'cpu';
  const trainer = new GraphTrainer({ config: model.config, imageShape: model.imageShape, variables, adam: { learningRate }, provider }, weights);
  trainer.restore(weights, await model.optimizerState());
  return new OnnxGraphStepper(model, trainer);
}
