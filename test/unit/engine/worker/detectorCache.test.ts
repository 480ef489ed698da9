import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { selectBackend } from '../../../../src/engine/backend/selectBackend';
import { LlrDetector, toImageSet } from '../../../../src/engine/llr';
import { fingerprintImages, saveDetector } from '../../../../src/engine/store';
import { DetectorCache } from '../../../../src/engine/worker/detectorCache';

const TINY = { numResnet: 1, numHierarchies: 2, numFilters: 4, numLogisticMix: 1, dropoutP: 0 } as const;

describe('The engine worker’s detector cache', () => {
  let root: string;
  let folder: string;

  before(async function () {
    this.timeout(120_000);
    await selectBackend('wasm');
    const images = toImageSet(Uint8Array.from({ length: 8 * 6 * 6 }, (_, i) => (i * 29) % 256), [6, 6, 1]);
    const detector = await LlrDetector.fit(images, { epochs: 1, batchSize: 8, semanticConfig: TINY, seed: 1 });
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'outlier-lens-cache-'));
    folder = path.join(root, 'tiny');
    await saveDetector(detector, folder, { backend: 'wasm: test', data: fingerprintImages(images, 'synthetic'), trainingSeconds: 1 });
    detector.dispose();
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('readies a detector for scoring once, when a request first scores with it, not when it only samples', async () => {
    const prepared: LlrDetector[] = [];
    const cache = new DetectorCache(2, async (detector) => {
      prepared.push(detector);
    });
    const sampling = await cache.acquire(folder, false);
    assert.equal(prepared.length, 0, 'sampling prepared no scoring');
    sampling.release();
    const [first, second] = await Promise.all([cache.acquire(folder), cache.acquire(folder)]);
    assert.equal(prepared.length, 1, 'two scoring requests prepared it once');
    assert.equal(prepared[0], first.detector);
    assert.equal(first.detector, sampling.detector, 'the loaded detector was kept');
    first.release();
    second.release();
  });
});
