import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomic } from '../../engine/store/atomicWrite';
import type { KnownFile } from '../../protocol/engine';
import type { ScoredImage } from '../../protocol/scanResults';

/** Results serialised between two yields to the event loop. */
const SERIALISE_SLICE = 1000;

/** Format of a results cache file. */
const CACHE_FORMAT = { name: 'outlier-lens/results-cache', version: 1 } as const;

/** A results cache file: the scores of one folder under one exact detector. */
interface CacheFile {
  readonly format: typeof CACHE_FORMAT.name;
  readonly version: number;
  readonly folder: string;
  readonly detectorFolder: string;
  /** Digest of the detector's model files: a retrained detector never reuses old scores. */
  readonly modelsDigest: string;
  readonly items: readonly ScoredImage[];
}

/**
 * Scores kept between scans, one JSON file per (folder, detector) in the extension's storage. A
 * rescan sends the cached (path, size, mtime) keys to the engine, which rescores only new or
 * changed files; files that are gone drop out because the engine does not report them unchanged.
 * Where a file was written moments before it was scored, its key carries the digest of its bytes,
 * which the engine compares too (a rewrite within one mtime tick keeps size and mtime).
 */
export class ResultCache {
  constructor(private readonly storageFolder: string) {}

  /** Where the cache of `folder` × `detectorFolder` lives. */
  fileFor(folder: string, detectorFolder: string): string {
    const key = createHash('sha256').update(`${path.resolve(folder)}\0${path.resolve(detectorFolder)}`).digest('hex').slice(0, 24);
    return path.join(this.storageFolder, 'results', `${key}.json`);
  }

  /** The cached scores for this folder and these exact models, or none (missing, retrained detector, unreadable). */
  async read(folder: string, detectorFolder: string, modelsDigest: string): Promise<ScoredImage[]> {
    let parsed: Partial<CacheFile>;
    try {
      parsed = JSON.parse(await fs.promises.readFile(this.fileFor(folder, detectorFolder), 'utf8')) as Partial<CacheFile>;
    } catch {
      return [];
    }
    const valid = parsed.format === CACHE_FORMAT.name && parsed.version === CACHE_FORMAT.version && parsed.modelsDigest === modelsDigest && Array.isArray(parsed.items);
    return valid ? (parsed.items as ScoredImage[]).filter(isScoredImage) : [];
  }

  /** Replaces the cache of this folder and detector, atomically. */
  async write(folder: string, detectorFolder: string, modelsDigest: string, items: readonly ScoredImage[]): Promise<void> {
    const header: Omit<CacheFile, 'items'> = { format: CACHE_FORMAT.name, version: CACHE_FORMAT.version, folder, detectorFolder, modelsDigest };
    // Serialised a slice at a time, yielding between slices: 100,000 results must not block the host for long.
    const parts: string[] = [];
    for (let start = 0; start < items.length; start += SERIALISE_SLICE) {
      parts.push(items.slice(start, start + SERIALISE_SLICE).map((item) => JSON.stringify(item)).join(','));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await writeFileAtomic(this.fileFor(folder, detectorFolder), `${JSON.stringify(header).slice(0, -1)},"items":[${parts.join(',')}]}`);
  }
}

/** The keys the engine compares with the files on disk. */
export function knownFiles(items: readonly ScoredImage[]): KnownFile[] {
  return items.map(({ relativePath, size, mtimeMs, contentDigest }) => ({ relativePath, size, mtimeMs, ...(contentDigest === undefined ? {} : { contentDigest }) }));
}

function isScoredImage(value: unknown): value is ScoredImage {
  const item = value as Partial<ScoredImage> | null;
  return typeof item === 'object' && item !== null && typeof item.relativePath === 'string' && typeof item.instanceScore === 'number'
    && typeof item.size === 'number' && typeof item.mtimeMs === 'number';
}
