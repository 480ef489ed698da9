import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { KnownFile } from '../../protocol/engine';
import type { StorePlace } from './resultStore';
import { ResultStore } from './resultStore';
import { ScoredIndex } from './scoredIndex';

/** Format of a results cache file (JSON Lines: this header, then a record per scored image). */
const CACHE_FORMAT = { name: 'outlier-lens/results-cache', version: 2 } as const;

/** A partial store not written to for this long belongs to no running scan (a window was closed or killed mid-scan). */
const ABANDONED_PARTIAL_MS = 10 * 60 * 1000;

/** The first line of a results cache: the scores of one folder under one exact detector. */
interface CacheHeader {
  readonly format: typeof CACHE_FORMAT.name;
  readonly version: number;
  readonly folder: string;
  readonly detectorFolder: string;
  /** Digest of the detector's model files: a retrained detector never reuses old scores. */
  readonly modelsDigest: string;
}

/** Bytes of records a cache rewrite copies between two yields to the event loop. */
const REWRITE_STEP_BYTES = 1 << 20;

/** Where the records a cache keeps lie: a store and, per record, its offset and length in it. */
export interface StoredRecords {
  readonly store: ResultStore;
  readonly offsets: Float64Array;
  readonly lengths: Uint32Array;
}

/** A rewrite of the cache of one folder and detector: `records` is asked for when the rewrite starts, so it copies what is current then. */
export interface CacheRewrite {
  readonly folder: string;
  readonly detectorFolder: string;
  readonly modelsDigest: string;
  readonly records: () => StoredRecords;
}

/** The rewrite of one cache in progress, and whether a request came after it took its records. */
interface RewriteJob {
  latest: CacheRewrite;
  again: boolean;
  done: Promise<void>;
}

/** Cached scores opened for a rescan: the store they are in and its index. */
export interface CachedResults {
  readonly store: ResultStore;
  readonly index: ScoredIndex;
}

/**
 * Scores kept between scans, one JSON Lines store per (folder, detector) in the extension's
 * storage. A scan streams its results into a new store, which replaces the cache when the scan
 * ends (finished or stopped: what was scored stays valid). A rescan sends the cached (path, size,
 * mtime) keys to the engine, which rescores only new or changed files; the records of unchanged
 * ones are copied over, and files that are gone drop out because the engine does not report them
 * unchanged. Where a file was written moments before it was scored, its key carries the digest of
 * its bytes, which the engine compares too (a rewrite within one mtime tick keeps size and mtime).
 */
export class ResultCache {
  private readonly rewrites = new Map<string, RewriteJob>();
  private rewriteCount = 0;

  constructor(private readonly storageFolder: string) {}

  /** Where the cache of `folder` × `detectorFolder` lives. */
  fileFor(folder: string, detectorFolder: string): string {
    return path.join(this.storageFolder, 'results', `${cacheKey(folder, detectorFolder)}.jsonl`);
  }

  /** The cached scores for this folder and these exact models, or null (missing, retrained detector, unreadable); the caller closes the store. */
  async read(folder: string, detectorFolder: string, modelsDigest: string): Promise<CachedResults | null> {
    this.removeSuperseded(folder, detectorFolder);
    const index = new ScoredIndex();
    const isHeader = (value: unknown): value is CacheHeader => {
      const header = value as Partial<CacheHeader> | null;
      return header?.format === CACHE_FORMAT.name && header.version === CACHE_FORMAT.version && header.modelsDigest === modelsDigest;
    };
    const opened = await ResultStore.open(this.fileFor(folder, detectorFolder), isHeader, (record, place) => index.put(record, place)).catch(() => null);
    return opened && { store: opened.store, index };
  }

  /** A new store for a scan of this folder with this detector, beside the cache it will replace. */
  createStore(folder: string, detectorFolder: string, modelsDigest: string, scanId: string): ResultStore {
    const file = path.join(this.storageFolder, 'results', `${cacheKey(folder, detectorFolder)}.${scanId}.partial.jsonl`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const header: CacheHeader = { format: CACHE_FORMAT.name, version: CACHE_FORMAT.version, folder, detectorFolder, modelsDigest };
    return ResultStore.create(file, header);
  }

  /**
   * Replaces the cache with exactly the records `request.records()` points to (after files were
   * moved or deleted: a store only appends, so the images taken out would come back on
   * reopening): their bytes are copied into a temporary store a step at a time, yielding to the
   * event loop between steps, then it is flushed and renamed over the cache. Rewrites of one cache
   * run one at a time; requests that come while one runs are served by one more rewrite, of the
   * latest request's records, taken when it starts. A result set reading the old file keeps
   * reading it (by its descriptor). Resolves once the cache holds the latest request's records.
   */
  rewrite(request: CacheRewrite): Promise<void> {
    const file = this.fileFor(request.folder, request.detectorFolder);
    const running = this.rewrites.get(file);
    if (running) {
      running.latest = request;
      running.again = true;
      return running.done;
    }
    const job: RewriteJob = { latest: request, again: true, done: Promise.resolve() };
    this.rewrites.set(file, job);
    job.done = (async () => {
      try {
        while (job.again) {
          job.again = false;
          await this.rewriteNow(file, job.latest);
        }
      } finally {
        this.rewrites.delete(file);
      }
    })();
    return job.done;
  }

  private async rewriteNow(file: string, request: CacheRewrite): Promise<void> {
    const { store: source, offsets, lengths } = request.records();
    const store = this.createStore(request.folder, request.detectorFolder, request.modelsDigest, `rewrite-${process.pid}-${++this.rewriteCount}`);
    const temporary = store.file;
    try {
      for (let first = 0; first < offsets.length; ) {
        const places: StorePlace[] = [];
        let bytes = 0;
        for (; first < offsets.length && (places.length === 0 || bytes + lengths[first] < REWRITE_STEP_BYTES); first++) {
          places.push({ offset: offsets[first], length: lengths[first] });
          bytes += lengths[first] + 1;
        }
        store.copyFrom(source, places);
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      await store.moveToInBackground(file);
    } catch (error) {
      fs.rmSync(temporary, { force: true });
      throw error;
    } finally {
      store.close();
    }
  }

  /** Removes what no scan will read: the format-1 cache (one JSON file) and partial stores of scans that died. */
  private removeSuperseded(folder: string, detectorFolder: string): void {
    const key = cacheKey(folder, detectorFolder);
    const resultsFolder = path.join(this.storageFolder, 'results');
    let names: string[];
    try {
      names = fs.readdirSync(resultsFolder);
    } catch {
      return;
    }
    for (const name of names) {
      const file = path.join(resultsFolder, name);
      const abandoned = name.startsWith(`${key}.`) && name.endsWith('.partial.jsonl') && safeAge(file) > ABANDONED_PARTIAL_MS;
      if (name === `${key}.json` || abandoned) fs.rmSync(file, { force: true });
    }
  }
}

/** The keys the engine compares with the files on disk. */
export function knownFiles(index: ScoredIndex): KnownFile[] {
  return Array.from(index.liveSlotList(), (slot) => index.knownFileOf(slot));
}

function cacheKey(folder: string, detectorFolder: string): string {
  return createHash('sha256').update(`${path.resolve(folder)}\0${path.resolve(detectorFolder)}`).digest('hex').slice(0, 24);
}

function safeAge(file: string): number {
  try {
    return Date.now() - fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}
