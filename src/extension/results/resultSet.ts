import type { FailedImage, GroundTruthLabel, ScoredImage } from '../../protocol/scanResults';
import type { ScanStopOutcome } from '../../protocol/webview';
import { LABEL_CODE } from '../../protocol/webview';
import type { DetectorSummary } from '../detectors/detectorSummary';
import { GroundTruthRules } from '../groundTruth/groundTruthRules';

function byPath(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Why a scan ended before it finished. */
export interface ScanStop {
  readonly outcome: ScanStopOutcome;
  readonly reason: string;
}

/** Pending images that are sorted and merged in at once. */
const MERGE_BATCH = 512;

/** The protocol's total order: score descending, ties by path. */
export function compareScoreDescending(a: ScoredImage, b: ScoredImage): number {
  return b.instanceScore - a.instanceScore || byPath(a.relativePath, b.relativePath);
}

/**
 * The results of one scan of one folder with one detector, as they stream in. Every change bumps
 * `revision`; the sorted views are rebuilt lazily, once per revision that someone reads.
 */
export class ResultSet {
  private readonly scored = new Map<string, ScoredImage>();
  private readonly failed = new Map<string, FailedImage>();
  private sortedScored: ScoredImage[] = [];
  /** Images added since the last sort: merged in, so a streaming scan never re-sorts everything per chunk. */
  private pendingScored: ScoredImage[] = [];
  /** A path was replaced or dropped: the next read sorts from scratch. */
  private needsFullSort = false;
  private sortedFailed: FailedImage[] | null = [];
  private scoresCache: { revision: number; scores: Float32Array } | null = null;
  private rankCache: { revision: number; ranks: Map<string, number> } | null = null;
  private labelsCache: { revision: number; labels: Uint8Array } | null = null;
  private rules: GroundTruthRules = GroundTruthRules.none;
  private stopState: ScanStop | null = null;
  private listeners = new Set<() => void>();
  revision = 0;
  /** The backend that computed the scores, once the engine says. */
  backendDescription: string | null = null;
  /** Whether the scan has finished (or stopped). */
  complete = false;
  /** Scores reused from the results cache (files unchanged since the last scan). */
  reusedFromCache = 0;
  /** Paths the user selected in the gallery (what actions on "the selected images" apply to). */
  selected: readonly string[] = [];
  /** Files the scan reports in all (scored + failed), once the engine has walked the folder. */
  expectedCount: number | null = null;

  constructor(readonly scanId: string, readonly folder: string, readonly detector: DetectorSummary) {}

  /** Adds results; a path scored now is no longer failed, and the other way round. */
  add(items: readonly ScoredImage[], failures: readonly FailedImage[]): void {
    if (items.length === 0 && failures.length === 0) {
      return;
    }
    for (const item of items) {
      if (this.scored.has(item.relativePath)) this.needsFullSort = true;
      this.scored.set(item.relativePath, item);
      this.pendingScored.push(item);
      if (this.failed.delete(item.relativePath)) this.sortedFailed = null;
    }
    for (const failure of failures) {
      this.failed.set(failure.relativePath, failure);
      this.sortedFailed = null;
      if (this.scored.delete(failure.relativePath)) this.needsFullSort = true;
    }
    // Folding in every few hundred keeps both an add and the next read short, however fast results arrive.
    if (this.pendingScored.length >= MERGE_BATCH && !this.needsFullSort) {
      this.scoredByScore();
    }
    this.changed();
  }

  /** Takes results out (files moved out of the scan or deleted) and returns them, so an undo can add them back. */
  remove(paths: readonly string[]): { scored: ScoredImage[]; failed: FailedImage[] } {
    const scored: ScoredImage[] = [];
    const failed: FailedImage[] = [];
    for (const relativePath of paths) {
      const image = this.scored.get(relativePath);
      if (image && this.scored.delete(relativePath)) scored.push(image);
      const failure = this.failed.get(relativePath);
      if (failure && this.failed.delete(relativePath)) failed.push(failure);
    }
    if (scored.length + failed.length > 0) {
      if (scored.length > 0) this.needsFullSort = true;
      if (failed.length > 0) this.sortedFailed = null;
      const gone = new Set(paths);
      this.selected = this.selected.filter((relativePath) => !gone.has(relativePath));
      this.changed();
    }
    return { scored, failed };
  }

  /** Marks the scan finished. */
  finish(): void {
    this.complete = true;
    this.changed();
  }

  /** The scan failed or was cancelled (it may still be resumed, e.g. on CPU). */
  stop(stop: ScanStop): void {
    this.stopState = stop;
    this.changed();
  }

  /** The job runs again after a stop: results stream in once more. */
  resume(): void {
    if (this.stopState) {
      this.stopState = null;
      this.changed();
    }
  }

  /** Why the scan stopped early, while it is stopped. */
  get stopped(): ScanStop | null {
    return this.stopState;
  }

  /** Whether results may still arrive: false once finished or stopped. */
  get streaming(): boolean {
    return !this.complete && this.stopState === null;
  }

  /** The ground truth in force. */
  get groundTruth(): GroundTruthRules {
    return this.rules;
  }

  /** New ground truth (marks or labels file changed): a new revision, so the views relabel without a rescan. */
  setGroundTruth(rules: GroundTruthRules): void {
    this.rules = rules;
    this.changed();
  }

  /** The ground truth of one result, if known. */
  labelOf(relativePath: string): GroundTruthLabel | undefined {
    return this.rules.labelOf(relativePath);
  }

  /** `LABEL_CODE` per scored image, aligned with `scores()` (score order). */
  labelCodes(): Uint8Array {
    if (this.labelsCache?.revision !== this.revision) {
      const codes = Uint8Array.from(this.scoredByScore(), (item) => {
        const label = this.rules.labelOf(item.relativePath);
        return label ? LABEL_CODE[label] : LABEL_CODE.unknown;
      });
      this.labelsCache = { revision: this.revision, labels: codes };
    }
    return this.labelsCache.labels;
  }

  /** Listens to every change; returns the unsubscribe function. */
  onDidChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get scoredCount(): number {
    return this.scored.size;
  }

  get failedCount(): number {
    return this.failed.size;
  }

  /** The scored image at `relativePath`, if any. */
  scoredImage(relativePath: string): ScoredImage | undefined {
    return this.scored.get(relativePath);
  }

  /** Is `relativePath` one of the scan's results (scored or failed)? Webview messages are checked with it. */
  has(relativePath: string): boolean {
    return this.scored.has(relativePath) || this.failed.has(relativePath);
  }

  /** Scored images in score order (highest first). */
  scoredByScore(): readonly ScoredImage[] {
    if (this.needsFullSort) {
      this.sortedScored = [...this.scored.values()].sort(compareScoreDescending);
      this.pendingScored = [];
      this.needsFullSort = false;
    } else if (this.pendingScored.length > 0) {
      this.sortedScored = mergeSorted(this.sortedScored, this.pendingScored.sort(compareScoreDescending));
      this.pendingScored = [];
    }
    return this.sortedScored;
  }

  /** Failed files by path. */
  failuresByPath(): readonly FailedImage[] {
    this.sortedFailed ??= [...this.failed.values()].sort((a, b) => byPath(a.relativePath, b.relativePath));
    return this.sortedFailed;
  }

  /** 1-based rank of a scored image by score. */
  rankOf(relativePath: string): number {
    if (this.rankCache?.revision !== this.revision) {
      this.rankCache = { revision: this.revision, ranks: new Map(this.scoredByScore().map((item, index) => [item.relativePath, index + 1])) };
    }
    return this.rankCache.ranks.get(relativePath) ?? 0;
  }

  /** All instance scores (score order), as the webview's snapshot carries them. */
  scores(): Float32Array {
    if (this.scoresCache?.revision !== this.revision) {
      this.scoresCache = { revision: this.revision, scores: Float32Array.from(this.scoredByScore(), (item) => item.instanceScore) };
    }
    return this.scoresCache.scores;
  }

  private changed(): void {
    this.revision++;
    for (const listener of this.listeners) {
      listener();
    }
  }
}

/** Merges two lists sorted by `compareScoreDescending` in linear time. */
function mergeSorted(a: readonly ScoredImage[], b: readonly ScoredImage[]): ScoredImage[] {
  const merged = new Array<ScoredImage>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) merged[k++] = compareScoreDescending(a[i], b[j]) <= 0 ? a[i++] : b[j++];
  while (i < a.length) merged[k++] = a[i++];
  while (j < b.length) merged[k++] = b[j++];
  return merged;
}
