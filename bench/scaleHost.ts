// The host's and the folder rules' side of `npm run bench:scale`, in this plain Node process
// (node --expose-gc; the results modules import no `vscode`). Figures are heap after a full GC.
//  - Folder rules' measures held by a scan (the CLI's drift): real measures of Fashion-MNIST and
//    MNIST images, held as before (an object per image with hex strings) and as now (typed columns).
//  - The extension host's results model: a scan streamed into a ResultSet in the engine's chunks,
//    read as the panel reads it (score snapshot, a gallery page) between chunks; then the cached
//    results reopened as a rescan with nothing changed reopens them (read the cache, copy every
//    record, first page). As a side-by-side, the same images held as objects (what the set held
//    before it paged from disk) and the format-1 cache (one JSON file) read back; and issue #32's
//    host steps (reopen, panel export, cache rewrite, gallery query) before and now, side by side
//    (bench/scaleHostSideBySide.ts).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadDataset } from '../src/engine/data';
import type { ImageDataset } from '../src/engine/data';
import { FolderMeasureTable, measureDecodedImage } from '../src/engine/signals';
import type { DetectorSummary } from '../src/extension/detectors/detectorSummary';
import { GalleryPages } from '../src/extension/panel/galleryPages';
import { knownFiles, ResultCache } from '../src/extension/results/resultCache';
import { ResultSet } from '../src/extension/results/resultSet';
import type { ImageMeasures, ScoredImage } from '../src/protocol/scanResults';
import { sideBySide } from './scaleHostSideBySide';

const gc = (globalThis as { gc?: () => void }).gc;
const CHUNK = 128;
const PAGE = { filter: 'all', sort: 'scoreDescending', threshold: 0, search: '' } as const;

/** Heap in use after a full collection, typed arrays' buffers included, MiB. */
function heapMiB(): number {
  gc?.();
  gc?.();
  const usage = process.memoryUsage();
  return (usage.heapUsed + usage.arrayBuffers) / 2 ** 20;
}

/** Heap figures of a run fed image by image: at each `step` images, peak, at `flatAfter`, and growth after it. */
export interface HeapCurve {
  readonly startMiB: number;
  readonly curve: Array<{ images: number; heapMiB: number }>;
  readonly peakMiB: number;
  readonly atFlatMiB: number | null;
  readonly growthAfterFlatMiB: number | null;
  readonly miBPer1000: number;
}

function heapCurve(count: number, step: number, flatAfter: number, feed: (from: number, to: number) => void): HeapCurve {
  const startMiB = heapMiB();
  const curve: Array<{ images: number; heapMiB: number }> = [];
  for (let done = 0; done < count; ) {
    const next = Math.min(count, done + step);
    feed(done, next);
    done = next;
    curve.push({ images: done, heapMiB: Math.round(heapMiB() * 10) / 10 });
  }
  const atFlat = curve.find((point) => point.images >= flatAfter)?.heapMiB ?? null;
  const after = curve.filter((point) => point.images >= flatAfter).map((point) => point.heapMiB);
  const last = curve[curve.length - 1];
  return {
    startMiB: Math.round(startMiB * 10) / 10,
    curve,
    peakMiB: Math.max(...curve.map((point) => point.heapMiB)),
    atFlatMiB: atFlat,
    growthAfterFlatMiB: atFlat === null ? null : Math.round((Math.max(...after) - atFlat) * 10) / 10,
    miBPer1000: Math.round(((last.heapMiB - startMiB) / (count / 1000)) * 1000) / 1000,
  };
}

/** Image `i`'s real measures, computed when asked (so none is held between): 60% Fashion-MNIST train, the rest MNIST train, as a scan at 28 × 28 grey takes them. */
type MeasureOf = (i: number) => ImageMeasures;

async function realMeasures(count: number): Promise<MeasureOf> {
  const fashionCount = Math.min(60_000, Math.round(count * 0.6));
  const fashion: ImageDataset = await loadDataset('fashion-mnist', 'train', { limit: fashionCount });
  const mnist: ImageDataset = await loadDataset('mnist', 'train', { limit: count - fashionCount });
  return (i) => {
    const [set, k] = i < fashionCount ? [fashion, i] : [mnist, i - fashionCount];
    return measureDecodedImage({ pixels: set.images.subarray(k * 784, (k + 1) * 784), height: 28, width: 28, channels: 1, source: { width: 28, height: 28 } });
  };
}

/** The folder rules' measures held over a scan of `count` images: before (objects) and now (the table). */
export function folderMeasuresHeld(count: number, measureOf: MeasureOf, flatAfter: number): { objects: HeapCurve; table: HeapCurve } {
  // The scan holds every walked path anyway: made first, so neither variant is charged for them.
  const paths = Array.from({ length: count }, (_, i) => `images/${String(i).padStart(6, '0')}.png`);
  const held: Array<{ relativePath: string; measures: ImageMeasures }> = [];
  const objects = heapCurve(count, 5000, flatAfter, (from, to) => {
    for (let i = from; i < to; i++) {
      const measures = measureOf(i);
      JSON.stringify(measures); // as the scan's log write does, which flattens the strings the measures were built of
      held.push({ relativePath: paths[i], measures });
    }
  });
  held.length = 0;
  const table = new FolderMeasureTable();
  const tablePaths: string[] = [];
  const tableCurve = heapCurve(count, 5000, flatAfter, (from, to) => {
    for (let i = from; i < to; i++) {
      const measures = measureOf(i);
      JSON.stringify(measures);
      tablePaths.push(paths[i]);
      table.push(measures);
    }
  });
  return { objects, table: tableCurve };
}

/** A scored image as a calibrated scan gives it (every field, real measures). */
function scoredImage(i: number, measures: ImageMeasures): ScoredImage {
  const noise = Math.sin(i * 12.9898) * 43758.5453;
  const score = (noise - Math.floor(noise)) * 400 - 200;
  return {
    relativePath: `${i < 60_000 ? 'fashion' : 'mnist'}/${String(i).padStart(6, '0')}.png`,
    instanceScore: score,
    semanticLogProb: -1800 - score,
    backgroundLogProb: -1800,
    size: 300 + (i % 400),
    mtimeMs: 1_765_000_000_000 + i,
    measures,
    tailProbabilities: { llr: 0.41, typicality: 0.2, brightness: 0.73, information: 0.5, sharpness: 0.12 },
    outlierScore: 0.38,
    ...(i % 97 === 0 ? { reasons: ['llr' as const] } : {}),
  };
}

/** The host's results model over a scan of `count` images, and reopening its cache. */
export async function hostResults(count: number, measureOf: MeasureOf, flatAfter: number): Promise<Record<string, unknown>> {
  const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'outlier-lens-bench-host-'));
  const detector = { folder: '/detector', manifest: { name: 'bench' } } as unknown as DetectorSummary;
  const cache = new ResultCache(storage);
  try {
    const images = (from: number, to: number): ScoredImage[] => Array.from({ length: to - from }, (_, k) => scoredImage(from + k, measureOf(from + k)));
    let set = new ResultSet('bench', '/folder', detector, cache.createStore('/folder', '/detector', 'models', 'bench'));
    let pages = new GalleryPages(set);
    const streamed = heapCurve(count, 5000, flatAfter, (from, to) => {
      for (let start = from; start < to; start += CHUNK) {
        set.add(JSON.parse(JSON.stringify(images(start, Math.min(to, start + CHUNK)))) as ScoredImage[], []);
        // What the panel does while results stream: a snapshot of every score, then a page.
        if ((start / CHUNK) % 8 === 0) {
          set.scores();
          pages.page(PAGE, 0, 60);
        }
      }
    });
    set.finish();
    set.keepStoreAs(cache.fileFor('/folder', '/detector'));
    const storeBytes = fs.statSync(set.storeFile).size;
    set.dispose();

    const reopenStart = performance.now();
    const cached = await cache.read('/folder', '/detector', 'models');
    if (!cached) throw new Error('the cache did not reopen');
    const readSeconds = (performance.now() - reopenStart) / 1000;
    const known = knownFiles(cached.index);
    set = new ResultSet('bench-2', '/folder', detector, cache.createStore('/folder', '/detector', 'models', 'bench-2'));
    set.addStored(cached.store, cached.index, known.map((file) => file.relativePath));
    pages = new GalleryPages(set);
    const firstPage = pages.page(PAGE, 0, 60);
    const reopenSeconds = (performance.now() - reopenStart) / 1000;
    cached.store.close();
    const reopenedHeapMiB = heapMiB();
    set.finish();
    set.keepStoreAs(cache.fileFor('/folder', '/detector'));
    const steps = await sideBySide(cache, set, storage);
    set.dispose();

    // Side by side: the same images held as objects (a map and the sorted list, as the set held them before), and the format-1 cache read back.
    const held = new Map<string, ScoredImage>();
    const objects = heapCurve(count, 5000, flatAfter, (from, to) => {
      // As they reach the host: parsed from the engine's message.
      for (const image of JSON.parse(JSON.stringify(images(from, to))) as ScoredImage[]) held.set(image.relativePath, image);
    });
    const sorted = [...held.values()].sort((a, b) => b.instanceScore - a.instanceScore);
    const oldCache = path.join(storage, 'format-1.json');
    fs.writeFileSync(oldCache, `{"format":"outlier-lens/results-cache","version":1,"items":[${sorted.map((image) => JSON.stringify(image)).join(',')}]}`);
    held.clear();
    sorted.length = 0;
    const oldStart = performance.now();
    const oldItems = (JSON.parse(fs.readFileSync(oldCache, 'utf8')) as { items: ScoredImage[] }).items;
    const oldReopenSeconds = (performance.now() - oldStart) / 1000;
    const oldHeldMiB = heapMiB();
    return {
      images: count,
      streamed,
      storeMiB: Math.round((storeBytes / 2 ** 20) * 10) / 10,
      reopen: { seconds: Math.round(reopenSeconds * 100) / 100, cacheReadSeconds: Math.round(readSeconds * 100) / 100, heapAfterMiB: Math.round(reopenedHeapMiB * 10) / 10, firstPageItems: firstPage.entries.length },
      steps,
      before: { objectsHeld: objects, format1CacheReadSeconds: Math.round(oldReopenSeconds * 100) / 100, heapWithFormat1CacheMiB: Math.round(oldHeldMiB * 10) / 10, itemsRead: oldItems.length },
    };
  } finally {
    fs.rmSync(storage, { recursive: true, force: true });
  }
}

/** Both measurements on `count` images (the bench's host phase). */
export async function hostAndMeasuresPhase(count: number, flatAfter: number): Promise<Record<string, unknown>> {
  if (!gc) throw new Error('run with node --expose-gc (npm run bench:scale does)');
  const measureOf = await realMeasures(count);
  const folderMeasures = folderMeasuresHeld(count, measureOf, flatAfter);
  const host = await hostResults(count, measureOf, flatAfter);
  return { folderMeasures, host };
}

// Run on its own (bench:scale starts it so, with a collectable heap): prints the figures as JSON.
if (require.main === module) {
  hostAndMeasuresPhase(Number(process.env.SCALE_HOST_FILES ?? 100_000), Number(process.env.SCALE_FLAT_AFTER ?? 10_000)).then(
    (figures) => process.stdout.write(`${JSON.stringify(figures)}\n`),
    (error: unknown) => {
      process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
