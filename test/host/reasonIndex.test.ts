// Reason counts and the gallery's reason filter come from the index (each image's own reasons are
// kept there, few images have any), not from reading every record: the same counts and lists
// as reading every record gives, after streaming, removals and a rescan that copies cached records.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { countReasons } from '../../src/common/gallery/galleryList';
import type { DetectorSummary } from '../../src/extension/detectors/detectorSummary';
import { GalleryPages } from '../../src/extension/panel/galleryPages';
import { folderFindingsOf } from '../../src/extension/results/folderFindings';
import { judgeFolderFindings } from '../../src/extension/results/folderJudgement';
import { knownFiles, ResultCache } from '../../src/extension/results/resultCache';
import { ResultSet } from '../../src/extension/results/resultSet';
import type { OutlierReason, ScoredImage } from '../../src/protocol/scanResults';
import type { ReasonFilter } from '../../src/protocol/webview';

const detector = { folder: '/d', manifestSha256: 'x', manifest: {} } as unknown as DetectorSummary;
const OWN: ReadonlyArray<OutlierReason[] | undefined> = [undefined, ['llr'], undefined, ['dark', 'llr'], undefined, ['exact-duplicate'], undefined];

function image(index: number): ScoredImage {
  const reasons = OWN[index % OWN.length];
  return {
    relativePath: `class-${index % 3}/img-${String(index).padStart(4, '0')}.png`,
    instanceScore: ((index * 7919) % 1000) / 10 - 50,
    semanticLogProb: -1000 - index,
    backgroundLogProb: -900 - index,
    size: 1000 + index,
    mtimeMs: 1_700_000_000_000 + index,
    measures: {
      brightness: index % 255, entropy: 3.5, sharpness: 12, greyAsRgb: null, sourceWidth: 28, sourceHeight: index % 17 === 0 ? 40 : 28,
      pixelHash: index % 11 === 0 ? 'aa'.repeat(8) : index.toString(16).padStart(16, '0'), perceptualHash: '0123456789abcdef', thumbnail: (index % 11 === 0 ? 'ab' : (index % 256).toString(16).padStart(2, '0')).repeat(64),
    },
    ...(reasons ? { reasons } : {}),
  };
}

/** What reading every record gives. */
function countedFromRecords(set: ResultSet): Record<string, number> {
  return countReasons(set.scoredByScore(), (item) => set.reasonsOf(item));
}

function reasonList(set: ResultSet, reason: ReasonFilter): string[] {
  return new GalleryPages(set).page({ filter: 'all', sort: 'name', search: '', threshold: 0, reason }, 0, 10_000).entries.map((entry) => (entry.kind === 'scored' ? entry.image.relativePath : entry.relativePath));
}

function listedFromRecords(set: ResultSet, reason: ReasonFilter): string[] {
  return set.scoredByScore().filter((item) => (reason === 'any' ? (set.reasonsOf(item)?.length ?? 0) > 0 : set.reasonsOf(item)?.includes(reason))).map((item) => item.relativePath).sort();
}

describe('reasons from the index', () => {
  let storage: string;
  beforeEach(() => (storage = fs.mkdtempSync(path.join(os.tmpdir(), 'reason-index-'))));
  afterEach(() => fs.rmSync(storage, { recursive: true, force: true }));

  it('counts and filters reasons as reading every record does, after removals and a rescan from the cache, without reading the store', async () => {
    const cache = new ResultCache(storage);
    const images = Array.from({ length: 900 }, (_, i) => image(i));
    const set = new ResultSet('scan-1', '/f', detector, cache.createStore('/f', '/d', 'm', 'scan-1'));
    for (let start = 0; start < images.length; start += 100) set.add(images.slice(start, start + 100), []);
    set.finish();
    const findings = folderFindingsOf(judgeFolderFindings(set.scoredByScore()));
    assert.ok(findings.reasons.size > 0);
    set.setFolderFindings(findings, set.contentRevision);
    const expected = countedFromRecords(set);
    assert.ok(expected.any > 0 && expected.llr > 0 && expected['exact-duplicate'] > 0 && expected['odd-size'] > 0, JSON.stringify(expected));
    assert.deepStrictEqual(set.reasonCounts(), expected);
    for (const reason of ['any', 'llr', 'exact-duplicate', 'odd-size'] as const) assert.deepStrictEqual(reasonList(set, reason), listedFromRecords(set, reason), reason);

    // Removed images (moved or deleted) and one that failed since leave the counts.
    set.remove([images[1].relativePath, images[3].relativePath, images[0].relativePath]);
    set.add([], [{ relativePath: images[8].relativePath, reason: 'truncated PNG' }]);
    assert.deepStrictEqual(set.reasonCounts(), countedFromRecords(set));
    assert.deepStrictEqual(reasonList(set, 'llr'), listedFromRecords(set, 'llr'));
    set.keepStoreAs(cache.fileFor('/f', '/d'));
    set.dispose();

    // A rescan that keeps every cached record: their reasons come with the copied bytes.
    const cached = await cache.read('/f', '/d', 'm');
    assert.ok(cached);
    const rescan = new ResultSet('scan-2', '/f', detector, cache.createStore('/f', '/d', 'm', 'scan-2'));
    const known = knownFiles(cached.index).map((file) => file.relativePath);
    for (let start = 0; start < known.length; start += 128) rescan.addStored(cached.store, cached.index, known.slice(start, start + 128));
    cached.store.close();
    rescan.finish();
    rescan.setFolderFindings(findings, rescan.contentRevision);
    const afterRescan = countedFromRecords(rescan);
    assert.deepStrictEqual(rescan.reasonCounts(), afterRescan);
    const llr = listedFromRecords(rescan, 'llr');
    // With the store closed, a record read throws: what still works reads only the index.
    rescan.dispose();
    rescan.setGroundTruth(rescan.groundTruth);
    assert.throws(() => rescan.scoredByScore(), /closed/);
    assert.deepStrictEqual(rescan.reasonCounts(), afterRescan);
    assert.deepStrictEqual(new GalleryPages(rescan).page({ filter: 'all', sort: 'name', search: '', threshold: 0, reason: 'llr' }, 0, 0).total, llr.length);
  });
});
