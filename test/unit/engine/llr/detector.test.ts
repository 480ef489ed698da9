import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import type { ImageSet } from '../../../../src/engine/llr';
import { AbortError, LlrDetector, NonFiniteLossError, toImageSet } from '../../../../src/engine/llr';
import { percentile } from '../../../../src/common/metrics/percentile';
import { auroc } from '../../../../src/common/metrics/auroc';
import { splitByClass } from '../../../../src/common/metrics/scoresByClass';
import { describeOnEachBackend } from '../backendMatrix';
import { readFloats } from '../readback';

const SIZE = 8;
const TINY = { numResnet: 1, numHierarchies: 2, numFilters: 8, numLogisticMix: 1, dropoutP: 0 } as const;

/** Noisy horizontal gradients with a random level and slope (the "in-distribution" data). */
function gradientImages(count: number, seed: number): ImageSet {
  let state = seed;
  const random = (): number => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
  const pixels = new Uint8Array(count * SIZE * SIZE);
  for (let n = 0; n < count; n++) {
    const level = 40 + random() * 100;
    const slope = 5 + random() * 10;
    for (let row = 0; row < SIZE; row++) {
      for (let col = 0; col < SIZE; col++) {
        pixels[(n * SIZE + row) * SIZE + col] = Math.round(level + slope * col + 12 * (random() - 0.5));
      }
    }
  }
  return toImageSet(pixels, [SIZE, SIZE, 1]);
}

/** The same gradients mirrored (falling left to right): the same pixel statistics, the other structure. */
function mirroredImages(count: number, seed: number): ImageSet {
  const rising = gradientImages(count, seed);
  const pixels = rising.pixels.map((_, i) => rising.pixels[i - (i % SIZE) + (SIZE - 1 - (i % SIZE))]);
  return toImageSet(pixels, [SIZE, SIZE, 1]);
}

describeOnEachBackend('LLR detector', () => {
  let detector: LlrDetector;
  const progress: Array<{ model: string; epoch: number; step: number }> = [];
  const train = gradientImages(96, 1);

  before(async function () {
    this.timeout(600_000);
    detector = await LlrDetector.fit(train, {
      epochs: 8, batchSize: 8, learningRate: 1e-3, mutationRate: 0.2, seed: 5, validationFraction: 0.25,
      semanticConfig: TINY, lossReadInterval: 2,
      onProgress: (update) => progress.push(update),
    });
  });
  after(() => detector?.dispose());

  it('trains both models with progress and per-epoch history, including validation NLL', () => {
    const epochs = detector.history.map((record) => `${record.model}:${record.epoch}`);
    assert.deepEqual(epochs.slice(0, 4), ["semantic:1", "background:1", "semantic:2", "background:2"]);
    assert.equal(epochs.length, 16);
    for (const record of detector.history) {
      assert.ok(Number.isFinite(record.loss) && Number.isFinite(record.validationLoss ?? Number.NaN));
      assert.ok(Math.abs(record.bitsPerDim - record.loss / (SIZE * SIZE * Math.LN2)) < 1e-9);
    }
    const semanticLosses = detector.history.filter((record) => record.model === 'semantic').map((record) => record.loss);
    assert.ok(semanticLosses[7] < semanticLosses[0], `semantic loss ${semanticLosses.join(' → ')}`);
    assert.ok(progress.some((update) => update.model === 'background'));
    assert.equal(progress.length, 2 * 8 * Math.ceil(72 / 8));
  });

  it('scores an image as −(log p_semantic − log p_background), summed over pixels, in input order', async () => {
    const images = mirroredImages(5, 9);
    const scores = await detector.score(images, { batchSize: 2 });
    const semantic = await readFloats(tf.tidy(() => detector.semantic.logProb(tf.tensor4d(Float32Array.from(images.pixels), [5, SIZE, SIZE, 1]))));
    const background = await readFloats(tf.tidy(() => detector.background.logProb(tf.tensor4d(Float32Array.from(images.pixels), [5, SIZE, SIZE, 1]))));
    for (let i = 0; i < 5; i++) {
      assert.ok(Math.abs(scores.semanticLogProb[i] - semantic[i]) < 1e-3);
      assert.ok(Math.abs(scores.instanceScore[i] - (background[i] - semantic[i])) < 1e-3);
    }
  });

  it('gives per-pixel feature scores that sum to the instance score', async () => {
    const images = gradientImages(3, 17);
    const instance = await detector.score(images);
    const feature = await detector.featureScores(images, { batchSize: 2 });
    assert.equal(feature.featureScore.length, 3 * SIZE * SIZE);
    for (let n = 0; n < 3; n++) {
      const sum = feature.featureScore.subarray(n * SIZE * SIZE, (n + 1) * SIZE * SIZE).reduce((total, value) => total + value, 0);
      assert.ok(Math.abs(sum - instance.instanceScore[n]) < 1e-2 * Math.max(1, Math.abs(sum)), `${sum} vs ${instance.instanceScore[n]}`);
    }
  });

  it('gives unseen images of the training kind a higher semantic likelihood than mirrored ones (AUROC > 0.8)', async () => {
    const inliers = await detector.score(gradientImages(24, 77));
    const outliers = await detector.score(mirroredImages(24, 78));
    const scores = [...inliers.semanticLogProb, ...outliers.semanticLogProb].map((logProb) => -logProb);
    const separation = auroc(splitByClass(scores, (i) => i >= 24));
    assert.ok(separation > 0.8, `AUROC ${separation}`);
  });

  it('infers thresholds by percentile, by false-positive rate and by value, and predicts with the alibi layout', async () => {
    const images = gradientImages(20, 5);
    const { instanceScore } = await detector.score(images);
    const byPercentile = await detector.inferThreshold(images, { method: 'percentile', percentile: 80 });
    assert.ok(Math.abs(byPercentile.value - percentile(instanceScore, 80)) < 1e-6);
    const byFpr = await detector.inferThreshold(images, { method: 'fpr', fpr: 0.1 });
    assert.ok(Math.abs(byFpr.value - percentile(instanceScore, 90)) < 1e-6);
    await detector.inferThreshold(null, { method: 'absolute', value: byPercentile.value });
    const prediction = await detector.predict(images, { batchSize: 7, returnFeatureScore: false });
    assert.deepEqual(prediction.meta, { name: 'LLR', detectorType: 'outlier', dataType: 'image', version: prediction.meta.version });
    assert.equal(prediction.data.featureScore, null);
    assert.equal(prediction.data.isOutlier.reduce((sum, flag) => sum + flag, 0), instanceScore.filter((score) => score > byPercentile.value).length);
    const featurePrediction = await detector.predict(images, { outlierType: 'feature', returnInstanceScore: false });
    assert.equal(featurePrediction.data.instanceScore, null);
    assert.equal(featurePrediction.data.isOutlier.length, 20 * SIZE * SIZE);
  });

  it('stops training within one batch when cancelled, with an AbortError and no leaked tensors', async () => {
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    let stepsAfterAbort = 0;
    await assert.rejects(
      LlrDetector.fit(train, {
        epochs: 5, batchSize: 8, semanticConfig: TINY, seed: 1, signal: controller.signal,
        onProgress: (update) => {
          if (controller.signal.aborted) stepsAfterAbort++;
          if (update.step === 3) controller.abort();
        },
      }),
      AbortError,
    );
    assert.equal(stepsAfterAbort, 0);
    assert.equal(tf.memory().numTensors, before);
  });

  it('stops with a clear error when the loss stops being finite', async () => {
    await assert.rejects(
      LlrDetector.fit(train, { epochs: 1, batchSize: 16, learningRate: 1e30, semanticConfig: TINY, lossReadInterval: 1 }),
      (error: unknown) => error instanceof NonFiniteLossError && /semantic model: the loss became (NaN|-?Infinity)/.test((error as Error).message),
    );
  });
}, ['wasm']);
