import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../../../src/engine/backend/selectBackend';
import { LlrDetector, TENSORFLOW_SCORING, toImageSet } from '../../../../src/engine/llr';
import { scoringFor } from '../../../../src/engine/strategies/chooseStrategies';
import type { FitConfig } from '../../../../src/engine/llr/types';
import { NativeLogProb } from '../../../../src/engine/onnx/nativeLogProb';
import { loadOnnxRuntime, ONNX_RUNTIME_VARIABLE } from '../../../../src/engine/onnx/onnxRuntime';
import type { PixelCnnConfig } from '../../../../src/engine/pixelcnn';
import { PRESETS } from '../../../../src/engine/pixelcnn';
import { readFloats } from '../readback';
import { ScoringPool } from '../../../../src/engine/parallel/scoringPool';
import { cpuWorkerCount } from '../../../../src/engine/parallel/workerCount';
import { perturbedModel } from './perturbedModel';

/** Pixels that reach both edges (0 and 255) and everything between. */
function testPixels(count: number, shape: readonly number[]): Uint8Array {
  const size = shape[0] * shape[1] * shape[2];
  return Uint8Array.from({ length: count * size }, (_, i) => (i % 17 === 0 ? 0 : i % 19 === 0 ? 255 : (i * 37 + 11) % 256));
}

function largestRelativeDifference(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  assert.equal(actual.length, expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i])));
  }
  return worst;
}

const runtime = loadOnnxRuntime();
const FIT: FitConfig = { epochs: 0, batchSize: 1, learningRate: 1e-3, mutationRate: 0.2, learningRateSchedule: 'constant', l2Background: 0, seed: 0, validationFraction: 0 };

(runtime.runtime ? describe : describe.skip)('Native scoring on ONNX Runtime (skipped where onnxruntime-node does not load or OUTLIER_LENS_ONNX_RUNTIME=off)', () => {
  before(async () => {
    await selectBackend('wasm');
  });

  const cases: Array<{ title: string; shape: [number, number, number]; config: Partial<PixelCnnConfig> }> = [
    { title: 'gray, seed preset layout', shape: [12, 12, 1], config: { ...PRESETS.seed, numFilters: 8 } },
    { title: 'RGB, 3 mixture components, 3 hierarchies, odd sizes', shape: [11, 13, 3], config: { ...PRESETS.fast, numLogisticMix: 3, numHierarchies: 3 } },
    { title: 'weight norm, elu, a 5×5 receptive field', shape: [9, 10, 1], config: { ...PRESETS.fast, useWeightNorm: true, resnetActivation: 'elu', receptiveFieldDims: [5, 5] } },
    { title: 'RGB, relu, a 3×5 receptive field', shape: [8, 8, 3], config: { ...PRESETS.fast, resnetActivation: 'relu', receptiveFieldDims: [3, 5] } },
  ];
  for (const { title, shape, config } of cases) {
    it(`gives PixelCnn.logProb's log-likelihoods per image (1e-4 relative) and per pixel (1e-3, as between backends; ${title})`, async () => {
      const model = perturbedModel(shape, config, 31);
      const native = NativeLogProb.create(model, 1);
      assert.ok(native, 'onnxruntime-node loads, so its sessions can be made');
      try {
        const pixels = testPixels(3, shape);
        const batch = tf.tensor4d(Float32Array.from(pixels), [3, ...shape]);
        const expectedPerImage = await readFloats(tf.tidy(() => model.logProb(batch)));
        const expectedPerPixel = await readFloats(tf.tidy(() => model.logProb(batch, { perPixel: true })));
        batch.dispose();
        const tensorsBefore = tf.memory().numTensors;
        const perImage = await native.logProb(pixels, 3, false);
        const perPixel = await native.logProb(pixels, 3, true);
        assert.equal(tf.memory().numTensors, tensorsBefore, 'no tensors left behind');
        assert.ok(largestRelativeDifference(perImage, expectedPerImage) < 1e-4, `per image ${perImage} vs ${expectedPerImage}`);
        assert.ok(largestRelativeDifference(perPixel, expectedPerPixel) < 1e-3, `per pixel: ${largestRelativeDifference(perPixel, expectedPerPixel)}`);
      } finally {
        native.dispose();
        model.dispose();
      }
    });
  }

  it('makes a detector score and feature-score as on TensorFlow.js, and says what scores', async () => {
    const shape: [number, number, number] = [10, 10, 1];
    const config = { ...PRESETS.fast, numFilters: 8 };
    const onTensorflowOnly = new LlrDetector(perturbedModel(shape, config, 3), perturbedModel(shape, config, 4), FIT);
    const detector = new LlrDetector(perturbedModel(shape, config, 3), perturbedModel(shape, config, 4), FIT, [], scoringFor('wasm'));
    try {
      const images = toImageSet(testPixels(7, shape), shape);
      const onTensorflow = await onTensorflowOnly.score(images, { batchSize: 3 });
      const featuresOnTensorflow = await onTensorflowOnly.featureScores(images, { batchSize: 3 });
      assert.equal(onTensorflowOnly.scoresNatively, false);
      assert.equal(await onTensorflowOnly.prepareScoring(), 'TensorFlow.js');
      const scoring = await detector.prepareScoring();
      assert.ok(detector.scoresNatively);
      const workers = cpuWorkerCount('wasm');
      assert.match(scoring, workers >= 2 ? /^ONNX Runtime 1\.\d+\.\d+ \(\d+ threads\); instance scores in \d+ worker threads, one thread each$/ : /^ONNX Runtime 1\.\d+\.\d+ \(1 thread\)$/);
      // Seven images in batches of 3 are past two batches: on two or more cores the worker threads score them.
      const onNative = await detector.score(images, { batchSize: 3 });
      const featuresOnNative = await detector.featureScores(images, { batchSize: 3 });
      assert.ok(largestRelativeDifference(onNative.instanceScore, onTensorflow.instanceScore) < 1e-3);
      assert.ok(largestRelativeDifference(onNative.semanticLogProb, onTensorflow.semanticLogProb) < 1e-4);
      assert.ok(largestRelativeDifference(featuresOnNative.featureScore, featuresOnTensorflow.featureScore) < 1e-3);
      assert.deepEqual(scoringFor('webgpu'), TENSORFLOW_SCORING, 'a GPU backend scores on itself');
    } finally {
      detector.dispose();
      onTensorflowOnly.dispose();
    }
  });

  it('scores in worker threads on ONNX Runtime, one thread each, in input order, as TensorFlow.js does in this thread', async () => {
    const shape: [number, number, number] = [10, 10, 1];
    const config = { ...PRESETS.fast, numFilters: 8 };
    const semantic = perturbedModel(shape, config, 5);
    const background = perturbedModel(shape, config, 6);
    const pool = new ScoringPool(semantic, background, 'wasm', 2, true);
    try {
      const images = toImageSet(testPixels(11, shape), shape);
      const batch = tf.tensor4d(Float32Array.from(images.pixels), [11, ...shape]);
      const expectedSemantic = await readFloats(tf.tidy(() => semantic.logProb(batch)));
      const expectedBackground = await readFloats(tf.tidy(() => background.logProb(batch)));
      batch.dispose();
      const pooled = await pool.score(images, 2);
      assert.ok(pooled.onnxRuntime, 'both workers scored on ONNX Runtime');
      assert.ok(largestRelativeDifference(pooled.semanticLogProb, expectedSemantic) < 1e-4);
      assert.ok(largestRelativeDifference(pooled.backgroundLogProb, expectedBackground) < 1e-4);
    } finally {
      await pool.dispose();
      semantic.dispose();
      background.dispose();
    }
  });

  it('closes its worker threads between two batches when disposed while scoring (never terminated inside a native call)', async () => {
    const shape: [number, number, number] = [10, 10, 1];
    const config = { ...PRESETS.fast, numFilters: 8 };
    const semantic = perturbedModel(shape, config, 7);
    const background = perturbedModel(shape, config, 8);
    const pool = new ScoringPool(semantic, background, 'wasm', 2, true);
    try {
      let disposing: Promise<void> | null = null;
      const scoring = pool.score(toImageSet(testPixels(200, shape), shape), 2, undefined, () => {
        disposing ??= pool.dispose();
      });
      await assert.rejects(scoring, /the model worker stopped \(exit code 0\)/);
      await disposing;
    } finally {
      semantic.dispose();
      background.dispose();
    }
  });

  it(`stays on TensorFlow.js, saying why, with ${ONNX_RUNTIME_VARIABLE}=off or for a network it cannot export (one-row images)`, async () => {
    const config = { ...PRESETS.fast, numFilters: 8 };
    const onOneThread = { onnxRuntimeThreads: 1, workers: null };
    const oneRow = new LlrDetector(perturbedModel([1, 6, 1], config, 3), perturbedModel([1, 6, 1], config, 4), FIT, [], onOneThread);
    const switchedOff = new LlrDetector(perturbedModel([4, 6, 1], config, 3), perturbedModel([4, 6, 1], config, 4), FIT, [], onOneThread);
    const previous = process.env[ONNX_RUNTIME_VARIABLE];
    try {
      assert.match(await oneRow.prepareScoring(), /^TensorFlow\.js \(ONNX Runtime cannot run this network: layer 'init\/vertical' reads only padding/);
      const scores = await oneRow.score(toImageSet(testPixels(2, [1, 6, 1]), [1, 6, 1]));
      assert.ok(scores.instanceScore.every(Number.isFinite));
      process.env[ONNX_RUNTIME_VARIABLE] = 'off';
      assert.equal(await switchedOff.prepareScoring(), `TensorFlow.js (${ONNX_RUNTIME_VARIABLE}=off)`);
      assert.equal(switchedOff.scoresNatively, false);
    } finally {
      if (previous === undefined) delete process.env[ONNX_RUNTIME_VARIABLE];
      else process.env[ONNX_RUNTIME_VARIABLE] = previous;
      oneRow.dispose();
      switchedOff.dispose();
    }
  });
});
