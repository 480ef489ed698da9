import * as tf from '@tensorflow/tfjs-core';
import { PixelCnn } from '../pixelcnn';
import type { PixelCnnConfig } from '../pixelcnn';
import { SeededRandom } from '../random/seededRandom';
import { throwIfAborted, yieldToEventLoop } from './abort';
import { SEED_FIT_CONFIG } from './constants';
import type { ImageSet } from './imageSet';
import { gatherBatch, imageSize, rangeBatch, selectImages } from './imageSet';
import { mutate } from './mutate';
import type { EpochRecord, FitConfig, FitOptions, ModelRole } from './types';

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

/**
 * Trains the semantic model on `images` and the background model on mutated copies (fresh
 * mutations each epoch, as Ren et al.'s input pipeline), epoch by epoch in turn, each with its own
 * Adam state. Reports progress, honours `signal` between batches, and stops on a non-finite loss.
 */
export async function fitModels(images: ImageSet, options: FitOptions = {}): Promise<FitResult> {
  const fitConfig = resolveFitConfig(options);
  const started = performance.now();
  const random = new SeededRandom(fitConfig.seed);
  const order = random.permutation(images.count);
  const validationCount = Math.floor(images.count * fitConfig.validationFraction);
  const validation = validationCount > 0 ? selectImages(images, order.subarray(0, validationCount)) : null;
  const training = validationCount > 0 ? selectImages(images, order.subarray(validationCount)) : images;
  if (training.count === 0) {
    throw new Error('no images to train on');
  }

  const semanticConfig: Partial<PixelCnnConfig> = options.semanticConfig ?? {};
  const backgroundConfig: Partial<PixelCnnConfig> = { ...(options.backgroundConfig ?? semanticConfig), l2Weight: fitConfig.l2Background };
  const models: Record<ModelRole, PixelCnn> = {
    semantic: new PixelCnn(images.shape, semanticConfig, fitConfig.seed * 2 + 1),
    background: new PixelCnn(images.shape, backgroundConfig, fitConfig.seed * 2 + 2),
  };
  const history: EpochRecord[] = [];
  try {
    for (const model of Object.values(models)) {
      model.setOptimizer({ learningRate: fitConfig.learningRate });
    }
    const stepsPerEpoch = Math.ceil(training.count / fitConfig.batchSize);
    const totalSteps = 2 * fitConfig.epochs * stepsPerEpoch;
    let stepsDone = 0;
    for (let epoch = 1; epoch <= fitConfig.epochs; epoch++) {
      for (const role of ['semantic', 'background'] as const) {
        const data = role === 'semantic' ? training : { ...training, pixels: mutate(training.pixels, { rate: fitConfig.mutationRate, seed: fitConfig.seed * 7919 + epoch }) };
        const epochStarted = performance.now();
        const loss = await trainEpoch(models[role], data, {
          role,
          epoch,
          fitConfig,
          shuffle: random.permutation(training.count),
          lossReadInterval: options.lossReadInterval ?? 10,
          signal: options.signal,
          onStep: (step, latestLoss) => {
            stepsDone++;
            const elapsed = (performance.now() - started) / 1000;
            options.onProgress?.({
              model: role, epoch, epochs: fitConfig.epochs, step, stepsPerEpoch,
              loss: latestLoss, bitsPerDim: bitsPerDim(latestLoss, images),
              etaSeconds: (elapsed / stepsDone) * (totalSteps - stepsDone),
            });
          },
        });
        const validationLoss = validation ? await meanNll(models[role], validation, fitConfig.batchSize, options.signal) : null;
        const record: EpochRecord = {
          model: role, epoch, loss, bitsPerDim: bitsPerDim(loss, images),
          validationLoss, validationBitsPerDim: validationLoss === null ? null : bitsPerDim(validationLoss, images),
          seconds: (performance.now() - epochStarted) / 1000,
        };
        history.push(record);
        options.onEpoch?.(record);
      }
    }
  } catch (error) {
    models.semantic.dispose();
    models.background.dispose();
    throw error;
  }
  return { ...models, fitConfig, history, seconds: (performance.now() - started) / 1000 };
}

/** Bits per dimension of a per-image NLL in nats. */
export function bitsPerDim(nllNats: number, images: ImageSet): number {
  return nllNats / (imageSize(images.shape) * Math.LN2);
}

interface EpochContext {
  readonly role: ModelRole;
  readonly epoch: number;
  readonly fitConfig: FitConfig;
  readonly shuffle: Uint32Array;
  readonly lossReadInterval: number;
  readonly signal?: AbortSignal;
  readonly onStep: (step: number, latestLoss: number) => void;
}

/** One pass over `data`; returns the epoch's mean loss. Losses stay on the device between reads. */
async function trainEpoch(model: PixelCnn, data: ImageSet, context: EpochContext): Promise<number> {
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
      const batch = gatherBatch(data, indices);
      pending.push(model.trainStep(batch));
      batch.dispose();
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
