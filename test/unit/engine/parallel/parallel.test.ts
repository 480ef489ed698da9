import * as assert from 'node:assert/strict';
import { selectBackend } from '../../../../src/engine/backend/selectBackend';
import type { ImageSet, ModelTrainer } from '../../../../src/engine/llr';
import { AbortError, LlrDetector, toImageSet } from '../../../../src/engine/llr';
import { fitModelsInWorkers } from '../../../../src/engine/parallel/fitInWorkers';
import { ScoringPool } from '../../../../src/engine/parallel/scoringPool';

/** The two models at once, a worker thread each, on wasm. */
const IN_WORKERS: ModelTrainer = (set, options) => fitModelsInWorkers(set, options, 'wasm');

const TINY = { numResnet: 1, numHierarchies: 2, numFilters: 4, numLogisticMix: 1, dropoutP: 0 } as const;

function images(count: number, seed: number): ImageSet {
  return toImageSet(Uint8Array.from({ length: count * 8 * 8 }, (_, i) => (Math.floor(i / 8) * 17 + (i % 8) * 9 + seed * 31) % 256), [8, 8, 1]);
}

describe('training and scoring on several cores (worker threads)', function () {
  this.timeout(180_000);
  before(async () => {
    await selectBackend('wasm');
  });

  it('trains the same two models in two worker threads as in one thread', async () => {
    const options = { epochs: 2, batchSize: 8, learningRate: 3e-3, semanticConfig: TINY, seed: 4, validationFraction: 0.25 };
    const inThread = await LlrDetector.fit(images(32, 1), options);
    const steps: string[] = [];
    const inWorkers = await LlrDetector.fit(images(32, 1), { ...options, onProgress: (update) => steps.push(update.model) }, { trainer: IN_WORKERS });
    try {
      const probe = images(6, 9);
      const expected = await inThread.score(probe);
      const actual = await inWorkers.score(probe);
      actual.instanceScore.forEach((score, i) => assert.ok(Math.abs(score - expected.instanceScore[i]) < 1e-3, `${score} vs ${expected.instanceScore[i]}`));
      assert.deepEqual(inWorkers.history.map((record) => `${record.model}:${record.epoch}`), ['semantic:1', 'background:1', 'semantic:2', 'background:2']);
      assert.deepEqual(inWorkers.history.map((record) => record.loss), inThread.history.map((record) => record.loss));
      assert.ok(steps.includes('semantic') && steps.includes('background'));
    } finally {
      inThread.dispose();
      inWorkers.dispose();
    }
  });

  it('scores with two worker threads exactly as in this thread, in input order', async () => {
    const detector = await LlrDetector.fit(images(16, 2), { epochs: 1, batchSize: 8, semanticConfig: TINY });
    try {
      const probe = images(37, 5);
      const expected = await detector.score(probe, { batchSize: 4 });
      // The same two models, built to score in two worker threads (it owns them from here on).
      const pooled = new LlrDetector(detector.semantic, detector.background, detector.fitConfig, [], {
        onnxRuntimeThreads: null,
        workers: { count: 2, start: (semantic, background) => new ScoringPool(semantic, background, 'wasm', 2) },
      });
      try {
        const progress: number[] = [];
        const actual = await pooled.score(probe, { batchSize: 4, onProgress: (done) => progress.push(done) });
        assert.deepEqual(Array.from(actual.instanceScore), Array.from(expected.instanceScore));
        assert.deepEqual(Array.from(actual.semanticLogProb), Array.from(expected.semanticLogProb));
        assert.equal(progress[progress.length - 1], 37);
        const again = await pooled.score(images(9, 6), { batchSize: 4 });
        assert.equal(again.instanceScore.length, 9);
      } finally {
        pooled.dispose();
      }
    } catch (error) {
      detector.dispose();
      throw error;
    }
  });

  it('stops both workers within a batch when cancelled', async () => {
    const controller = new AbortController();
    await assert.rejects(
      LlrDetector.fit(images(64, 3), {
        epochs: 5, batchSize: 8, semanticConfig: TINY, signal: controller.signal,
        onProgress: (update) => {
          if (update.step === 2) controller.abort();
        },
      }, { trainer: IN_WORKERS }),
      AbortError,
    );
  });
});
