import * as assert from 'node:assert/strict';
import type * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../../../src/engine/backend/selectBackend';
import { resolveFitConfig, splitValidation, trainModel } from '../../../../src/engine/llr/fit';
import type { EpochRecord, ImageSet } from '../../../../src/engine/llr';
import { toImageSet } from '../../../../src/engine/llr';
import { createModelStepper, resolveTrainingEngine } from '../../../../src/engine/llr/modelStepper';
import type { TrainingEngine } from '../../../../src/engine/llr/types';
import { loadOnnxRuntime } from '../../../../src/engine/onnx/onnxRuntime';
import { PixelCnn, PRESETS } from '../../../../src/engine/pixelcnn';

const TINY = { numResnet: 1, numHierarchies: 2, numFilters: 8, numLogisticMix: 2, dropoutP: 0.3 } as const;

function images(count: number, channels: number): ImageSet {
  return toImageSet(Uint8Array.from({ length: count * 8 * 8 * channels }, (_, i) => (Math.floor(i / 8) * 17 + (i % 8) * 9 + ((i * 7919) % 13)) % 256), [8, 8, channels]);
}

async function train(engine: TrainingEngine, records: EpochRecord[], steps: number[] = []): Promise<PixelCnn> {
  const fitConfig = resolveFitConfig({ epochs: 3, batchSize: 8, learningRate: 3e-3, learningRateSchedule: 'linear', l2Background: 10, mutationRate: 0.2, seed: 3, validationFraction: 0.2 });
  return trainModel('background', splitValidation(images(50, 1), fitConfig), fitConfig, { ...TINY, l2Weight: 10 }, {
    trainingEngine: engine, lossReadInterval: 1,
    onEpoch: (record) => records.push(record),
    onStep: (_epoch, step) => steps.push(step),
  });
}

(loadOnnxRuntime().runtime ? describe : describe.skip)('training engines (skipped where onnxruntime-node does not load)', function () {
  this.timeout(180_000);
  before(async () => {
    await selectBackend('wasm');
  });

  it('trains on the onnx-cpu engine to the tfjs engine\'s losses, validation losses and weights on the same seed (dropout, L2, mutations, a decaying rate; 1e-4 relative)', async () => {
    const [tfjsRecords, onnxRecords]: EpochRecord[][] = [[], []];
    const onnxSteps: number[] = [];
    const expected = await train('tfjs', tfjsRecords);
    const actual = await train('onnx-cpu', onnxRecords, onnxSteps);
    try {
      assert.deepEqual(onnxSteps, [1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 1, 2, 3, 4, 5], 'progress after every step of the three epochs');
      assert.equal(onnxRecords.length, 3);
      onnxRecords.forEach((record, index) => {
        const other = tfjsRecords[index];
        assert.ok(Math.abs(record.loss - other.loss) <= 1e-4 * other.loss, `epoch ${record.epoch}: loss ${record.loss} against ${other.loss}`);
        assert.ok(Math.abs((record.validationLoss as number) - (other.validationLoss as number)) <= 1e-4 * (other.validationLoss as number), `epoch ${record.epoch}: validation ${record.validationLoss} against ${other.validationLoss}`);
      });
      assert.ok(onnxRecords[2].loss < onnxRecords[0].loss, 'the loss falls');
      for (const [name, variable] of expected.variables) {
        const theirs = variable.dataSync();
        const ours = (actual.variables.get(name) as tf.Variable).dataSync();
        const scale = Math.max(...Array.from(theirs, Math.abs));
        const worst = Math.max(...Array.from(ours, (value, index) => Math.abs(value - theirs[index])));
        assert.ok(worst <= 1e-4 * scale, `${name}: ${worst} of ${scale}`);
      }
    } finally {
      expected.dispose();
      actual.dispose();
    }
  });

  it('auto picks onnx-cpu for gray and RGB models on a CPU backend, tfjs for weight norm; onnx-cpu refuses weight norm naming why', async () => {
    const gray = new PixelCnn([8, 8, 1], { ...PRESETS.fast, numHierarchies: 2 }, 1);
    const rgb = new PixelCnn([8, 8, 3], { ...PRESETS.fast, numHierarchies: 2 }, 1);
    const normed = new PixelCnn([8, 8, 1], { ...PRESETS.fast, numHierarchies: 2, useWeightNorm: true }, 1);
    try {
      assert.equal(resolveTrainingEngine('auto', gray), 'onnx-cpu');
      assert.equal(resolveTrainingEngine('auto', rgb), 'onnx-cpu');
      assert.equal(resolveTrainingEngine('auto', normed), 'tfjs');
      assert.equal(resolveTrainingEngine('tfjs', gray), 'tfjs');
    } finally {
      [gray, rgb, normed].forEach((model) => model.dispose());
    }
    const fitConfig = resolveFitConfig({ epochs: 1, batchSize: 8, seed: 1 });
    await assert.rejects(
      trainModel('semantic', splitValidation(images(8, 1), fitConfig), fitConfig, { ...TINY, useWeightNorm: true }, { trainingEngine: 'onnx-cpu' }),
      /^Error: the onnx-cpu training engine cannot run here: the ONNX training graph does not take weight norm$/,
    );
  });
});

(loadOnnxRuntime().runtime ? describe : describe.skip)('the onnx-cuda training engine (skipped where onnxruntime-node does not load)', () => {
  it('trains on CUDA where its libraries load, and otherwise fails at once naming the provider and what it needs', async function () {
    await selectBackend('cpu');
    const model = new PixelCnn([4, 4, 1], PRESETS.fast, 1);
    try {
      const stepper = await createModelStepper('onnx-cuda', model, 1e-3);
      const images = toImageSet(Uint8Array.from({ length: 2 * 16 }, (_, i) => (i * 37) % 256), [4, 4, 1]);
      let failure: Error | null = null;
      try {
        stepper.step(images, [0, 1], 1e-3, 7).dispose();
      } catch (error) {
        failure = error as Error;
      } finally {
        stepper.dispose();
      }
      if (failure === null) {
        this.skip(); // a machine with ONNX Runtime's CUDA libraries: nothing to check here
      }
      assert.match(failure.message, /^ONNX Runtime's cuda provider cannot run the training graph here: .+ \(its libraries, libonnxruntime_providers_cuda\.so and libonnxruntime_providers_shared\.so, .+CUDA 12 and cuDNN 9\)$/);
    } finally {
      model.dispose();
    }
  });
});
