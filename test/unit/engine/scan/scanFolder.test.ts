import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import sharp from 'sharp';
import { selectBackend } from '../../../../src/engine/backend/selectBackend';
import { LlrDetector, toImageSet } from '../../../../src/engine/llr';
import type { FailedImage, ScoredImage } from '../../../../src/protocol/scanResults';
import type { ScanChunk, ScanOptions, ScanResult } from '../../../../src/engine/scan';
import { isUnchanged, loadImageFolder, scanFolder } from '../../../../src/engine/scan';
import { calibrateDetector } from '../../../../src/engine/signals';

const TINY = { numResnet: 1, numHierarchies: 1, numFilters: 4, numLogisticMix: 1, dropoutP: 0 } as const;

/** Runs scanFolder and gathers what it streamed (it keeps no results itself). */
async function scanAndCollect(folder: string, detector: LlrDetector, options: ScanOptions = {}): Promise<{ items: ScoredImage[]; failures: FailedImage[]; skipped: number; scored: number; duplicates: ScanResult['duplicates']; folderReasons: ScanResult['folderReasons'] }> {
  const items: ScoredImage[] = [];
  const failures: FailedImage[] = [];
  const result = await scanFolder(folder, detector, {
    ...options,
    onChunk: async (chunk) => {
      items.push(...chunk.items);
      failures.push(...chunk.failures);
      await options.onChunk?.(chunk);
    },
  });
  return { items, failures, skipped: result.skipped, scored: result.scored, duplicates: result.duplicates, folderReasons: result.folderReasons };
}

describe('scanning a folder', () => {
  let folder: string;
  let detector: LlrDetector;

  before(async function () {
    this.timeout(120_000);
    await selectBackend('wasm');
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'outlier-lens-scan-'));
    fs.mkdirSync(path.join(folder, 'a'));
    for (let i = 0; i < 7; i++) {
      const pixels = Buffer.alloc(16 * 16, i * 30);
      await sharp(pixels, { raw: { width: 16, height: 16, channels: 1 } }).png().toFile(path.join(folder, i < 4 ? 'a' : '.', `img${i}.png`));
    }
    const good = fs.readFileSync(path.join(folder, 'a', 'img0.png'));
    fs.writeFileSync(path.join(folder, 'truncated.png'), good.subarray(0, good.length - 20));
    fs.writeFileSync(path.join(folder, 'notes.jpg'), 'not an image at all');
    detector = await LlrDetector.fit(toImageSet(new Uint8Array(8 * 8 * 8).fill(90), [8, 8, 1]), { epochs: 1, batchSize: 4, semanticConfig: TINY });
  });
  after(() => {
    detector.dispose();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('scores every image, reports each broken file with its reason, and streams results in chunks', async () => {
    const chunks: ScanChunk[] = [];
    const progress: number[] = [];
    const result = await scanAndCollect(folder, detector, { batchSize: 3, chunkSize: 3, onChunk: (chunk) => void chunks.push(chunk), onProgress: (done) => progress.push(done) });
    assert.equal(result.items.length, 7);
    assert.equal(result.scored, 7);
    assert.deepEqual(
      result.failures.map((failure) => [failure.relativePath, failure.reason]).sort(),
      [['notes.jpg', 'not an image (unrecognised format)'], ['truncated.png', 'truncated PNG']],
    );
    assert.ok(result.items.every((item) => Number.isFinite(item.instanceScore) && item.size > 0));
    assert.deepEqual(result.items.map((item) => item.relativePath), ['a/img0.png', 'a/img1.png', 'a/img2.png', 'a/img3.png', 'img4.png', 'img5.png', 'img6.png']);
    assert.ok(chunks.length >= 3, `${chunks.length} chunks`);
    assert.equal(chunks.flatMap((chunk) => chunk.items).length, 7);
    assert.equal(progress[progress.length - 1], 9);
    const direct = await detector.score((await loadImageFolder(folder, [8, 8, 1])).images);
    assert.deepEqual(Array.from(direct.instanceScore), result.items.map((item) => Math.fround(item.instanceScore)));
  });

  it('measures, judges and groups each image with the signals asked for, and nothing without them', async () => {
    const calibration = await calibrateDetector(detector, (await loadImageFolder(folder, [8, 8, 1])).images, 'the folder itself');
    const full = await scanAndCollect(folder, detector, { calibration });
    assert.ok(full.items.every((item) => item.measures && item.outlierScore !== undefined && Object.keys(item.tailProbabilities ?? {}).length === 5));
    // img0..img6 are constant images of distinct levels: no duplicates among them.
    assert.deepEqual(full.duplicates, { exact: [], near: [] });
    const llrOnly = await scanAndCollect(folder, detector, { calibration, signals: new Set(['llr']) });
    assert.ok(llrOnly.items.every((item) => !item.measures && Object.keys(item.tailProbabilities ?? {}).join() === 'llr'));
    const none = await scanAndCollect(folder, detector, { calibration, signals: new Set() });
    assert.ok(none.items.every((item) => item.measures === undefined && item.outlierScore === undefined && item.reasons === undefined));
    fs.copyFileSync(path.join(folder, 'img4.png'), path.join(folder, 'img4-copy.png'));
    try {
      const withCopy = await scanAndCollect(folder, detector, { calibration });
      assert.deepEqual(withCopy.duplicates.exact, [['img4-copy.png', 'img4.png']]);
      assert.ok(withCopy.folderReasons.get('img4.png')?.includes('exact-duplicate'));
    } finally {
      fs.rmSync(path.join(folder, 'img4-copy.png'));
    }
  });

  it('skips files the caller already has (a rescan scores only what changed)', async () => {
    const result = await scanAndCollect(folder, detector, { skip: (entry) => entry.relativePath.startsWith('a/') });
    assert.deepEqual(result.items.map((item) => item.relativePath), ['img4.png', 'img5.png', 'img6.png']);
    assert.equal(result.skipped, 4);
  });

  it('keeps a digest of the bytes only for files written moments before they were read (their stat is in doubt)', async () => {
    const anHourAgo = new Date(Date.now() - 3_600_000);
    fs.utimesSync(path.join(folder, 'img4.png'), anHourAgo, anHourAgo);
    fs.utimesSync(path.join(folder, 'img5.png'), new Date(), new Date());
    const result = await scanAndCollect(folder, detector, { skip: (entry) => entry.relativePath.startsWith('a/') || entry.relativePath === 'img6.png' });
    const byPath = new Map(result.items.map((item) => [item.relativePath, item]));
    assert.equal(byPath.get('img4.png')?.contentDigest, undefined);
    const expected = createHash('sha256').update(fs.readFileSync(path.join(folder, 'img5.png'))).digest('hex');
    assert.equal(byPath.get('img5.png')?.contentDigest, expected);
  });

  it('sees a same-size rewrite that kept the mtime when a digest was kept, and trusts size and mtime otherwise', async () => {
    const file = path.join(folder, 'same-stat.png');
    const first = await sharp(Buffer.alloc(16 * 16, 10), { raw: { width: 16, height: 16, channels: 1 } }).png().toBuffer();
    const second = Buffer.from(first);
    second[second.length - 13] ^= 0xff; // same length, other bytes
    // A whole second, which every file system stores exactly: the rewrite below restores it.
    const mtime = Math.floor(Date.now() / 1000);
    fs.writeFileSync(file, first);
    fs.utimesSync(file, mtime, mtime);
    const stat = fs.statSync(file);
    const entry = { path: file, relativePath: 'same-stat.png', size: stat.size, mtimeMs: stat.mtimeMs };
    const digest = createHash('sha256').update(first).digest('hex');
    try {
      assert.equal(await isUnchanged({ relativePath: entry.relativePath, size: entry.size, mtimeMs: entry.mtimeMs, contentDigest: digest }, entry), true);
      fs.writeFileSync(file, second);
      fs.utimesSync(file, mtime, mtime);
      const rewritten = { ...entry, mtimeMs: fs.statSync(file).mtimeMs };
      assert.equal(rewritten.mtimeMs, entry.mtimeMs, 'the rewrite kept the mtime');
      assert.equal(await isUnchanged({ relativePath: entry.relativePath, size: entry.size, mtimeMs: entry.mtimeMs, contentDigest: digest }, rewritten), false);
      assert.equal(await isUnchanged({ relativePath: entry.relativePath, size: entry.size, mtimeMs: entry.mtimeMs }, rewritten), true);
      assert.equal(await isUnchanged({ relativePath: entry.relativePath, size: entry.size + 1, mtimeMs: entry.mtimeMs }, rewritten), false);
      assert.equal(await isUnchanged(undefined, rewritten), false);
    } finally {
      fs.rmSync(file, { force: true });
    }
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(scanFolder(folder, detector, { signal: controller.signal }), /scan cancelled/);
  });
});
