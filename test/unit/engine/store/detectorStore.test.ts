import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { selectBackend } from '../../../../src/engine/backend/selectBackend';
import type { ImageSet } from '../../../../src/engine/llr';
import { LlrDetector, toImageSet } from '../../../../src/engine/llr';
import { fingerprintImages, loadDetector, readDetectorManifest, saveDetector, writeFileAtomic, writeFolderAtomic } from '../../../../src/engine/store';

const TINY = { numResnet: 1, numHierarchies: 2, numFilters: 4, numLogisticMix: 2, dropoutP: 0 } as const;

function images(count: number, seed: number): ImageSet {
  return toImageSet(Uint8Array.from({ length: count * 6 * 6 * 3 }, (_, i) => (i * 13 + seed * 7) % 256), [6, 6, 3]);
}

describe('detector folders', () => {
  let root: string;
  let detector: LlrDetector;

  before(async function () {
    this.timeout(120_000);
    await selectBackend('wasm');
    detector = await LlrDetector.fit(images(16, 1), { epochs: 1, batchSize: 8, semanticConfig: TINY, l2Background: 5, seed: 3 });
    await detector.inferThreshold(images(8, 2), { method: 'percentile', percentile: 90 });
  });
  after(() => detector.dispose());
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'outlier-lens-store-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('round-trips: a loaded detector gives identical scores, threshold, configuration and history', async () => {
    const folder = path.join(root, 'detectors', 'fashion');
    const train = images(16, 1);
    await saveDetector(detector, folder, { backend: 'wasm: test', data: fingerprintImages(train, 'synthetic'), trainingSeconds: 1.5 });
    const { detector: loaded, manifest } = await loadDetector(folder);
    try {
      const probe = images(5, 9);
      const expected = await detector.score(probe);
      const actual = await loaded.score(probe);
      assert.deepEqual(Array.from(actual.instanceScore), Array.from(expected.instanceScore));
      assert.deepEqual(loaded.threshold, detector.threshold);
      assert.deepEqual(loaded.fitConfig, detector.fitConfig);
      assert.equal(loaded.background.config.l2Weight, 5);
      assert.equal(manifest.name, 'fashion');
      assert.equal(manifest.data?.imageCount, 16);
      assert.equal(manifest.history.length, 2);
    } finally {
      loaded.dispose();
    }
  });

  it('leaves no half detector when writing fails midway, and keeps an older one intact', async () => {
    const folder = path.join(root, 'det');
    await saveDetector(detector, folder, { backend: 'wasm' });
    const before = fs.readFileSync(path.join(folder, 'manifest.json'), 'utf8');
    await assert.rejects(
      writeFolderAtomic(folder, async (temp) => {
        fs.writeFileSync(path.join(temp, 'manifest.json'), '{"half":');
        throw new Error('killed');
      }),
      /killed/,
    );
    assert.equal(fs.readFileSync(path.join(folder, 'manifest.json'), 'utf8'), before);
    assert.deepEqual(fs.readdirSync(root), ['det'], 'no temporary folder left behind');
  });

  it('replaces a file atomically: a reader sees the old or the new content, and no temp file stays', async () => {
    const file = path.join(root, 'export.json');
    await writeFileAtomic(file, 'old');
    await writeFileAtomic(file, 'new');
    assert.equal(fs.readFileSync(file, 'utf8'), 'new');
    assert.deepEqual(fs.readdirSync(root), ['export.json']);
  });

  it('refuses a wrong format version, a shape mismatch and missing weights with clear errors', async () => {
    const folder = path.join(root, 'det');
    await saveDetector(detector, folder, { backend: 'wasm' });
    const manifestPath = path.join(folder, 'manifest.json');
    const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));

    fs.writeFileSync(manifestPath, JSON.stringify({ ...manifest, formatVersion: 7 }));
    await assert.rejects(loadDetector(folder), /detector format version 7 is newer than this Outlier Lens reads \(1–2\); update Outlier Lens/);
    fs.writeFileSync(manifestPath, JSON.stringify({ ...manifest, formatVersion: 0 }));
    await assert.rejects(loadDetector(folder), /detector format version 0 is not supported/);

    // A version 1 detector (before calibration) still loads, without a calibration.
    const { calibration, ...versionOne } = manifest;
    assert.equal(calibration, null);
    fs.writeFileSync(manifestPath, JSON.stringify({ ...versionOne, formatVersion: 1 }));
    assert.equal((await readDetectorManifest(folder)).calibration, null);

    const reference = { llr: [1, 2], semanticLogProb: [-3, -2], brightness: [10, 20], entropy: [1, 2], sharpness: [5, 6] };
    const good = { version: 1, source: 'test', imageCount: 2, reference };
    fs.writeFileSync(manifestPath, JSON.stringify({ ...manifest, calibration: good }));
    assert.deepEqual((await readDetectorManifest(folder)).calibration, good);
    fs.writeFileSync(manifestPath, JSON.stringify({ ...manifest, calibration: { ...good, reference: { ...reference, llr: [2, 1] } } }));
    await assert.rejects(readDetectorManifest(folder), /field "calibration" must be null or/);

    fs.writeFileSync(manifestPath, JSON.stringify({ ...manifest, imageShape: [28, 28, 1] }));
    await assert.rejects(loadDetector(folder), /the semantic model is for 6×6×3 images but the manifest says 28×28×1/);

    fs.writeFileSync(manifestPath, JSON.stringify({ ...manifest, fit: { ...manifest.fit, epochs: 'ten' } }));
    await assert.rejects(readDetectorManifest(folder), /field "fit" must be/);

    fs.writeFileSync(manifestPath, JSON.stringify({ ...manifest, fit: { ...manifest.fit, learningRateSchedule: 'cosine' } }));
    await assert.rejects(readDetectorManifest(folder), /field "fit" must be a fit configuration whose learningRateSchedule is constant or linear/);

    // A detector written before the schedule was a setting trained at a constant rate, and still loads.
    const { learningRateSchedule, ...olderFit } = manifest.fit;
    assert.equal(learningRateSchedule, 'constant');
    fs.writeFileSync(manifestPath, JSON.stringify({ ...manifest, fit: olderFit }));
    assert.equal((await readDetectorManifest(folder)).fit.learningRateSchedule, 'constant');

    fs.writeFileSync(manifestPath, JSON.stringify(manifest));
    fs.rmSync(path.join(folder, 'background', 'weights.bin'));
    await assert.rejects(loadDetector(folder), /background: missing weights\.bin/);

    fs.writeFileSync(manifestPath, '{ not json');
    await assert.rejects(readDetectorManifest(folder), /manifest\.json is not valid JSON/);
    await assert.rejects(readDetectorManifest(root), /no manifest\.json: not a detector folder/);
  });
});
