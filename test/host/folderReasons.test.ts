// Folder reasons (odd size, duplicates) judged by the host over every image of the panel's result
// set, cached or rescored: the engine process judges only the images it rescored.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as os from 'os';
import { DEBIAN_FASHION_MNIST_FOLDER, loadDataset } from '../../src/engine/data';
import type { ImageDataset } from '../../src/engine/data';
import { judgeFolder, measureDecodedImage } from '../../src/engine/signals';
import type { DetectorSummary } from '../../src/extension/detectors/detectorSummary';
import { GalleryPages } from '../../src/extension/panel/galleryPages';
import { HOST_JUDGE_LIMIT } from '../../src/extension/results/folderFindings';
import { judgeFolderFindings } from '../../src/extension/results/folderJudgement';
import { ResultSet } from '../../src/extension/results/resultSet';
import { ResultStore } from '../../src/extension/results/resultStore';
import { ResultsModel } from '../../src/extension/results/resultsModel';
import type { ScoredImage } from '../../src/protocol/scanResults';

const detector = { folder: '/d', manifestSha256: 'x', manifest: { name: 'fashion' } } as unknown as DetectorSummary;

/** A scored image of Fashion-MNIST test image `i`, measured as a scan measures it, its file `sourceSide` pixels square. */
function scored(dataset: ImageDataset, i: number, relativePath: string, sourceSide = 28): ScoredImage {
  const pixels = dataset.images.slice(i * 784, (i + 1) * 784);
  const measures = measureDecodedImage({ pixels, height: 28, width: 28, channels: 1, source: { width: sourceSide, height: sourceSide } });
  return { relativePath, instanceScore: (i * 7919) % 101, semanticLogProb: -1000, backgroundLogProb: -1000, size: 1, mtimeMs: 1, measures };
}


/** A result store in a fresh temporary folder. */
function testStore(): ResultStore {
  return ResultStore.create(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'folder-reasons-')), 'store.jsonl'), { kind: 'test' });
}

describe('folder reasons in the panel', function () {
  this.timeout(120_000);
  let dataset: ImageDataset;
  let cached: ScoredImage[];
  let rescored: ScoredImage[];

  before(async function () {
    if (!fs.existsSync(DEBIAN_FASHION_MNIST_FOLDER)) this.skip(); // needs `apt-get install dataset-fashion-mnist`
    dataset = await loadDataset('fashion-mnist', 'test');
    // Scored by an earlier run (from the results cache) …
    cached = Array.from({ length: 300 }, (_, i) => scored(dataset, i, `garments/${String(i).padStart(4, '0')}.png`));
    // … and rescored now: a copy of garment 0 (same pixels, another file) and a file twice as large as the rest.
    rescored = [scored(dataset, 0, 'copies/0000-copy.png'), scored(dataset, 300, 'large/0300.png', 56), scored(dataset, 301, 'garments/0301.png')];
  });

  it('groups a rescored copy with its cached original, which the rescored images alone cannot show', async () => {
    const engineAlone = judgeFolder(rescored, { oddSizes: true, duplicates: true });
    assert.deepStrictEqual(engineAlone.duplicates.exact, [], 'three rescored images hold no duplicate');

    const model = new ResultsModel();
    const set = new ResultSet('scan', '/folder', detector, testStore());
    model.show(set);
    set.add(cached, []);
    set.add(rescored, []);
    set.finish();
    await new Promise((resolve) => setTimeout(resolve, 10)); // the judge starts on a timer once the scan ends, on its own thread
    await model.folderFindingsNow();
    assert.ok(set.folderFindingsCurrent, 'judged once the scan ended');

    const findings = set.folderFindings;
    assert.deepStrictEqual(findings.duplicates.exact.map((group) => [...group].sort()), [['copies/0000-copy.png', 'garments/0000.png']]);
    assert.deepStrictEqual(set.reasonsOf(set.scoredImage('garments/0000.png') as ScoredImage), ['exact-duplicate']);
    assert.deepStrictEqual(set.reasonsOf(set.scoredImage('large/0300.png') as ScoredImage), ['odd-size']);
    assert.strictEqual(set.reasonsOf(set.scoredImage('garments/0301.png') as ScoredImage), undefined);

    const counts = set.reasonCounts();
    assert.strictEqual(counts['exact-duplicate'], 2);
    assert.strictEqual(counts['odd-size'], 1);
    assert.strictEqual(counts.any, 3 + (counts['near-duplicate'] ?? 0) - overlap(set));

    // The gallery's reason filter lists exactly those images, with the folder reasons on each item.
    const pages = new GalleryPages(set);
    const page = pages.page({ filter: 'all', sort: 'name', search: '', threshold: 0, reason: 'exact-duplicate' }, 0, 100);
    assert.strictEqual(page.total, 2);
    assert.deepStrictEqual(page.entries.map((entry) => (entry.kind === 'scored' ? [entry.image.relativePath, entry.reasons] : [])), [
      ['copies/0000-copy.png', ['exact-duplicate']],
      ['garments/0000.png', ['exact-duplicate']],
    ]);
    model.dispose();
  });

  it('judges again when more results arrive, and an export asks for the current findings', async () => {
    const model = new ResultsModel();
    const set = new ResultSet('scan', '/folder', detector, testStore());
    model.show(set);
    try {
      set.add(cached, []);
      assert.deepStrictEqual((await model.folderFindingsNow())?.duplicates.exact, []);
      set.add([rescored[0]], []);
      assert.ok(!set.folderFindingsCurrent);
      assert.strictEqual((await model.folderFindingsNow())?.duplicates.exact.length, 1);
      // A cached item that carries an older folder reason takes the whole folder's judgement instead.
      const stale: ScoredImage = { ...cached[1], relativePath: 'garments/stale.png', reasons: ['llr', 'odd-size'], measures: cached[1].measures && { ...cached[1].measures, pixelHash: 'unique' } };
      set.add([stale], []);
      await model.folderFindingsNow();
      const reasons = set.reasonsOf(set.scoredImage('garments/stale.png') as ScoredImage) ?? [];
      assert.ok(reasons.includes('llr') && !reasons.includes('odd-size'), reasons.join());
    } finally {
      model.dispose();
    }
  });

  it('judges again when images leave the results (moved or deleted): a copy left alone is no longer a duplicate', async () => {
    const model = new ResultsModel();
    const set = new ResultSet('scan', '/folder', detector, testStore());
    model.show(set);
    try {
      set.add([...cached.slice(0, 20), rescored[0]], []);
      set.finish();
      await model.folderFindingsNow();
      assert.deepStrictEqual(set.reasonsOf(set.scoredImage('garments/0000.png') as ScoredImage), ['exact-duplicate']);
      set.remove(['copies/0000-copy.png']);
      assert.ok(!set.folderFindingsCurrent, 'the removal asks for a new judgement');
      assert.deepStrictEqual((await model.folderFindingsNow())?.duplicates.exact, []);
      assert.strictEqual(set.reasonsOf(set.scoredImage('garments/0000.png') as ScoredImage), undefined);
    } finally {
      model.dispose();
    }
  });

  it('judges on a thread of its own: the host stays free while 60,000 images are grouped', async () => {
    const train = await loadDataset('fashion-mnist', 'train');
    const images = Array.from({ length: train.count }, (_, i) => scored(train, i, `train/${i}.png`));
    images.push({ ...images[123], relativePath: 'copies/123.png' });
    const model = new ResultsModel();
    const set = new ResultSet('scan', '/folder', detector, testStore());
    model.show(set);
    try {
      for (let i = 0; i < images.length; i += 5000) set.add(images.slice(i, i + 5000), []);
      set.finish();
      // The host's event loop keeps turning while the judgement runs: count its turns, and the longest gap between them.
      let turns = 0;
      let longestGapMs = 0;
      let last = performance.now();
      const ticker = setInterval(() => {
        turns++;
        longestGapMs = Math.max(longestGapMs, performance.now() - last);
        last = performance.now();
      }, 10);
      const started = performance.now();
      const findings = await model.folderFindingsNow();
      const judgedMs = performance.now() - started;
      clearInterval(ticker);
      console.log(`      judged ${findings?.judgedCount} images in ${judgedMs.toFixed(0)} ms; host timer turns ${turns}, longest gap ${longestGapMs.toFixed(0)} ms`);
      assert.strictEqual(findings?.judgedCount, images.length);
      assert.ok(findings?.duplicates.exact.some((group) => group.includes('copies/123.png') && group.includes('train/123.png')));
      assert.ok(turns > 0, 'the host turned while the thread judged');
    } finally {
      model.dispose();
    }
  });
});

describe('folder reasons past the host\'s limit', () => {
  it('are not judged in the editor past HOST_JUDGE_LIMIT images (grouping would block the extension host), and say so', () => {
    const copies = Array.from({ length: HOST_JUDGE_LIMIT + 1 }, (_, i): ScoredImage => ({ relativePath: `${i}.png`, instanceScore: 0, semanticLogProb: 0, backgroundLogProb: 0, size: 1, mtimeMs: 1 }));
    const findings = judgeFolderFindings(copies);
    assert.strictEqual(findings.skipped, true);
    assert.strictEqual(findings.judgedCount, HOST_JUDGE_LIMIT + 1);
    assert.strictEqual(findings.reasons.length, 0);
  });
});

/** Images with both near-duplicate and another folder reason (counted once under `any`). */
function overlap(set: ResultSet): number {
  return set.scoredByScore().filter((image) => (set.reasonsOf(image)?.length ?? 0) > 1).length;
}
