// The results cache rewritten after files were moved or deleted: the live records' bytes copied a
// step at a time (the event loop runs between steps), one rewrite at a time per cache, the last
// one holding the latest state, and a failed rewrite leaving the old cache and no temporary file.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { DetectorSummary } from '../../src/extension/detectors/detectorSummary';
import { ResultCache } from '../../src/extension/results/resultCache';
import { ResultSet } from '../../src/extension/results/resultSet';
import type { ScoredImage } from '../../src/protocol/scanResults';
import { syntheticScored } from './support/syntheticScored';

const detector = { folder: '/d', manifestSha256: 'x', manifest: {} } as unknown as DetectorSummary;

function image(index: number): ScoredImage {
  return syntheticScored(index, 5);
}

describe('results cache rewritten after file actions', () => {
  let storage: string;
  let cache: ResultCache;
  beforeEach(() => {
    storage = fs.mkdtempSync(path.join(os.tmpdir(), 'cache-rewrite-'));
    cache = new ResultCache(storage);
  });
  afterEach(() => fs.rmSync(storage, { recursive: true, force: true }));

  function scanned(count: number): { set: ResultSet; images: ScoredImage[] } {
    const images = Array.from({ length: count }, (_, i) => image(i));
    const set = new ResultSet('scan', '/f', detector, cache.createStore('/f', '/d', 'models', 'scan'));
    for (let start = 0; start < count; start += 500) set.add(images.slice(start, start + 500), []);
    set.finish();
    set.keepStoreAs(cache.fileFor('/f', '/d'));
    return { set, images };
  }

  const rewrite = (set: ResultSet): Promise<void> => cache.rewrite({ folder: '/f', detectorFolder: '/d', modelsDigest: 'models', records: () => set.storedRecords() });

  /** The records the cache holds now, by path, as a reopened cache reads them. */
  async function cachedRecords(): Promise<Map<string, unknown>> {
    const cached = await cache.read('/f', '/d', 'models');
    assert.ok(cached);
    try {
      return new Map(Array.from(cached.index.liveSlotList(), (slot) => [cached.index.pathOf(slot), JSON.parse(cached.store.readRaw(cached.index.placeOf(slot)).toString()) as unknown]));
    } finally {
      cached.store.close();
    }
  }

  it('keeps exactly the live images, records byte for byte, moved ones under their new path; the event loop runs between steps', async () => {
    const { set, images } = scanned(12_000);
    // A move and a delete, as the actions apply them.
    set.remove([images[1].relativePath, images[2].relativePath]);
    set.add([{ ...images[1], relativePath: 'moved/one.png' }], []);
    // A callback queued after the rewrite's first step runs while the rewrite has copied only part of the records: it yields between steps.
    const resultsFolder = path.join(storage, 'results');
    const written = rewrite(set);
    let copiedMeanwhile = -1;
    setImmediate(() => (copiedMeanwhile = fs.readdirSync(resultsFolder).filter((name) => name.includes('.rewrite-')).reduce((bytes, name) => bytes + fs.statSync(path.join(resultsFolder, name)).size, 0)));
    await written;
    const total = fs.statSync(cache.fileFor('/f', '/d')).size;
    assert.ok(total > 3 * 2 ** 20, 'a store of several steps');
    assert.ok(copiedMeanwhile > 0 && copiedMeanwhile < total / 2, `the event loop ran when ${copiedMeanwhile} of ${total} bytes were copied`);
    const records = await cachedRecords();
    assert.strictEqual(records.size, images.length - 1);
    assert.strictEqual(records.has(images[1].relativePath) || records.has(images[2].relativePath), false);
    assert.deepStrictEqual(records.get('moved/one.png'), { kind: 'scored', ...images[1], relativePath: 'moved/one.png' });
    assert.deepStrictEqual(records.get(images[11_999].relativePath), { kind: 'scored', ...images[11_999] });
    // The set goes on reading its own store, whatever replaced the cache file.
    assert.deepStrictEqual(set.scoredImage(images[3].relativePath), images[3]);
    assert.deepStrictEqual(fs.readdirSync(path.join(storage, 'results')), [path.basename(cache.fileFor('/f', '/d'))]);
    set.dispose();
  });

  it('runs one rewrite at a time: actions that come while one runs end with the cache of the latest state', async () => {
    const { set, images } = scanned(6000);
    const waits: Array<Promise<void>> = [];
    for (let action = 0; action < 5; action++) {
      set.remove([images[action].relativePath]);
      waits.push(rewrite(set));
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    await Promise.all(waits);
    const records = await cachedRecords();
    assert.strictEqual(records.size, images.length - 5);
    for (let action = 0; action < 5; action++) assert.strictEqual(records.has(images[action].relativePath), false, images[action].relativePath);
    set.dispose();
  });

  it('a rewrite whose result set is closed meanwhile fails, leaving the old cache and no temporary file', async () => {
    const { set, images } = scanned(6000);
    set.remove([images[0].relativePath]);
    const written = rewrite(set);
    set.dispose();
    await assert.rejects(written, /closed/);
    assert.strictEqual((await cachedRecords()).size, images.length);
    assert.deepStrictEqual(fs.readdirSync(path.join(storage, 'results')), [path.basename(cache.fileFor('/f', '/d'))]);
  });
});
