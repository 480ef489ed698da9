// The host's results on disk: a scan's store, the cache it becomes, and a rescan that keeps the
// records of unchanged files, all without holding the images in the host.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { DetectorSummary } from '../../src/extension/detectors/detectorSummary';
import { GalleryPages } from '../../src/extension/panel/galleryPages';
import { knownFiles, ResultCache } from '../../src/extension/results/resultCache';
import { ResultSet } from '../../src/extension/results/resultSet';
import type { ScoredImage } from '../../src/protocol/scanResults';
import { syntheticScored } from './support/syntheticScored';

const detector = { folder: '/d', manifestSha256: 'x', manifest: {} } as unknown as DetectorSummary;
const QUERY = { filter: 'all', sort: 'scoreDescending', threshold: 0, search: '' } as const;

/** A scored image with every field a real scan gives, measures and reasons included. */
function image(index: number): ScoredImage {
  return { ...syntheticScored(index), ...(index % 50 === 0 ? { reasons: ['llr' as const] } : {}) };
}

describe('results cache (JSON Lines store)', () => {
  let storage: string;
  let cache: ResultCache;
  const images = Array.from({ length: 1200 }, (_, i) => image(i));

  beforeEach(() => {
    storage = fs.mkdtempSync(path.join(os.tmpdir(), 'result-cache-'));
    cache = new ResultCache(storage);
  });
  afterEach(() => fs.rmSync(storage, { recursive: true, force: true }));

  /** A finished scan of `items` whose store became the cache. */
  function scanned(items: readonly ScoredImage[], scanId = 'scan-1'): ResultSet {
    const set = new ResultSet(scanId, '/f', detector, cache.createStore('/f', '/d', 'models-1', scanId));
    for (let start = 0; start < items.length; start += 100) set.add(items.slice(start, start + 100), start === 0 ? [{ relativePath: 'bad.png', reason: 'truncated PNG' }] : []);
    set.finish();
    set.keepStoreAs(cache.fileFor('/f', '/d'));
    return set;
  }

  it('reads every image back from the store, equal to what streamed in, in score order, also after the store became the cache', () => {
    const set = scanned(images);
    const expected = [...images].sort((a, b) => b.instanceScore - a.instanceScore || (a.relativePath < b.relativePath ? -1 : 1));
    assert.deepStrictEqual(set.scoredByScore(), expected);
    assert.deepStrictEqual(set.scoredImage(images[17].relativePath), images[17]);
    assert.strictEqual(set.storeFile, cache.fileFor('/f', '/d'));
    assert.deepStrictEqual(fs.readdirSync(path.join(storage, 'results')), [path.basename(cache.fileFor('/f', '/d'))]);
  });

  it('pages the gallery from the store: the page holds the images of those ranks, with their rank', () => {
    const set = scanned(images);
    const pages = new GalleryPages(set);
    const { total, entries } = pages.page(QUERY, 600, 50);
    assert.strictEqual(total, 1201);
    const byScore = set.scoredByScore();
    entries.forEach((entry, i) => {
      assert.ok(entry.kind === 'scored');
      assert.deepStrictEqual(entry.image, byScore[600 + i]);
      assert.strictEqual(entry.rank, 601 + i);
    });
    const last = pages.page(QUERY, 1190, 50);
    assert.strictEqual(last.entries.length, 11);
    assert.deepStrictEqual(last.entries.at(-1), { kind: 'failed', relativePath: 'bad.png', reason: 'truncated PNG' });
    const named = pages.page({ ...QUERY, sort: 'name', search: 'class-1/' }, 0, 3).entries.map((entry) => (entry.kind === 'scored' ? entry.image.relativePath : ''));
    assert.deepStrictEqual(named, ['class-1/img-0001.png', 'class-1/img-0004.png', 'class-1/img-0007.png']);
  });

  it('reopens the cache: the same keys, scores and records, for these models only', async () => {
    scanned(images).dispose();
    const cached = await cache.read('/f', '/d', 'models-1');
    assert.ok(cached);
    try {
      assert.strictEqual(cached.index.liveCount, images.length);
      const known = knownFiles(cached.index);
      assert.deepStrictEqual(known[10], { relativePath: images[10].relativePath, size: images[10].size, mtimeMs: images[10].mtimeMs, contentDigest: 'digest-10' });
      assert.deepStrictEqual(known[11], { relativePath: images[11].relativePath, size: images[11].size, mtimeMs: images[11].mtimeMs });
      const slot = cached.index.slotOf(images[42].relativePath);
      assert.ok(slot !== undefined);
      assert.deepStrictEqual(JSON.parse(cached.store.readRaw(cached.index.placeOf(slot)).toString()), { kind: 'scored', ...images[42] });
    } finally {
      cached.store.close();
    }
    assert.strictEqual(await cache.read('/f', '/d', 'models-2'), null, 'a retrained detector reuses no score');
  });

  it('a rescan copies the records of unchanged files and drops files that are gone; the new store replaces the cache', async () => {
    scanned(images).dispose();
    const cached = await cache.read('/f', '/d', 'models-1');
    assert.ok(cached);
    const rescan = new ResultSet('scan-2', '/f', detector, cache.createStore('/f', '/d', 'models-1', 'scan-2'));
    const unchanged = images.slice(0, 1000).map((item) => item.relativePath);
    assert.strictEqual(rescan.addStored(cached.store, cached.index, unchanged), 1000);
    const rescored = { ...images[1000], instanceScore: 1e6 };
    rescan.add([rescored], []);
    cached.store.close();
    rescan.finish();
    rescan.keepStoreAs(cache.fileFor('/f', '/d'));
    assert.strictEqual(rescan.scoredCount, 1001);
    assert.strictEqual(rescan.rankOf(rescored.relativePath), 1);
    assert.deepStrictEqual(rescan.scoredImage(images[5].relativePath), images[5]);
    assert.strictEqual(rescan.scoredImage(images[1100].relativePath), undefined);
    rescan.dispose();
    const reopened = await cache.read('/f', '/d', 'models-1');
    assert.strictEqual(reopened?.index.liveCount, 1001);
    reopened?.store.close();
  });

  it('keeps the complete records of a store cut by a kill, and removes the format-1 cache and abandoned partial stores', async () => {
    const set = scanned(images.slice(0, 10));
    set.dispose();
    const file = cache.fileFor('/f', '/d');
    fs.appendFileSync(file, '{"kind":"scored","relativePath":"cut.png","instanceSc');
    const stale = path.join(path.dirname(file), `${path.basename(file, '.jsonl')}.dead-scan.partial.jsonl`);
    fs.writeFileSync(stale, '{}\n');
    fs.utimesSync(stale, new Date(0), new Date(0));
    fs.writeFileSync(file.replace(/\.jsonl$/, '.json'), '{"format":"outlier-lens/results-cache","version":1}');
    const cached = await cache.read('/f', '/d', 'models-1');
    assert.strictEqual(cached?.index.liveCount, 10);
    cached?.store.close();
    assert.deepStrictEqual(fs.readdirSync(path.dirname(file)), [path.basename(file)]);
  });

  it('a result set no longer shown reads no more images, and says so', () => {
    const set = scanned(images.slice(0, 3));
    set.dispose();
    assert.throws(() => set.scoredImage(images[0].relativePath), /closed/);
  });
});
