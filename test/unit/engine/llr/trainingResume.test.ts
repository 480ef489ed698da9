import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../../../src/engine/backend/selectBackend';
import { resolveFitConfig, splitValidation, trainModel } from '../../../../src/engine/llr/fit';
import type { TrainModelHooks } from '../../../../src/engine/llr/fit';
import type { EpochRecord, FitOptions, ImageSet } from '../../../../src/engine/llr';
import { AbortError, LlrDetector, toImageSet } from '../../../../src/engine/llr';
import type { PixelCnn } from '../../../../src/engine/pixelcnn';
import { checkpointFile, readTrainingCheckpoint, TrainingCheckpointError } from '../../../../src/engine/store/trainingCheckpoint';
import { fitModelsInWorkers } from '../../../../src/engine/parallel/fitInWorkers';

// Dropout on: its masks are seeded by the fit's seed and the step, so a resumed training draws the ones it would have.
const TINY = { numResnet: 1, numHierarchies: 2, numFilters: 4, numLogisticMix: 1, dropoutP: 0.3 } as const;

function images(count: number, seed: number): ImageSet {
  return toImageSet(Uint8Array.from({ length: count * 8 * 8 }, (_, i) => (Math.floor(i / 8) * 17 + (i % 8) * 9 + seed * 31 + ((i * 7919) % 13)) % 256), [8, 8, 1]);
}

/** A training record without its wall-clock time, which differs from run to run. */
function withoutTime(record: EpochRecord): Partial<EpochRecord> {
  return { ...record, seconds: undefined };
}

/** Every weight's values, by name. */
async function weightValues(model: PixelCnn): Promise<Record<string, number[]>> {
  const weights = model.getWeights();
  const entries = await Promise.all(Object.entries(weights).map(async ([name, tensor]) => [name, Array.from(await tensor.data())] as const));
  tf.dispose(weights);
  return Object.fromEntries(entries);
}

for (const trainingEngine of ['tfjs', 'onnx-cpu'] as const) describe(`resuming training from a checkpoint (${trainingEngine} engine)`, function () {
  this.timeout(180_000);
  let folder: string;
  before(async () => {
    await selectBackend('wasm');
  });
  beforeEach(async () => {
    folder = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'outlier-lens-checkpoint-'));
  });
  afterEach(async () => {
    await fs.promises.rm(folder, { recursive: true, force: true });
  });

  // The background model: its data are mutated afresh each epoch, it has the L2 term, and the rate decays over all epochs.
  const fitConfig = resolveFitConfig({ epochs: 3, batchSize: 8, learningRate: 3e-3, learningRateSchedule: 'linear', l2Background: 10, mutationRate: 0.2, seed: 5, validationFraction: 0.25 });
  const train = (hooks: TrainModelHooks = {}, config = fitConfig): Promise<PixelCnn> =>
    trainModel('background', splitValidation(images(40, 1), config), config, { ...TINY, l2Weight: config.l2Background }, { trainingEngine, ...hooks });

  it('stopped after its first epoch and started again, ends with the weights, Adam state and epoch records of an uninterrupted run, bit for bit', async () => {
    const straightRecords: EpochRecord[] = [];
    const straight = await train({ onEpoch: (record) => straightRecords.push(record) });

    const file = checkpointFile(folder, 'background');
    const controller = new AbortController();
    await assert.rejects(
      train({
        checkpointFile: file, signal: controller.signal,
        onEpoch: (record) => {
          if (record.epoch === 1) {
            controller.abort();
          }
        },
      }),
      AbortError,
    );
    const saved = await readTrainingCheckpoint(file);
    assert.equal(saved?.epochsDone, 1, 'the first epoch was saved before the stop');

    const resumedRecords: EpochRecord[] = [];
    const resumedFrom: number[] = [];
    const resumed = await train({ checkpointFile: file, onEpoch: (record) => resumedRecords.push(record), onResume: (epochs) => resumedFrom.push(epochs) });
    try {
      assert.deepEqual(resumedFrom, [1]);
      assert.deepEqual(resumedRecords.map(withoutTime), straightRecords.map(withoutTime), 'the saved epoch reported again, then epochs 2 and 3 with the same losses');
      assert.deepEqual(await weightValues(resumed), await weightValues(straight));
      const [resumedAdam, straightAdam] = await Promise.all([resumed.optimizerState(), straight.optimizerState()]);
      assert.deepEqual(resumedAdam, straightAdam);
      assert.equal((await readTrainingCheckpoint(file))?.epochsDone, 3, 'each epoch saved, the last too');
    } finally {
      straight.dispose();
      resumed.dispose();
    }
  });

  it('does not resume other training from a checkpoint: another seed is an error naming the file, and the checkpoint stays', async () => {
    const file = checkpointFile(folder, 'background');
    const oneEpoch = resolveFitConfig({ ...fitConfig, epochs: 1 });
    (await train({ checkpointFile: file }, oneEpoch)).dispose();
    const before = await fs.promises.readFile(file);
    await assert.rejects(train({ checkpointFile: file }, resolveFitConfig({ ...oneEpoch, seed: 6 })), (error: Error) => {
      assert.ok(error instanceof TrainingCheckpointError);
      assert.ok(error.message.startsWith(`${file}: a checkpoint of other training`), error.message);
      return true;
    });
    assert.deepEqual(await fs.promises.readFile(file), before);
  });

  it('a truncated or foreign checkpoint is an error naming the file and the reason, never a silent fresh start', async () => {
    const file = checkpointFile(folder, 'background');
    (await train({ checkpointFile: file }, resolveFitConfig({ ...fitConfig, epochs: 1 }))).dispose();
    const bytes = await fs.promises.readFile(file);
    await fs.promises.writeFile(file, bytes.subarray(0, bytes.length - 100));
    await assert.rejects(train({ checkpointFile: file }), new RegExp(`^TrainingCheckpointError: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: holds \\d+ bytes where its header needs \\d+ \\(a truncated or corrupted file\\)`));
    await fs.promises.writeFile(file, 'model.json');
    await assert.rejects(train({ checkpointFile: file }), /: not an Outlier Lens training checkpoint$/);
  });

  it('with onCheckpointSetAside, a checkpoint of other training or a damaged one is reported and replaced, and training runs as from scratch', async () => {
    const file = checkpointFile(folder, 'background');
    const oneEpoch = resolveFitConfig({ ...fitConfig, epochs: 1 });
    const fresh = await train({}, oneEpoch);
    (await train({ checkpointFile: file }, resolveFitConfig({ ...oneEpoch, seed: 6 }))).dispose(); // other training's checkpoint
    const reasons: string[] = [];
    const resumedFrom: number[] = [];
    const replacing = await train({ checkpointFile: file, onCheckpointSetAside: (reason) => reasons.push(reason), onResume: (epochs) => resumedFrom.push(epochs) }, oneEpoch);
    try {
      assert.deepEqual(reasons, [`${file}: a checkpoint of other training (the background model, with other images or settings)`]);
      assert.deepEqual(resumedFrom, [], 'nothing resumed from it');
      assert.deepEqual(await weightValues(replacing), await weightValues(fresh), 'the same model as a run without checkpoints');
    } finally {
      fresh.dispose();
      replacing.dispose();
    }
    // The replacement is this training's own: the same training now goes on from it (all its epochs done).
    const again: number[] = [];
    (await train({ checkpointFile: file, onCheckpointSetAside: (reason) => reasons.push(reason), onResume: (epochs) => again.push(epochs) }, oneEpoch)).dispose();
    assert.deepEqual(again, [1]);
    assert.equal(reasons.length, 1);

    await fs.promises.writeFile(file, 'model.json');
    (await train({ checkpointFile: file, onCheckpointSetAside: (reason) => reasons.push(reason) }, oneEpoch)).dispose();
    assert.equal(reasons[1], `${file}: not an Outlier Lens training checkpoint`);
    assert.equal((await readTrainingCheckpoint(file))?.epochsDone, 1, 'the damaged file replaced after the epoch');
  });

  it('a fit in two worker threads, cancelled after an epoch, goes on from the checkpoints it saved to the uninterrupted fit', async () => {
    const options: FitOptions = { epochs: 2, batchSize: 8, learningRate: 3e-3, learningRateSchedule: 'linear', l2Background: 10, semanticConfig: TINY, seed: 4, trainingEngine };
    const inWorkers = { trainer: (set: ImageSet, fitOptions: FitOptions) => fitModelsInWorkers(set, fitOptions, 'wasm') };
    const straight = await LlrDetector.fit(images(32, 2), options, inWorkers);
    // Cancelled at the first epoch either model reports: the workers start at different moments, so the
    // other model may have saved no epoch, one, or (the slower one still running) both by then.
    const controller = new AbortController();
    await assert.rejects(
      LlrDetector.fit(images(32, 2), { ...options, checkpointFolder: folder, signal: controller.signal, onEpoch: () => controller.abort() }, inWorkers),
      AbortError,
    );
    const saved = new Map<string, number>();
    for (const role of ['semantic', 'background'] as const) {
      const checkpoint = await readTrainingCheckpoint(checkpointFile(folder, role));
      if (checkpoint) {
        saved.set(role, checkpoint.epochsDone);
      }
    }
    assert.ok([...saved.values()].some((epochs) => epochs >= 1), `a model saved its first epoch before the stop: ${JSON.stringify([...saved])}`);
    const resumedFrom = new Map<string, number>();
    const resumed = await LlrDetector.fit(images(32, 2), { ...options, checkpointFolder: folder, onResume: (model, epochs) => resumedFrom.set(model, epochs) }, inWorkers);
    try {
      assert.deepEqual(resumedFrom, saved, 'each model went on from the epochs it saved');
      assert.deepEqual(resumed.history.map(withoutTime), straight.history.map(withoutTime));
      const probe = images(5, 7);
      const [expected, actual] = [await straight.score(probe), await resumed.score(probe)];
      assert.deepEqual(Array.from(actual.instanceScore), Array.from(expected.instanceScore));
    } finally {
      straight.dispose();
      resumed.dispose();
    }
  });
});
