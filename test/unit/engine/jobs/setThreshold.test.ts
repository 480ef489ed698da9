import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { selectBackend } from '../../../../src/engine/backend/selectBackend';
import type { JobSink } from '../../../../src/engine/jobs/jobSink';
import { setThreshold } from '../../../../src/engine/jobs/setThreshold';
import { LlrDetector } from '../../../../src/engine/llr';
import { loadImageFolder } from '../../../../src/engine/scan';
import { fingerprintImages, loadDetector, readDetectorManifest, saveDetector } from '../../../../src/engine/store';
import { percentile } from '../../../../src/common/metrics/percentile';
import { writePatternPngFolder } from '../../support/patternPngFolder';

const TINY = { numResnet: 1, numHierarchies: 2, numFilters: 4, numLogisticMix: 1, dropoutP: 0 } as const;

const silent: JobSink = { progress: () => undefined, log: () => undefined };

describe('The setThreshold job', function () {
  this.timeout(120_000);
  let root: string;
  let detectorFolder: string;

  before(async () => {
    await selectBackend('wasm');
    root = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'outlier-lens-threshold-job-'));
    await writePatternPngFolder(path.join(root, 'images'), 12);
    const loaded = await loadImageFolder(path.join(root, 'images'), [28, 28, 1]);
    const detector = await LlrDetector.fit(loaded.images, { epochs: 1, batchSize: 6, semanticConfig: TINY, seed: 2 });
    detectorFolder = path.join(root, 'detector');
    await saveDetector(detector, detectorFolder, { backend: 'wasm: test', data: fingerprintImages(loaded.images, 'patterns'), trainingSeconds: 1 });
    detector.dispose();
  });
  after(async () => {
    await fs.promises.rm(root, { recursive: true, force: true });
  });

  it("sets a percentile of the folder's scores and saves it as the detector's threshold, keeping its name and data", async () => {
    const { detector, manifest } = await loadDetector(detectorFolder);
    try {
      const folder = path.join(root, 'images');
      const threshold = await setThreshold({ detector, manifest, detectorFolder, folder, request: { method: 'percentile', percentile: 75 } }, silent);
      const scores = (await detector.score((await loadImageFolder(folder, detector.imageShape)).images)).instanceScore;
      assert.ok(Math.abs(threshold.value - percentile(scores, 75)) < 1e-3, `${threshold.value} against ${percentile(scores, 75)}`);
      const saved = await readDetectorManifest(detectorFolder);
      assert.deepEqual(saved.threshold, threshold);
      assert.equal(saved.name, manifest.name);
      assert.deepEqual(saved.data, manifest.data);
    } finally {
      detector.dispose();
    }
  });

  it('sets an absolute value without a folder, and refuses a percentile without one', async () => {
    const { detector, manifest } = await loadDetector(detectorFolder);
    try {
      const threshold = await setThreshold({ detector, manifest, detectorFolder, request: { method: 'absolute', value: 12.5 } }, silent);
      assert.equal(threshold.value, 12.5);
      assert.equal((await readDetectorManifest(detectorFolder)).threshold?.value, 12.5);
      await assert.rejects(setThreshold({ detector, manifest, detectorFolder, request: { method: 'percentile', percentile: 90 } }, silent), /needs a folder/);
    } finally {
      detector.dispose();
    }
  });
});
