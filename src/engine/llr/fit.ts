import * as tf from '@tensorflow/tfjs-core';
import { PixelCnn } from '../pixelcnn';
import type { PixelCnnConfig } from '../pixelcnn';
import { pcgHash } from '../random/pcgHash';
import { SeededRandom } from '../random/seededRandom';
import { throwIfAborted, yieldToEventLoop } from './abort';
import { SEED_FIT_CONFIG } from './constants';
import type { ImageSet } from './imageSet';
import { imageSize, rangeBatch, selectImages } from './imageSet';
import { LEARNING_RATE_SCHEDULES, scheduledLearningRate } from './learningRate';
import { mutate } from './mutate';
import { checkpointFile, trainingFingerprint } from '../store/trainingCheckpoint';
import { checkpointToResume, restoreTraining, saveTraining } from './trainingResume';
import type { EpochRecord, FitConfig, FitOptions, FitProgress, ModelRole, TrainingEngine } from './types';
import type { ModelStepper } from './modelStepper';
import { createModelStepper } from './modelStepper';

/** Thrown when a loss stops being a finite number: training diverged. */
export class NonFiniteLossError extends Error {
  constructor(model: ModelRole, epoch: number, step: number, loss: number) {
    super(`${model} model: the loss became ${loss} at epoch ${epoch}, step ${step}; lower the learning rate or check the data`);
    this.name = 'NonFiniteLossError';
  }
}

/** The two trained models and what training recorded. */
export interface FitResult {
  readonly semantic: PixelCnn;
  readonly background: PixelCnn;
  readonly fitConfig: FitConfig;
  readonly history: EpochRecord[];
  readonly seconds: number;
}

/** Fills the defaults of `options` and checks them. */
export function resolveFitConfig(options: Partial<FitConfig>): FitConfig {
  const chosen = Object.fromEntries(
    (Object.keys(SEED_FIT_CONFIG) as Array<keyof FitConfig>).filter((key) => options[key] !== undefined).map((key) => [key, options[key]]),
  );
  const config: FitConfig = { ...SEED_FIT_CONFIG, ...chosen };
  const checks: Array<[boolean, string]> = [
    [Number.isInteger(config.epochs) && config.epochs >= 1, `epochs must be a positive integer, got ${config.epochs}`],
    [Number.isInteger(config.batchSize) && config.batchSize >= 1, `batchSize must be a positive integer, got ${config.batchSize}`],
    [config.learningRate > 0, `learningRate must be positive, got ${config.learningRate}`],
    [LEARNING_RATE_SCHEDULES.includes(config.learningRateSchedule), `learningRateSchedule must be one of ${LEARNING_RATE_SCHEDULES.join(', ')}, got ${config.learningRateSchedule}`],
    [config.mutationRate >= 0 && config.mutationRate <= 1, `mutationRate must be in [0, 1], got ${config.mutationRate}`],
    [config.l2Background >= 0, `l2Background must be ≥ 0, got ${config.l2Background}`],
    [config.validationFraction >= 0 && config.validationFraction < 1, `validationFraction must be in [0, 1), got ${config.validationFraction}`],
  ];
  for (const [ok, message] of checks) {
    if (!ok) {
      throw new Error(message);
    }
  }
  return config;
}

/** Training and validation images after the seeded hold-out split. */
export interface SplitImages {
  readonly training: ImageSet;
  readonly validation: ImageSet | null;
}

/** Holds out `validationFraction` of `images` (seeded), the rest for training. */
export function splitValidation(images: ImageSet, fitConfig: FitConfig): SplitImages {
  const order = new SeededRandom(fitConfig.seed).permutation(images.count);
  const validationCount = Math.floor(images.count * fitConfig.validationFraction);
  const validation = validationCount > 0 ? selectImages(images, order.subarray(0, validationCount)) : null;
  const training = validationCount > 0 ? selectImages(images, order.subarray(validationCount)) : images;
  if (training.count === 0) {
    throw new Error('no images to train on');
  }
  return { training, validation };
}

/** The configuration of one of the two models: the background model takes the L2 weight λ. */
export function modelConfigFor(role: ModelRole, options: FitOptions, fitConfig: FitConfig): Partial<PixelCnnConfig> {
  const semanticConfig: Partial<PixelCnnConfig> = options.semanticConfig ?? {};
  return role === 'semantic' ? semanticConfig : { ...(options.backgroundConfig ?? semanticConfig), l2Weight: fitConfig.l2Background };
}

/** What `trainModel` reports as it goes. */
export interface TrainModelHooks {
  readonly onStep?: (epoch: number, step: number, stepsPerEpoch: number, latestLoss: number) => void;
  readonly onEpoch?: (record: EpochRecord) => void;
  readonly signal?: AbortSignal;
  readonly lossReadInterval?: number;
  /**
   * Where this model's training is saved after each epoch; training of the same images and
   * settings found there goes on from it, and ends with the model an uninterrupted run makes.
   */
  readonly checkpointFile?: string;
  /** Called when training goes on from a checkpoint, with the epochs it had done. */
  readonly onResume?: (epochsDone: number) => void;
  /** What computes the steps (default `auto`): chosen once, when the training starts. */
  readonly trainingEngine?: TrainingEngine;
  /**
   * Where given, a checkpoint this training cannot go on from (other training's, or damaged) is
   * reported here and training starts afresh, replacing it after the first epoch; without it, such
   * a checkpoint is an error naming the file.
   */
  readonly onCheckpointSetAside?: (reason: string) => void;
}

/**
 * Trains one of the two models for all epochs: the semantic model on the images, the background
 * model on mutated copies drawn afresh each epoch (as Ren et al.'s input pipeline). Seeds depend on
 * the role only, so training both in one process or each in its own worker gives the same models.
 */
export async function trainModel(
  role: ModelRole,
  split: SplitImages,
  fitConfig: FitConfig,
  modelConfig: Partial<PixelCnnConfig>,
  hooks: TrainModelHooks = {},
): Promise<PixelCnn> {
  const { training, validation } = split;
  const roleIndex = role === 'semantic' ? 1 : 2;
  const savedTo = hooks.checkpointFile;
  const fingerprint = savedTo ? trainingFingerprint(role, fitConfig, modelConfig, training, validation) : '';
  const checkpoint = savedTo ? await checkpointToResume(savedTo, role, fingerprint, hooks.onCheckpointSetAside) : null;
  const model = new PixelCnn(training.shape, modelConfig, fitConfig.seed * 2 + roleIndex);
  const shuffles = new SeededRandom(fitConfig.seed * 31 + roleIndex);
  const dropoutSeed = pcgHash(fitConfig.seed * 8191 + roleIndex);
  const history: EpochRecord[] = [];
  let stepper: ModelStepper | null = null;
  try {
    model.setOptimizer({ learningRate: fitConfig.learningRate });
    const stepsPerEpoch = Math.ceil(training.count / fitConfig.batchSize);
    if (checkpoint) {
      restoreTraining(model, checkpoint);
      for (let epoch = 1; epoch <= checkpoint.epochsDone; epoch++) {
        shuffles.permutation(training.count); // the shuffles of the epochs done, so the next epoch draws its own
      }
      history.push(...checkpoint.history);
      checkpoint.history.forEach((record) => hooks.onEpoch?.(record));
      hooks.onResume?.(checkpoint.epochsDone);
    }
    stepper = await createModelStepper(hooks.trainingEngine ?? 'auto', model, fitConfig.learningRate);
    for (let epoch = history.length + 1; epoch <= fitConfig.epochs; epoch++) {
      const data = role === 'semantic' ? training : { ...training, pixels: mutate(training.pixels, { rate: fitConfig.mutationRate, seed: fitConfig.seed * 7919 + epoch }) };
      const epochStarted = performance.now();
      const loss = await trainEpoch(stepper, data, {
        role,
        dropoutSeed,
        epoch,
        fitConfig,
        shuffle: shuffles.permutation(training.count),
        firstStep: (epoch - 1) * stepsPerEpoch,
        totalSteps: fitConfig.epochs * stepsPerEpoch,
        lossReadInterval: hooks.lossReadInterval ?? 10,
        signal: hooks.signal,
        onStep: (step, latestLoss) => hooks.onStep?.(epoch, step, stepsPerEpoch, latestLoss),
      });
      await stepper.syncModel();
      const validationLoss = validation ? await meanNll(model, validation, fitConfig.batchSize, hooks.signal) : null;
      const record: EpochRecord = {
        model: role, epoch, loss, bitsPerDim: bitsPerDim(loss, training),
        validationLoss, validationBitsPerDim: validationLoss === null ? null : bitsPerDim(validationLoss, training),
        seconds: (performance.now() - epochStarted) / 1000,
      };
      history.push(record);
      if (savedTo) {
        await saveTraining(savedTo, role, fingerprint, model, history); // before reporting the epoch: a stop it prompts keeps it
      }
      hooks.onEpoch?.(record);
    }
  } catch (error) {
    model.dispose();
    throw error;
  } finally {
    stepper?.dispose();
  }
  return model;
}

/** Turns per-model step reports into progress over the whole fit (both models), with an ETA. */
export class FitProgressTracker {
  private readonly started = performance.now();
  private readonly stepsDone = new Map<ModelRole, number>();
  /** Steps each model had done before this run (a resumed training's epochs from its checkpoint). */
  private readonly stepsBefore = new Map<ModelRole, number>();

  constructor(private readonly fitConfig: FitConfig, private readonly images: ImageSet, private readonly onProgress?: (progress: FitProgress) => void) {}

  /** Records one step of `role` and reports. */
  step(role: ModelRole, epoch: number, step: number, stepsPerEpoch: number, loss: number): void {
    const modelDone = (epoch - 1) * stepsPerEpoch + step;
    if (!this.stepsBefore.has(role)) {
      this.stepsBefore.set(role, modelDone - 1);
    }
    this.stepsDone.set(role, modelDone);
    const sum = (steps: Map<ModelRole, number>): number => [...steps.values()].reduce((total, count) => total + count, 0);
    const done = sum(this.stepsDone);
    const total = 2 * this.fitConfig.epochs * stepsPerEpoch;
    const elapsed = (performance.now() - this.started) / 1000;
    this.onProgress?.({
      model: role, epoch, epochs: this.fitConfig.epochs, step, stepsPerEpoch,
      loss, bitsPerDim: bitsPerDim(loss, this.images),
      etaSeconds: (elapsed / (done - sum(this.stepsBefore))) * (total - done),
    });
  }
}

/** Epoch records in a stable order: by epoch, semantic before background. */
export function sortHistory(history: EpochRecord[]): EpochRecord[] {
  return history.sort((a, b) => a.epoch - b.epoch || (a.model === b.model ? 0 : a.model === 'semantic' ? -1 : 1));
}

/**
 * Trains the semantic model on `images` and the background model on mutated copies, one after the
 * other in this process, each with its own Adam state. Reports progress, honours `signal` between
 * batches, and stops on a non-finite loss. (`fitModelsInWorkers` trains both at once.)
 */
export async function fitModels(images: ImageSet, options: FitOptions = {}): Promise<FitResult> {
  const fitConfig = resolveFitConfig(options);
  const started = performance.now();
  const split = splitValidation(images, fitConfig);
  const tracker = new FitProgressTracker(fitConfig, images, options.onProgress);
  const history: EpochRecord[] = [];
  const hooksFor = (role: ModelRole): TrainModelHooks => ({
    signal: options.signal,
    lossReadInterval: options.lossReadInterval,
    trainingEngine: options.trainingEngine,
    ...(options.checkpointFolder ? { checkpointFile: checkpointFile(options.checkpointFolder, role) } : {}),
    onResume: (epochsDone) => options.onResume?.(role, epochsDone),
    ...(options.onCheckpointSetAside ? { onCheckpointSetAside: (reason: string) => options.onCheckpointSetAside?.(role, reason) } : {}),
    onStep: (epoch, step, stepsPerEpoch, loss) => tracker.step(role, epoch, step, stepsPerEpoch, loss),
    onEpoch: (record) => {
      history.push(record);
      options.onEpoch?.(record);
    },
  });
  const semantic = await trainModel('semantic', split, fitConfig, modelConfigFor('semantic', options, fitConfig), hooksFor('semantic'));
  let background: PixelCnn;
  try {
    background = await trainModel('background', split, fitConfig, modelConfigFor('background', options, fitConfig), hooksFor('background'));
  } catch (error) {
    semantic.dispose();
    throw error;
  }
  return { semantic, background, fitConfig, history: sortHistory(history), seconds: (performance.now() - started) / 1000 };
}

/** Bits per dimension of a per-image NLL in nats. */
export function bitsPerDim(nllNats: number, images: ImageSet): number {
  return nllNats / (imageSize(images.shape) * Math.LN2);
}

interface EpochContext {
  readonly role: ModelRole;
  /** This model's training's dropout seed, from which each step's is drawn. */
  readonly dropoutSeed: number;
  readonly epoch: number;
  readonly fitConfig: FitConfig;
  readonly shuffle: Uint32Array;
  /** Steps taken before this epoch, and in the whole training, for the learning-rate schedule. */
  readonly firstStep: number;
  readonly totalSteps: number;
  readonly lossReadInterval: number;
  readonly signal?: AbortSignal;
  readonly onStep: (step: number, latestLoss: number) => void;
}

/** One pass over `data`; returns the epoch's mean loss. Losses stay on the device between reads. */
async function trainEpoch(stepper: ModelStepper, data: ImageSet, context: EpochContext): Promise<number> {
  const { batchSize } = context.fitConfig;
  const steps = Math.ceil(data.count / batchSize);
  let pending: tf.Scalar[] = [];
  let lossSum = 0;
  let lossCount = 0;
  let latest = Number.NaN;
  const readPending = async (step: number): Promise<void> => {
    if (pending.length === 0) {
      return;
    }
    const stacked = tf.stack(pending);
    const values = await stacked.data();
    tf.dispose([stacked, ...pending]);
    pending = [];
    for (const value of values) {
      if (!Number.isFinite(value)) {
        throw new NonFiniteLossError(context.role, context.epoch, step, value);
      }
      lossSum += value;
      lossCount++;
      latest = value;
    }
  };
  try {
    for (let step = 1; step <= steps; step++) {
      throwIfAborted(context.signal, 'training');
      const indices = context.shuffle.subarray((step - 1) * batchSize, Math.min(step * batchSize, data.count));
      const learningRate = scheduledLearningRate(context.fitConfig, context.firstStep + step - 1, context.totalSteps);
      // Dropout seeded by the seed, the model and the step: a resumed training draws the masks it would have.
      const dropoutSeed = pcgHash((context.dropoutSeed ^ pcgHash(context.firstStep + step - 1)) >>> 0);
      pending.push(stepper.step(data, indices, learningRate, dropoutSeed));
      if (step % context.lossReadInterval === 0 || step === steps) {
        await readPending(step);
      } else {
        await yieldToEventLoop();
      }
      context.onStep(step, latest);
    }
  } finally {
    tf.dispose(pending);
  }
  return lossSum / lossCount;
}

/** Mean NLL per image of `images` under `model`, dropout off. */
async function meanNll(model: PixelCnn, images: ImageSet, batchSize: number, signal?: AbortSignal): Promise<number> {
  let total = 0;
  for (let start = 0; start < images.count; start += batchSize) {
    throwIfAborted(signal, 'validation');
    const end = Math.min(start + batchSize, images.count);
    const sum = tf.tidy(() => tf.sum(model.logProb(rangeBatch(images, start, end))));
    total -= (await sum.data())[0];
    sum.dispose();
  }
  return total / images.count;
}
