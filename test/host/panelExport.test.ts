// The panel's export streamed from the results' store: the same text the in-memory export gives
// (buildOutlierExport + JSON.stringify / toCsv), for all rows and the flagged ones, with labels,
// folder findings and unreadable files; written to a temporary file renamed into place.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildOutlierExport, toCsv } from '../../src/engine/export/outlierExport';
import type { DetectorSummary } from '../../src/extension/detectors/detectorSummary';
import { GroundTruthRules } from '../../src/extension/groundTruth/groundTruthRules';
import { folderFindingsOf } from '../../src/extension/results/folderFindings';
import { judgeFolderFindings } from '../../src/extension/results/folderJudgement';
import { ResultCache } from '../../src/extension/results/resultCache';
import { ResultSet } from '../../src/extension/results/resultSet';
import { writePanelExport } from '../../src/extension/workflows/panelExport';
import type { ScoredImage, ThresholdSetting } from '../../src/protocol/scanResults';

const detector = { folder: '/d', manifestSha256: 'f'.repeat(64), manifest: { name: 'det' } } as unknown as DetectorSummary;

function image(index: number): ScoredImage {
  // Every seventh image shares another's pixels: the folder rules find exact duplicates.
  const pixelHash = index % 7 === 0 ? 'aa'.repeat(8) : index.toString(16).padStart(16, '0');
  return {
    relativePath: `class-${index % 3}/img "${String(index).padStart(4, '0')}", ü.png`,
    instanceScore: index % 11 === 0 ? 5 : ((index * 7919) % 1000) / 10 - 50,
    semanticLogProb: -1000 - index,
    backgroundLogProb: -900 - index,
    size: 1000 + index,
    mtimeMs: 1_700_000_000_000 + index,
    measures: { brightness: index % 255, entropy: 3.5, sharpness: 12, greyAsRgb: null, sourceWidth: 28, sourceHeight: index % 13 === 0 ? 40 : 28, pixelHash, perceptualHash: '0123456789abcdef', thumbnail: (index % 7 === 0 ? 'ab' : (index % 256).toString(16).padStart(2, '0')).repeat(64) },
    ...(index % 50 === 0 ? { reasons: ['llr' as const] } : {}),
  };
}

describe('panel export streamed from the store', () => {
  let storage: string;
  beforeEach(() => (storage = fs.mkdtempSync(path.join(os.tmpdir(), 'panel-export-'))));
  afterEach(() => fs.rmSync(storage, { recursive: true, force: true }));

  it('writes the JSON and CSV the in-memory export gives, all rows and flagged only, with labels, folder findings and errors', async () => {
    const cache = new ResultCache(storage);
    const set = new ResultSet('scan', '/f', detector, cache.createStore('/f', '/d', 'm', 'scan'));
    const images = Array.from({ length: 700 }, (_, i) => image(i));
    for (let start = 0; start < images.length; start += 64) set.add(images.slice(start, start + 64), start === 0 ? [{ relativePath: 'z-bad.png', reason: 'truncated PNG' }, { relativePath: 'a-bad.png', reason: 'not an image' }] : []);
    set.finish();
    const findings = folderFindingsOf(judgeFolderFindings(set.scoredByScore()));
    assert.ok(findings.duplicates.exact.length > 0 && findings.reasons.size > 0, 'the folder rules found something to carry');
    const threshold: ThresholdSetting = { value: 5, method: 'absolute' };
    for (const labels of [GroundTruthRules.none, GroundTruthRules.forFolder('/f', [], [{ relativePath: 'class-1', label: 'outlier', line: 1 }])]) {
      set.setGroundTruth(labels);
      for (const rows of ['all', 'flagged'] as const) {
        const expected = buildOutlierExport({
          detector: { name: 'det', manifestSha256: 'f'.repeat(64) },
          folder: '/f',
          threshold,
          items: images,
          failures: set.failuresByPath(),
          rows,
          duplicates: { exact: findings.duplicates.exact.map((group) => [...group]), near: findings.duplicates.near.map((group) => [...group]) },
          folderReasons: findings.reasons,
          ...(labels.isEmpty ? {} : { labelOf: (relativePath: string) => set.labelOf(relativePath) }),
        });
        for (const format of ['json', 'csv'] as const) {
          const file = path.join(storage, `out-${rows}.${format}`);
          const counts = await writePanelExport(file, { resultSet: set, threshold, rows, format, findings });
          const text = fs.readFileSync(file, 'utf8');
          assert.deepStrictEqual(counts, expected.counts);
          if (format === 'json') {
            // Only the time of writing differs.
            const written = JSON.parse(text) as { createdAt: string };
            assert.strictEqual(text, `${JSON.stringify({ ...expected, createdAt: written.createdAt }, null, 2)}\n`);
          } else {
            assert.strictEqual(text, toCsv(expected));
          }
          assert.deepStrictEqual(fs.readdirSync(storage).filter((name) => name.includes('.tmp-')), [], 'no temporary file left');
        }
      }
    }
    assert.ok(buildOutlierExport({ detector: { name: 'det', manifestSha256: '' }, folder: '/f', threshold, items: images, failures: [] }).counts.outliers > 0, 'some images are flagged');
    set.dispose();
  });

  it('streams from the store: records are read as items are written, so a set closed mid-export fails it, leaving no file', async () => {
    const cache = new ResultCache(storage);
    const set = new ResultSet('scan', '/f', detector, cache.createStore('/f', '/d', 'm', 'scan'));
    for (let start = 0; start < 6000; start += 500) set.add(Array.from({ length: 500 }, (_, i) => image(start + i)), []);
    set.finish();
    const file = path.join(storage, 'out.json');
    let partWritten = -1;
    const closeOnceWriting = (): void => {
      const temporary = fs.readdirSync(storage).find((name) => name.startsWith('.out.json.tmp-'));
      const size = temporary ? fs.statSync(path.join(storage, temporary)).size : 0;
      if (size === 0) return void setImmediate(closeOnceWriting);
      partWritten = size;
      set.dispose();
    };
    setImmediate(closeOnceWriting);
    await assert.rejects(writePanelExport(file, { resultSet: set, threshold: { value: 0, method: 'absolute' }, rows: 'all', format: 'json', findings: folderFindingsOf(judgeFolderFindings([])) }), /closed/);
    assert.ok(partWritten > 0, 'the set was closed once the export had started writing');
    assert.deepStrictEqual(fs.readdirSync(storage).filter((name) => name.includes('out.json')), [], 'neither the export nor its temporary file');
  });

  it('writes an empty export the way JSON.stringify does', async () => {
    const cache = new ResultCache(storage);
    const set = new ResultSet('scan', '/f', detector, cache.createStore('/f', '/d', 'm', 'scan'));
    const threshold: ThresholdSetting = { value: 0, method: 'absolute' };
    const file = path.join(storage, 'empty.json');
    await writePanelExport(file, { resultSet: set, threshold, rows: 'all', format: 'json', findings: folderFindingsOf(judgeFolderFindings([])) });
    const text = fs.readFileSync(file, 'utf8');
    const expected = buildOutlierExport({ detector: { name: 'det', manifestSha256: 'f'.repeat(64) }, folder: '/f', threshold, items: [], failures: [], rows: 'all' });
    assert.strictEqual(text, `${JSON.stringify({ ...expected, createdAt: (JSON.parse(text) as { createdAt: string }).createdAt }, null, 2)}\n`);
    set.dispose();
  });
});
