import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../../../../src/engine/backend/selectBackend';
import { loadOnnxRuntime } from '../../../../../src/engine/onnx/onnxRuntime';
import { createSyncSession } from '../../../../../src/engine/onnx/syncSession';
import { fillStepDropoutMasks } from '../../../../../src/engine/onnx/training/dropoutMasks';
import { GraphTrainer } from '../../../../../src/engine/onnx/training/graphTrainer';
import { STEP_GRAPH_IO, stepGraph } from '../../../../../src/engine/onnx/training/stepGraph';
import type { PixelCnn, PixelCnnConfig } from '../../../../../src/engine/pixelcnn';
import { PRESETS } from '../../../../../src/engine/pixelcnn';
import { pcgHash } from '../../../../../src/engine/random/pcgHash';
import { perturbedModel } from '../perturbedModel';
import { relativeError } from './opHarness';

const SHAPE: [number, number, number] = [12, 12, 1];
const ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };

function flatWeights(model: PixelCnn): Float32Array {
  return Float32Array.from([...model.variables.values()].flatMap((variable) => Array.from(variable.dataSync() as Float32Array)));
}

function variablesOf(model: PixelCnn): Array<{ name: string; shape: number[] }> {
  return [...model.variables.entries()].map(([name, variable]) => ({ name, shape: variable.shape }));
}

/** Pixels that reach both edges (0 and 255) and everything between. */
function testPixels(count: number, seed: number, shape: readonly number[] = SHAPE): Uint8Array {
  return Uint8Array.from({ length: count * shape[0] * shape[1] * shape[2] }, (_, i) => (i % 17 === 0 ? 0 : i % 19 === 0 ? 255 : (i * 37 + seed * 11) % 256));
}

/**
 * `spread` moves the weights off their initial values (perturbedModel) as far as keeps the loss
 * O(10³) nats: the seed model moved by 0.05 had a loss of 1.3·10⁶ nats on these images, and its
 * first layer's gradient then differed from TensorFlow.js's by 9e-4 of its largest value.
 */
const PRESET_CASES: Array<{ title: string; config: PixelCnnConfig; spread: number; shape?: [number, number, number] }> = [
  { title: 'fast preset, gray', config: PRESETS.fast, spread: 0.05 },
  { title: 'seed preset, gray, dropout 0.3', config: PRESETS.seed, spread: 0.01 },
  { title: 'fast preset, gray, the background model\'s L2 term (λ = 50)', config: { ...PRESETS.fast, l2Weight: 50 }, spread: 0.05 },
  { title: 'fast preset, RGB with channel coefficients, 2 components', config: { ...PRESETS.fast, numLogisticMix: 2 }, spread: 0.05, shape: [12, 12, 3] },
];

const runtime = loadOnnxRuntime();

(runtime.runtime ? describe : describe.skip)('Training graph: a whole step against the TensorFlow.js path (skipped where onnxruntime-node does not load)', () => {
  before(async () => {
    await selectBackend('wasm');
  });

  for (const { title, config, spread, shape = SHAPE } of PRESET_CASES) {
    it(`gives the loss and every weight's gradient of TensorFlow.js's step, same weights, batch and dropout masks (${title}, 1e-4)`, () => {
      const model = perturbedModel(shape, config, 5, spread);
      try {
        const batch = 3;
        const graph = stepGraph({ config: model.config, imageShape: model.imageShape, batch, variables: variablesOf(model), adam: ADAM, withGradient: true });
        const session = createSyncSession(graph.model, 1);
        assert.ok(session, 'onnxruntime-node loads');
        const stepSeed = 1234;
        const masks = graph.dropoutShapes.map((maskShape) => new Float32Array(maskShape.reduce((a, b) => a * b, 1)));
        fillStepDropoutMasks(masks, graph.dropoutShapes, config.dropoutP, stepSeed, Number.POSITIVE_INFINITY);
        const weights = flatWeights(model);
        const pixels = testPixels(batch, 1, shape);
        const io = STEP_GRAPH_IO;
        const results = session.runAll(
          {
            [io.pixels]: { values: pixels, dims: [batch, ...shape] },
            [io.weights]: { values: weights, dims: [weights.length] },
            [io.first]: { values: new Float32Array(weights.length), dims: [weights.length] },
            [io.second]: { values: new Float32Array(weights.length), dims: [weights.length] },
            [io.negativeLearningRate]: { values: Float32Array.of(-1e-3), dims: [] },
            [io.firstCorrection]: { values: Float32Array.of(0.1), dims: [] },
            [io.secondCorrection]: { values: Float32Array.of(0.001), dims: [] },
            ...Object.fromEntries(masks.map((mask, index) => [io.dropoutMask(index), { values: mask, dims: graph.dropoutShapes[index] }])),
          },
          [io.loss, io.gradient],
        );
        session.release();
        assert.equal(graph.dropoutShapes.length > 0, config.dropoutP > 0, 'masks exactly where there is dropout');
        const variables = [...model.variables.values()];
        const expected = tf.tidy(() => {
          const images = tf.tensor4d(Float32Array.from(pixels), [batch, ...shape]);
          // The seed trainStep gives its only pass.
          const { value, grads } = tf.variableGrads(() => model.loss(images, true, pcgHash((stepSeed ^ pcgHash(0)) >>> 0)), variables);
          return { loss: value.dataSync()[0], gradient: Float32Array.from(variables.flatMap((variable) => Array.from(grads[variable.name].dataSync()))) };
        });
        assert.ok(Math.abs(results[io.loss].values[0] - expected.loss) <= 1e-5 * Math.abs(expected.loss), `loss ${results[io.loss].values[0]} against ${expected.loss}`);
        let offset = 0;
        for (const [name, variable] of model.variables) {
          const ours = results[io.gradient].values.subarray(offset, offset + variable.size);
          const theirs = expected.gradient.subarray(offset, offset + variable.size);
          assert.ok(relativeError(ours, theirs) < 1e-4, `${name}: ${relativeError(ours, theirs)}`);
          offset += variable.size;
        }
      } finally {
        model.dispose();
      }
    });
  }

  it('ends k = 4 Adam steps with the TensorFlow.js path\'s weights and moments (seed preset, dropout, two passes a step, a changing learning rate)', async () => {
    const config: Partial<PixelCnnConfig> = { ...PRESETS.seed, numFilters: 8 };
    const model = perturbedModel(SHAPE, config, 9, 0.01);
    const trainer = new GraphTrainer({ config: model.config, imageShape: model.imageShape, variables: variablesOf(model), adam: { learningRate: 1e-3 } }, flatWeights(model));
    try {
      model.setOptimizer({ learningRate: 1e-3 });
      const batch = 4;
      for (let step = 0; step < 4; step++) {
        const pixels = testPixels(batch, step + 2);
        const learningRate = 1e-3 * (1 - step / 8);
        const seed = pcgHash(step + 100);
        model.setLearningRate(learningRate);
        const images = tf.tensor4d(Float32Array.from(pixels), [batch, ...SHAPE]);
        const expectedLoss = model.trainStep(images, 2, seed);
        const loss = trainer.step(pixels, batch, learningRate, seed, 2);
        assert.ok(Math.abs(loss - expectedLoss.dataSync()[0]) <= 1e-5 * Math.abs(loss), `step ${step}: loss ${loss} against ${expectedLoss.dataSync()[0]}`);
        tf.dispose([images, expectedLoss]);
      }
      assert.ok(relativeError(trainer.weights, flatWeights(model)) < 1e-4, `weights: ${relativeError(trainer.weights, flatWeights(model))}`);
      const state = await model.optimizerState();
      const ours = trainer.optimizerState();
      assert.ok(state && ours);
      assert.ok(relativeError(ours.first, state.first) < 1e-4, `first moments: ${relativeError(ours.first, state.first)}`);
      assert.ok(relativeError(ours.second, state.second) < 1e-4, `second moments: ${relativeError(ours.second, state.second)}`);
      assert.equal(ours.accumulatedBeta1, state.accumulatedBeta1);
      assert.equal(ours.accumulatedBeta2, state.accumulatedBeta2);
    } finally {
      trainer.dispose();
      model.dispose();
    }
  });
});
