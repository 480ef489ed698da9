import * as assert from 'node:assert/strict';
import { selectBackend } from '../../../../../src/engine/backend/selectBackend';
import { loadOnnxRuntime } from '../../../../../src/engine/onnx/onnxRuntime';
import type { SyncInput, SyncSession } from '../../../../../src/engine/onnx/syncSession';
import { createSyncSession } from '../../../../../src/engine/onnx/syncSession';
import { fillStepDropoutMasks } from '../../../../../src/engine/onnx/training/dropoutMasks';
import { GraphTrainer } from '../../../../../src/engine/onnx/training/graphTrainer';
import { STEP_GRAPH_IO, stepGraph } from '../../../../../src/engine/onnx/training/stepGraph';
import { PixelCnn, PRESETS } from '../../../../../src/engine/pixelcnn';
import type { PixelCnnConfig } from '../../../../../src/engine/pixelcnn';
import { relativeError } from './opHarness';

/** A session on the WebGPU provider, or why none can be made here (no Vulkan driver: see scripts/webgpu-on-cpu.sh). */
function webgpuSession(model: Uint8Array): SyncSession | string {
  try {
    return createSyncSession(model, 1, 'webgpu') ?? 'onnxruntime-node does not load';
  } catch (error) {
    return error instanceof Error ? error.message.split('\n')[0] : String(error);
  }
}

// Runs under scripts/webgpu-on-cpu.sh (lavapipe): the first run compiles every shader, about a minute there.
(loadOnnxRuntime().runtime ? describe : describe.skip)('Training graph on ONNX Runtime\'s WebGPU provider — on webgpu (skipped without a Vulkan device)', function () {
  this.timeout(600_000);
  before(async () => {
    await selectBackend('cpu');
  });

  const cases: Array<{ title: string; config: PixelCnnConfig; shape: [number, number, number] }> = [
    { title: 'fast preset, gray', config: PRESETS.fast, shape: [12, 12, 1] },
    { title: 'seed layout with dropout, RGB', config: { ...PRESETS.seed, numFilters: 8 }, shape: [8, 8, 3] },
  ];
  for (const { title, config, shape } of cases) {
    it(`gives the CPU provider's loss and gradients for one step (${title}; 1e-4)`, function () {
      const model = new PixelCnn(shape, config, 3);
      const batch = 2;
      const variables = [...model.variables.entries()].map(([name, variable]) => ({ name, shape: variable.shape }));
      const weights = Float32Array.from([...model.variables.values()].flatMap((variable) => Array.from(variable.dataSync() as Float32Array)));
      model.dispose();
      const graph = stepGraph({ config: model.config, imageShape: shape, batch, variables, adam: { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }, withGradient: true });
      const gpu = webgpuSession(graph.model);
      if (typeof gpu === 'string') {
        this.skip();
      }
      const cpu = createSyncSession(graph.model, 1) as SyncSession;
      const masks = graph.dropoutShapes.map((maskShape) => new Float32Array(maskShape.reduce((a, b) => a * b, 1)));
      fillStepDropoutMasks(masks, graph.dropoutShapes, config.dropoutP, 11, Number.POSITIVE_INFINITY);
      const io = STEP_GRAPH_IO;
      const vector = (values: Float32Array): SyncInput => ({ values, dims: [values.length] });
      const feeds: Record<string, SyncInput> = {
        [io.pixels]: { values: Uint8Array.from({ length: batch * shape[0] * shape[1] * shape[2] }, (_, i) => (i % 13 === 0 ? 0 : i % 11 === 0 ? 255 : (i * 97) % 256)), dims: [batch, ...shape] },
        [io.weights]: vector(weights),
        [io.first]: vector(new Float32Array(weights.length)),
        [io.second]: vector(new Float32Array(weights.length)),
        [io.negativeLearningRate]: { values: Float32Array.of(-1e-3), dims: [] },
        [io.firstCorrection]: { values: Float32Array.of(0.1), dims: [] },
        [io.secondCorrection]: { values: Float32Array.of(0.001), dims: [] },
        ...Object.fromEntries(masks.map((mask, index) => [io.dropoutMask(index), { values: mask, dims: graph.dropoutShapes[index] }])),
      };
      try {
        const [expected, actual] = [cpu, gpu].map((session) => session.runAll(feeds, [io.loss, io.gradient, io.updatedFirst]));
        assert.ok(Math.abs(actual[io.loss].values[0] - expected[io.loss].values[0]) <= 1e-5 * Math.abs(expected[io.loss].values[0]), `loss ${actual[io.loss].values[0]} against ${expected[io.loss].values[0]}`);
        assert.ok(relativeError(actual[io.gradient].values, expected[io.gradient].values) < 1e-4, `gradient: ${relativeError(actual[io.gradient].values, expected[io.gradient].values)}`);
        // Adam's first moments are linear in the gradient (its first update, ≈ lr · sign(g), is not: a near-zero gradient's sign is noise).
        assert.ok(relativeError(actual[io.updatedFirst].values, expected[io.updatedFirst].values) < 1e-4);
      } finally {
        cpu.release();
        gpu.release();
      }
    });
  }
});

/** Weights after `steps` Adam steps of a trainer on `provider`, or why it cannot run here. */
function trainedWeights(provider: 'cpu' | 'webgpu', config: PixelCnnConfig, shape: [number, number, number], steps: number): Float32Array | string {
  const model = new PixelCnn(shape, config, 5);
  const variables = [...model.variables.entries()].map(([name, variable]) => ({ name, shape: variable.shape }));
  const weights = Float32Array.from([...model.variables.values()].flatMap((variable) => Array.from(variable.dataSync() as Float32Array)));
  model.dispose();
  const trainer = new GraphTrainer({ config, imageShape: shape, variables, adam: { learningRate: 1e-3 }, provider }, weights);
  const pixels = Uint8Array.from({ length: 2 * shape[0] * shape[1] * shape[2] }, (_, i) => (i * 53) % 256);
  try {
    for (let step = 0; step < steps; step++) {
      trainer.step(pixels, 2, 1e-3, 100 + step);
    }
    return Float32Array.from(trainer.weights);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    trainer.dispose();
  }
}

(loadOnnxRuntime().runtime ? describe : describe.skip)('The onnx-webgpu training engine — on webgpu (skipped without a Vulkan device)', function () {
  this.timeout(600_000);

  it("ends three Adam steps with the onnx-cpu engine's weights (fast preset, gray; 1e-4)", function () {
    const shape: [number, number, number] = [12, 12, 1];
    const gpu = trainedWeights('webgpu', PRESETS.fast, shape, 3);
    if (typeof gpu === 'string') {
      assert.match(gpu, /ONNX Runtime's webgpu provider cannot run the training graph here: /);
      this.skip();
    }
    const cpu = trainedWeights('cpu', PRESETS.fast, shape, 3) as Float32Array;
    assert.ok(relativeError(gpu, cpu) < 1e-4, `weights differ by ${relativeError(gpu, cpu)}`);
  });
});
