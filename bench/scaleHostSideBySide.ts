// The extension host's steps of issue #32, each as it was and as it is now, side by side in one
// run on the same cached results (part of bench/scaleHost.ts, so of `npm run bench:scale`):
//  - reopening the cache: JSON.parse of every record (before) / reading only the index's fields;
//  - the panel's export: every record read into one export object and one string (before) /
//    streamed from the store to the file;
//  - the cache rewrite after a file action: every record read and the cache written in one
//    synchronous block (before) / byte ranges copied a step at a time; figure: the longest
//    event-loop block (perf_hooks.monitorEventLoopDelay) while it runs;
//  - a gallery query: an entry object per matching image (before) / one typed array of positions;
//  - the snapshot's reason counts: every record read (before) / each image's own reasons kept in the index.
// The "before" code is kept here, as it was, only to measure it.
import * as fs from 'fs';
import * as path from 'path';
import { monitorEventLoopDelay } from 'perf_hooks';
import type { GalleryListQuery } from '../src/common/gallery/galleryList';
import { countReasons, galleryPositions, matchesReason } from '../src/common/gallery/galleryList';
import { isOutlierScore } from '../src/common/threshold/outlierRule';
import { buildOutlierExport } from '../src/engine/export/outlierExport';
import { writeFileAtomic } from '../src/engine/store/atomicWrite';
import { folderFindingsOf } from '../src/extension/results/folderFindings';
import { judgeFolderFindings } from '../src/extension/results/folderJudgement';
import type { ResultCache } from '../src/extension/results/resultCache';
import type { ResultSet } from '../src/extension/results/resultSet';
import type { StoreRecord } from '../src/extension/results/resultStore';
import { ScoredIndex } from '../src/extension/results/scoredIndex';
import { writePanelExport } from '../src/extension/workflows/panelExport';

const gc = (globalThis as { gc?: () => void }).gc;
const round = (value: number, digits = 2): number => Math.round(value * 10 ** digits) / 10 ** digits;
const seconds = (since: number): number => (performance.now() - since) / 1000;

/** Heap in use after a full collection, typed arrays' buffers included, MiB. */
function liveHeapMiB(): number {
  gc?.();
  gc?.();
  const usage = process.memoryUsage();
  return (usage.heapUsed + usage.arrayBuffers) / 2 ** 20;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Before: the store read line by line, each line parsed whole with JSON.parse, as ResultStore.open did. */
async function reopenByFullParse(file: string): Promise<ScoredIndex> {
  const index = new ScoredIndex();
  const handle = await fs.promises.open(file, 'r');
  const chunk = Buffer.alloc(1 << 20);
  let position = 0;
  let carry = Buffer.alloc(0);
  let header = true;
  try {
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, position + carry.length);
      if (bytesRead === 0) break;
      const data = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
      let start = 0;
      for (let newline = data.indexOf(0x0a); newline !== -1; newline = data.indexOf(0x0a, start)) {
        const record = JSON.parse(data.toString('utf8', start, newline)) as StoreRecord;
        if (!header && record.kind === 'scored') index.put(record, { offset: position + start, length: newline - start });
        header = false;
        start = newline + 1;
      }
      position += start;
      carry = Buffer.from(data.subarray(start));
    }
  } finally {
    await handle.close();
  }
  return index;
}

/** Before: the gallery rule's loop as it was, an entry object per matching image, then the slots taken out of them. */
function slotsByEntries(set: ResultSet, query: GalleryListQuery): Int32Array {
  const slots = set.slotsByScore();
  const search = query.search.toLowerCase();
  const entries: Array<{ readonly kind: 'scored'; readonly image: number; readonly rank: number }> = [];
  for (let index = 0; index < slots.length; index++) {
    const slot = slots[index];
    const score = Math.fround(set.scoreAt(slot));
    const keep = (search === '' || set.pathAt(slot).toLowerCase().includes(search))
      && (query.filter !== 'outliers' || isOutlierScore(score, query.threshold))
      && (query.filter !== 'inliers' || !isOutlierScore(score, query.threshold))
      && (query.reason === undefined || matchesReason(set.reasonsOf(set.imageAt(slot)), query.reason));
    if (keep) entries.push({ kind: 'scored', image: slot, rank: index + 1 });
  }
  let sorted = entries;
  if (query.sort === 'scoreAscending') sorted = sorted.reverse();
  if (query.sort === 'name') sorted = sorted.sort((a, b) => (set.pathAt(a.image) < set.pathAt(b.image) ? -1 : 1));
  return Int32Array.from(sorted.flatMap((entry) => [entry.image]));
}

/** Now: the shared rule over positions with reasons from the index, as GalleryPages runs it. */
function slotsByPositions(set: ResultSet, query: GalleryListQuery): Int32Array {
  const slots = set.slotsByScore();
  const list = galleryPositions(slots.length, [], query, { pathOf: (p) => set.pathAt(slots[p]), scoreOf: (p) => set.scoreAt(slots[p]), reasonsOf: (p) => set.reasonsAt(slots[p]) });
  const scored = list.scored;
  for (let i = 0; i < scored.length; i++) scored[i] = slots[scored[i]];
  return scored;
}

/** The longest event-loop block (ms) while `work` runs, and its wall time (s). */
async function longestBlock(work: () => Promise<void> | void): Promise<{ longestBlockMs: number; seconds: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 2 });
  histogram.enable();
  await new Promise((resolve) => setTimeout(resolve, 20));
  const started = performance.now();
  await work();
  const took = seconds(started);
  await new Promise((resolve) => setTimeout(resolve, 20));
  histogram.disable();
  return { longestBlockMs: round(histogram.max / 1e6, 1), seconds: round(took) };
}

/** Peak live heap (MiB, sampled after a full collection every few milliseconds while `work` yields) and wall time. */
async function peakDuring(work: () => Promise<void>): Promise<{ peakMiB: number; seconds: number }> {
  let peak = liveHeapMiB();
  const sampler = setInterval(() => (peak = Math.max(peak, liveHeapMiB())), 5);
  const started = performance.now();
  await work();
  const took = seconds(started);
  clearInterval(sampler);
  return { peakMiB: round(Math.max(peak, liveHeapMiB()), 1), seconds: round(took) };
}

/** Before: the export built as one object from every record, then one string, then written (a function of its own, so nothing it held outlives it). */
async function exportAtOnce(set: ResultSet, file: string, baseline: number): Promise<{ peakMiB: number; seconds: number }> {
  const started = performance.now();
  const exported = buildOutlierExport({ detector: { name: 'bench', manifestSha256: '' }, folder: '/folder', threshold: { value: 0, method: 'absolute' }, items: set.scoredByScore(), failures: [], rows: 'all' });
  const text = `${JSON.stringify(exported, null, 2)}\n`;
  const peakMiB = liveHeapMiB();
  await writeFileAtomic(file, text);
  // Both held until written, as the workflow held them.
  if (exported.counts.images !== set.scoredCount) throw new Error('the export before lost images');
  return { peakMiB: round(peakMiB - baseline, 1), seconds: round(seconds(started)) };
}

/** Every step before and now on `set` (its store is the cache of /folder × /detector); `storage` takes the exports. */
export async function sideBySide(cache: ResultCache, set: ResultSet, storage: string): Promise<Record<string, unknown>> {
  const cacheFile = cache.fileFor('/folder', '/detector');
  // Reopening: alternated, three each, medians.
  const before: number[] = [];
  const now: number[] = [];
  for (let round = 0; round < 3; round++) {
    let started = performance.now();
    const parsed = await reopenByFullParse(cacheFile);
    before.push(seconds(started));
    started = performance.now();
    const read = await cache.read('/folder', '/detector', 'models');
    now.push(seconds(started));
    if (!read || read.index.liveCount !== parsed.liveCount) throw new Error('the two reopenings disagree');
    read.store.close();
  }
  const reopenIndex = { beforeSeconds: round(median(before)), nowSeconds: round(median(now)) };

  // The panel's export (all rows, JSON): time on its own, then the live heap above the baseline at its peak.
  const threshold = { value: 0, method: 'absolute' as const };
  const findings = folderFindingsOf(judgeFolderFindings([]));
  const baseline = liveHeapMiB();
  const nowFile = path.join(storage, 'now.json');
  const exportStarted = performance.now();
  await writePanelExport(nowFile, { resultSet: set, threshold, rows: 'all', format: 'json', findings });
  const exportSeconds = seconds(exportStarted);
  const streamed = await peakDuring(() => writePanelExport(nowFile, { resultSet: set, threshold, rows: 'all', format: 'json', findings }).then(() => undefined));
  // The export at once after the streamed one: what it wrote stays reachable a while after it returns, which would count against the streamed one.
  const exportBefore = await exportAtOnce(set, path.join(storage, 'before.json'), baseline);
  const exportFigures = { before: exportBefore, now: { peakMiB: round(streamed.peakMiB - baseline, 1), seconds: round(exportSeconds) }, megabytes: round(fs.statSync(nowFile).size / 2 ** 20, 1) };

  // The cache rewrite after an image was deleted.
  const first = set.slotsByScore()[0];
  set.remove([set.pathAt(first)]);
  const rewriteBefore = await longestBlock(() => {
    const store = cache.createStore('/folder', '/detector', 'models', 'rewrite-before');
    store.append(set.scoredByScore().map((image) => ({ kind: 'scored' as const, ...image })));
    store.moveTo(cacheFile);
    store.close();
  });
  const rewriteNow = await longestBlock(() => cache.rewrite({ folder: '/folder', detectorFolder: '/detector', modelsDigest: 'models', records: () => set.storedRecords() }));

  // Gallery queries: five of each, medians.
  const queries: Record<string, GalleryListQuery> = {
    all: { filter: 'all', sort: 'scoreDescending', search: '', threshold: 0 },
    outliersByName: { filter: 'outliers', sort: 'name', search: '', threshold: 0 },
    search: { filter: 'all', sort: 'scoreAscending', search: 'ion/00', threshold: 0 },
    anyReason: { filter: 'all', sort: 'scoreDescending', search: '', threshold: 0, reason: 'any' },
  };
  const gallery: Record<string, unknown> = {};
  for (const [name, query] of Object.entries(queries)) {
    const times = { before: [] as number[], now: [] as number[] };
    for (let round = 0; round < 5; round++) {
      let started = performance.now();
      const old = slotsByEntries(set, query);
      times.before.push(seconds(started) * 1000);
      started = performance.now();
      const typed = slotsByPositions(set, query);
      times.now.push(seconds(started) * 1000);
      if (old.length !== typed.length || old.some((slot, i) => slot !== typed[i])) throw new Error(`the gallery lists of ${name} disagree`);
    }
    gallery[name] = { matches: slotsByPositions(set, query).length, beforeMs: round(median(times.before), 1), nowMs: round(median(times.now), 1) };
  }
  // The snapshot's reason counts: over every record read from the store (before) / from the index (now).
  const counts = { before: [] as number[], now: [] as number[] };
  for (let round = 0; round < 3; round++) {
    let started = performance.now();
    const old = countReasons(set.scoredByScore(), (image) => set.reasonsOf(image));
    counts.before.push(seconds(started) * 1000);
    set.setGroundTruth(set.groundTruth);
    started = performance.now();
    const indexed = set.reasonCounts();
    counts.now.push(seconds(started) * 1000);
    if (JSON.stringify(old) !== JSON.stringify(indexed)) throw new Error('the reason counts disagree');
  }
  const reasonCounts = { beforeMs: round(median(counts.before), 1), nowMs: round(median(counts.now), 1) };
  return { reopenIndex, export: exportFigures, cacheRewrite: { before: rewriteBefore, now: rewriteNow }, gallery, reasonCounts };
}
