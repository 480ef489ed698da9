// The panel's ranking: the calibrated verdict over the signals the user switches on, each at its
// own cut, recomputed from the host's tail columns; or the LLR alone, today's order. The images are
// real Fashion-MNIST test images (and blank and noise images made here), measured and judged by the
// engine's own functions against a calibration of 500 other Fashion-MNIST images.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { selectedVerdict } from '../../src/common/verdict/signalSelection';
import { countReasons } from '../../src/common/gallery/galleryList';
import { DEBIAN_FASHION_MNIST_FOLDER, loadDataset } from '../../src/engine/data';
import { validateOutlierExport, type OutlierExport } from '../../src/engine/export/outlierExport';
import type { DetectorCalibration } from '../../src/engine/signals';
import type { DetectorSummary } from '../../src/extension/detectors/detectorSummary';
import { GalleryPages } from '../../src/extension/panel/galleryPages';
import { parseFromWebview } from '../../src/extension/panel/webviewMessages';
import { ResultCache } from '../../src/extension/results/resultCache';
import { ResultSet } from '../../src/extension/results/resultSet';
import { exportOutliers } from '../../src/extension/workflows/exportWorkflow';
import { CALIBRATED_SIGNALS } from '../../src/protocol/scanResults';
import type { CalibratedSignal, ScoredImage } from '../../src/protocol/scanResults';
import type { PageReply, RankingSettings, ScoredGalleryItem, ScoresSnapshot } from '../../src/protocol/webview';
import { fake, Uri } from './fakeVscode/fakeVscode';
import { activateExtension, tempFolder, waitFor } from './support/hostFixture';
import { SIDE, pixelsOf, standInCalibration, standInScan } from './support/standInCalibration';

/** Blank images at five grey levels and uniform noise, made here. */
function madeImages(): { name: string; pixels: Uint8Array }[] {
  let state = 7;
  const next = (): number => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
  const blanks = [0, 64, 128, 192, 255].map((level) => ({ name: `blank/${level}.png`, pixels: new Uint8Array(SIDE * SIDE).fill(level) }));
  const noise = Array.from({ length: 5 }, (_, i) => ({ name: `noise/${i}.png`, pixels: Uint8Array.from({ length: SIDE * SIDE }, () => Math.floor(next() * 256)) }));
  return [...blanks, ...noise];
}

describe('ranking by the calibrated verdict or by the LLR', function () {
  this.timeout(120_000);
  let calibration: DetectorCalibration;
  let images: ScoredImage[];
  let detector: DetectorSummary;

  before(async function () {
    if (!fs.existsSync(DEBIAN_FASHION_MNIST_FOLDER)) this.skip(); // needs `apt-get install dataset-fashion-mnist`
    const dataset = await loadDataset('fashion-mnist', 'test');
    calibration = standInCalibration(dataset, 'Fashion-MNIST test images 1000–1499');
    const scanned = [
      ...Array.from({ length: 400 }, (_, i) => ({ name: `garments/${String(i).padStart(4, '0')}.png`, pixels: pixelsOf(dataset, i) })),
      ...madeImages(),
    ];
    images = standInScan(scanned, calibration);
    detector = { folder: '/detector', manifestSha256: 'a'.repeat(64), manifest: { name: 'fashion', threshold: null, calibration } } as unknown as DetectorSummary;
  });

  /** A result set of the images, written to a cache and read back as a rescan reads it (every record copied from the cache). */
  async function cachedSet(): Promise<ResultSet> {
    const cache = new ResultCache(tempFolder('ranking-cache'));
    const store = cache.createStore('/folder', detector.folder, 'digest', 'first');
    const first = new ResultSet('first', '/folder', detector, store);
    first.add(images, []);
    first.finish();
    first.keepStoreAs(cache.fileFor('/folder', detector.folder));
    first.dispose();
    const reopened = await cache.read('/folder', detector.folder, 'digest');
    assert.ok(reopened, 'the cache reopens');
    const set = new ResultSet('again', '/folder', detector, cache.createStore('/folder', detector.folder, 'digest', 'again'));
    assert.equal(set.addStored(reopened.store, reopened.index, images.map((image) => image.relativePath)), images.length);
    reopened.store.close();
    set.finish();
    return set;
  }

  const orderOf = (set: ResultSet): string[] => set.pathsByScore();
  const flaggedOf = (set: ResultSet, threshold: number): string[] => new GalleryPages(set).page({ filter: 'outliers', sort: 'scoreDescending', search: '', threshold }, 0, 10_000).entries.map((entry) => (entry.kind === 'scored' ? entry.image.relativePath : ''));

  it('ranks a calibrated scan by the engine\'s own outlier score and reasons, from the cache\'s tail columns', async () => {
    const set = await cachedSet();
    assert.equal(set.ranking.mode, 'verdict');
    assert.deepEqual(set.tailSignals, CALIBRATED_SIGNALS);
    const expected = [...images].sort((a, b) => (b.outlierScore ?? 0) - (a.outlierScore ?? 0) || b.instanceScore - a.instanceScore || (a.relativePath < b.relativePath ? -1 : 1));
    assert.deepEqual(orderOf(set), expected.map((image) => image.relativePath));
    const byPath = new Map(images.map((image) => [image.relativePath, image]));
    for (const slot of set.slotsByScore()) {
      const engine = byPath.get(set.pathAt(slot)) as ScoredImage;
      assert.equal(set.scoreAt(slot), engine.outlierScore, 'bit for bit the score the scan wrote');
      assert.deepEqual(set.reasonsOf(set.imageAt(slot)) ?? [], engine.reasons ?? []);
    }
    const flagged = flaggedOf(set, 2);
    assert.deepEqual(flagged, expected.filter((image) => (image.outlierScore ?? 0) > 2).map((image) => image.relativePath));
    for (const made of madeImages()) assert.ok(flagged.includes(made.name), `${made.name} is flagged`);
    assert.ok(flagged.length < 30, `few garments are flagged: ${flagged.length - 10}`);
    set.dispose();
  });

  it('switching the information signal off re-ranks and re-flags: the blank images keep their other reasons only', async () => {
    const set = await cachedSet();
    const before = flaggedOf(set, 2);
    const settings: RankingSettings = { mode: 'verdict', signals: CALIBRATED_SIGNALS.filter((signal) => signal !== 'information'), cuts: {} };
    set.setRanking(settings);
    const after = flaggedOf(set, 2);
    assert.notDeepEqual(after, before);
    for (const image of images) {
      const tails = CALIBRATED_SIGNALS.filter((signal) => signal !== 'information').map((signal) => ({ signal, reason: signal, p: image.tailProbabilities?.[signal] as number }));
      const verdict = selectedVerdict(tails, settings);
      const slot = set.slotOf(image.relativePath) as number;
      assert.equal(set.scoreAt(slot), verdict.outlierScore, image.relativePath);
      const reasons = set.reasonsOf(set.imageAt(slot)) ?? [];
      assert.ok(!reasons.includes('low-information'), `${image.relativePath}: ${reasons.join()}`);
      assert.equal(after.includes(image.relativePath), verdict.isOutlier);
    }
    const blankReasons = set.reasonsOf(set.scoredImage('blank/128.png') as ScoredImage) ?? [];
    assert.ok(blankReasons.length > 0, 'a blank image is still odd on other signals');
    set.dispose();
  });

  it('a looser cut on one signal flags every image past it, with that reason; the detail item carries the tails', async () => {
    const set = await cachedSet();
    set.setRanking({ mode: 'verdict', signals: CALIBRATED_SIGNALS, cuts: { sharpness: 0.05 } });
    const flagged = new Set(flaggedOf(set, 2));
    for (const image of images) {
      const p = image.tailProbabilities?.sharpness as number;
      const reasons = set.reasonsOf(set.scoredImage(image.relativePath) as ScoredImage) ?? [];
      assert.equal(reasons.includes('blurry'), p < 0.05, `${image.relativePath} p=${p}`);
      if (p < 0.05) assert.ok(flagged.has(image.relativePath));
    }
    // The snapshot's counts and the reason filter (from the index and the flagged images' records) agree with every record's reasons.
    const counted = countReasons(set.scoredByScore(), (image) => set.reasonsOf(image));
    assert.deepEqual(set.reasonCounts(), counted);
    assert.ok((counted.blurry ?? 0) > 0);
    const blurry = new GalleryPages(set).page({ filter: 'all', sort: 'scoreDescending', search: '', threshold: 2, reason: 'blurry' }, 0, 1000);
    assert.equal(blurry.total, counted.blurry);
    set.setRanking({ mode: 'verdict', signals: CALIBRATED_SIGNALS.filter((signal) => signal !== 'sharpness'), cuts: {} });
    assert.equal(set.reasonCounts().blurry, undefined, 'switched off: no image is blurry');
    assert.deepEqual(set.reasonCounts(), countReasons(set.scoredByScore(), (image) => set.reasonsOf(image)));
    set.setRanking({ mode: 'verdict', signals: CALIBRATED_SIGNALS, cuts: { sharpness: 0.05 } });
    const page = new GalleryPages(set).page({ filter: 'all', sort: 'scoreDescending', search: '', threshold: 2 }, 0, 1);
    const top = page.entries[0];
    assert.ok(top.kind === 'scored' && top.image.tailProbabilities?.llr !== undefined && top.score === set.scoreAt(set.slotsByScore()[0]));
    set.dispose();
  });

  it('the LLR ranking is today\'s order (instance score, ties by path), one switch away, and back', async () => {
    const set = await cachedSet();
    const verdictOrder = orderOf(set);
    set.setRanking({ mode: 'llr', signals: CALIBRATED_SIGNALS, cuts: {} });
    const today = [...images].sort((a, b) => b.instanceScore - a.instanceScore || (a.relativePath < b.relativePath ? -1 : 1)).map((image) => image.relativePath);
    assert.deepEqual(orderOf(set), today);
    assert.deepEqual(Array.from(set.scores()), today.map((relativePath) => Math.fround((set.scoredImage(relativePath) as ScoredImage).instanceScore)));
    assert.deepEqual(set.reasonsOf(set.scoredImage('blank/128.png') as ScoredImage), images.find((image) => image.relativePath === 'blank/128.png')?.reasons, 'the scan\'s own reasons');
    set.setRanking({ mode: 'verdict', signals: CALIBRATED_SIGNALS, cuts: {} });
    assert.deepEqual(orderOf(set), verdictOrder);
    set.dispose();
  });

  it('an uncalibrated detector ranks by the LLR and stays there; a mode switch resets the threshold to that mode\'s default', async () => {
    const fixture = activateExtension();
    try {
      const model = fixture.api.services.model;
      const plain = new ResultSet('plain', '/folder', { ...detector, manifest: { ...detector.manifest, calibration: null } } as DetectorSummary, new ResultCache(tempFolder('plain')).createStore('/f', '/d', 'x', 'p'));
      plain.add(images.map(({ tailProbabilities: _tails, outlierScore: _score, ...image }) => image), []);
      model.show(plain);
      model.setRanking({ mode: 'verdict', signals: CALIBRATED_SIGNALS, cuts: {} });
      assert.equal(plain.ranking.mode, 'llr');
      assert.equal(model.threshold.method, 'percentile');

      const set = await cachedSet();
      model.show(set);
      assert.deepEqual(model.threshold, { value: 2, method: 'absolute' }, 'corrected p < 1 %');
      model.setThreshold({ value: 3, method: 'absolute' }, 'panel');
      model.setRanking({ mode: 'verdict', signals: ['llr', 'brightness'], cuts: {} });
      assert.equal(model.threshold.value, 3, 'a switch within the verdict keeps the threshold');
      model.setRanking({ mode: 'llr', signals: ['llr', 'brightness'], cuts: {} });
      assert.equal(model.threshold.method, 'percentile', 'the LLR starts from the detector\'s own (95th percentile)');
      model.setRanking({ mode: 'verdict', signals: ['llr', 'brightness'], cuts: {} });
      assert.deepEqual(model.threshold, { value: 2, method: 'absolute' });
    } finally {
      fixture.close();
    }
  });

  it('the panel\'s export follows the ranking: the scores, reasons and flags the panel shows, with its signals and cuts', async () => {
    const fixture = activateExtension();
    try {
      const model = fixture.api.services.model;
      const set = await cachedSet();
      model.show(set);
      const cuts: Partial<Record<CalibratedSignal, number>> = { brightness: 0.05 };
      model.setRanking({ mode: 'verdict', signals: ['llr', 'brightness', 'information'], cuts });
      model.setThreshold({ value: 2.5, method: 'absolute' }, 'panel');
      const target = path.join(tempFolder('ranking-export'), 'outliers.json');
      await exportOutliers(fixture.api.services, 'json', Uri.file(target) as never, 'all');
      const exported = JSON.parse(fs.readFileSync(target, 'utf8')) as OutlierExport;
      assert.deepEqual(validateOutlierExport(exported), []);
      assert.deepEqual(exported.threshold, { value: 2.5, method: 'absolute' }, 'the panel\'s threshold as set');
      assert.deepEqual(exported.verdict, { kind: 'calibrated', alpha: 0.01, scoreThreshold: 2.5, signals: ['llr', 'brightness', 'information'], cuts, calibration: calibration.source });
      assert.deepEqual(exported.items.map((item) => item.path), set.pathsByScore(), 'the panel\'s ranks');
      const flagged = flaggedOf(set, 2.5);
      assert.deepEqual(exported.items.filter((item) => item.isOutlier).map((item) => item.path), flagged);
      assert.equal(exported.counts.outliers, flagged.length);
      for (const item of exported.items) {
        const slot = set.slotOf(item.path) as number;
        assert.equal(item.score, set.scoreAt(slot));
        assert.deepEqual(item.reasons, set.reasonsOf(set.imageAt(slot)) ?? []);
        assert.ok(!item.reasons.some((reason) => ['unlikely', 'too-likely', 'blurry'].includes(reason)), 'signals switched off give no reason');
      }
    } finally {
      fixture.close();
    }
  });

  it('the panel re-ranks on the webview\'s message and sends the new ranked scores and ranking in a snapshot', async () => {
    const fixture = activateExtension();
    try {
      const services = fixture.api.services;
      const set = await cachedSet();
      services.model.show(set);
      services.panel.show();
      const panel = fake.panels[0];
      panel.webview.send({ type: 'ready' });
      const latest = (): ScoresSnapshot | undefined => panel.webview.ofType<ScoresSnapshot>('scoresSnapshot').at(-1);
      await waitFor(() => latest() !== undefined, 5000, 'the first snapshot');
      assert.deepEqual(latest()?.ranking?.settings, { mode: 'verdict', signals: CALIBRATED_SIGNALS, cuts: {} });
      assert.deepEqual(latest()?.ranking?.available, CALIBRATED_SIGNALS);
      assert.deepEqual(latest()?.threshold, { value: 2, method: 'absolute' });
      panel.webview.send({ type: 'didChangeRanking', ranking: { mode: 'llr', signals: CALIBRATED_SIGNALS, cuts: {} } });
      await waitFor(() => latest()?.ranking?.settings.mode === 'llr', 5000, 'the LLR snapshot');
      assert.deepEqual(Array.from(latest()?.scores ?? []), Array.from(set.scores()));
      assert.equal(latest()?.threshold.method, 'percentile', 'the detector\'s own LLR threshold');
      panel.webview.send({ type: 'requestPage', requestId: 7, offset: 0, limit: 3, query: { filter: 'all', sort: 'scoreDescending', search: '', threshold: 0 } });
      await waitFor(() => panel.webview.ofType<PageReply>('pageReply').length > 0, 5000, 'the page');
      const items = panel.webview.ofType<PageReply>('pageReply')[0].items as ScoredGalleryItem[];
      assert.deepEqual(items.map((item) => item.score), items.map((item) => item.instanceScore), 'ranked by the LLR');
      assert.ok(items[0].tailProbabilities?.llr !== undefined, 'the detail view gets the tails');
    } finally {
      fixture.close();
    }
  });

  it('takes ranking settings from the webview only when well formed', () => {
    const good = { type: 'didChangeRanking', ranking: { mode: 'verdict', signals: ['llr', 'sharpness'], cuts: { sharpness: 0.01 } } };
    assert.deepEqual(parseFromWebview(good), good);
    for (const ranking of [
      { mode: 'best', signals: [], cuts: {} },
      { mode: 'verdict', signals: ['llr', 'llr'], cuts: {} },
      { mode: 'verdict', signals: ['colour'], cuts: {} },
      { mode: 'verdict', signals: ['llr'], cuts: { llr: 0 } },
      { mode: 'verdict', signals: ['llr'], cuts: { llr: 1.5 } },
      { mode: 'verdict', signals: ['llr'], cuts: { hue: 0.1 } },
      { mode: 'verdict', signals: 'llr', cuts: {} },
    ]) {
      assert.equal(parseFromWebview({ type: 'didChangeRanking', ranking }), null, JSON.stringify(ranking));
    }
  });
});
