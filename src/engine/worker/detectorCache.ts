import * as fs from 'fs';
import * as path from 'path';
import type { LlrDetector } from '../llr';
import type { DetectorManifest, LoadedDetector } from '../store';
import { loadDetector } from '../store';

/** A detector lent to one request; `release()` when done with it. */
export interface DetectorLease {
  readonly detector: LlrDetector;
  readonly manifest: DetectorManifest;
  release(): void;
}

interface Entry {
  readonly folder: string;
  readonly manifestMtimeMs: number;
  readonly loaded: Promise<{ detector: LlrDetector; manifest: DetectorManifest }>;
  /** `prepare` of the detector, started by the first request that scores with it. */
  prepared: Promise<void> | null;
  users: number;
  evicted: boolean;
}

/**
 * Keeps the last few loaded detectors, so a scan after training, or the pixel maps of one image
 * after another, skip reading the weights again. An entry is reloaded when its manifest.json
 * changes on disk, and disposed only once no request holds it.
 */
export class DetectorCache {
  private readonly entries: Entry[] = [];

  /**
   * `prepare` readies each detector for scoring (e.g. native scoring sessions), once, when a request
   * first scores with it; `load` reads a detector folder (with the process's scoring plan).
   */
  constructor(
    private readonly capacity = 2,
    private readonly prepare: (detector: LlrDetector) => Promise<void> = async () => undefined,
    private readonly load: (folder: string) => Promise<LoadedDetector> = (folder) => loadDetector(folder),
  ) {}

  /**
   * Lends the detector in `folder`, loading it if needed, and readied for scoring unless `forScoring`
   * is false (sampling needs no scoring sessions).
   */
  async acquire(folder: string, forScoring = true): Promise<DetectorLease> {
    const manifestMtimeMs = (await fs.promises.stat(path.join(folder, 'manifest.json')).catch(() => null))?.mtimeMs ?? -1;
    let entry = this.entries.find((candidate) => candidate.folder === folder);
    if (entry && entry.manifestMtimeMs !== manifestMtimeMs) {
      this.evict(entry);
      entry = undefined;
    }
    if (!entry) {
      entry = { folder, manifestMtimeMs, loaded: this.load(folder), prepared: null, users: 0, evicted: false };
      this.entries.unshift(entry);
      while (this.entries.length > this.capacity) {
        this.evict(this.entries[this.entries.length - 1]);
      }
    }
    const held = entry;
    held.users++;
    let loaded;
    try {
      loaded = await held.loaded;
      if (forScoring) {
        held.prepared ??= this.prepare(loaded.detector);
        await held.prepared;
      }
    } catch (error) {
      held.users--;
      this.evict(held);
      throw error;
    }
    let released = false;
    return {
      detector: loaded.detector,
      manifest: loaded.manifest,
      release: () => {
        if (!released) {
          released = true;
          held.users--;
          this.disposeIfUnused(held);
        }
      },
    };
  }

  /** Adds a detector the worker just trained (the next scan uses it without loading). */
  async put(folder: string, detector: LlrDetector, manifest: DetectorManifest): Promise<void> {
    const existing = this.entries.find((candidate) => candidate.folder === folder);
    if (existing) {
      this.evict(existing);
    }
    const manifestMtimeMs = (await fs.promises.stat(path.join(folder, 'manifest.json'))).mtimeMs;
    this.entries.unshift({ folder, manifestMtimeMs, loaded: Promise.resolve({ detector, manifest }), prepared: null, users: 0, evicted: false });
    while (this.entries.length > this.capacity) {
      this.evict(this.entries[this.entries.length - 1]);
    }
  }

  private evict(entry: Entry): void {
    const index = this.entries.indexOf(entry);
    if (index >= 0) {
      this.entries.splice(index, 1);
    }
    entry.evicted = true;
    this.disposeIfUnused(entry);
  }

  private disposeIfUnused(entry: Entry): void {
    if (entry.evicted && entry.users === 0) {
      entry.loaded.then(({ detector }) => detector.dispose(), () => undefined);
    }
  }
}
