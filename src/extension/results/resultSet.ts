import type { FailedImage, GroundTruthLabel, OutlierReason, ScoredImage } from '../../protocol/scanResults';
import type { RankingSettings, ScanStopOutcome } from '../../protocol/webview';
import { LABEL_CODE } from '../../protocol/webview';
import type { DetectorSummary } from '../detectors/detectorSummary';
import { compareByPath, countReasons } from '../../common/gallery/galleryList';
import { sortByScoreDescending } from '../../common/gallery/scoreSort';
import { GroundTruthRules } from '../groundTruth/groundTruthRules';
import type { FolderFindings } from './folderFindings';
import { NO_FOLDER_FINDINGS, reasonsWithFolder } from './folderFindings';
import { copyWithReasons } from './copyWithReasons';
import type { StoredRecords } from './resultCache';
import type { ResultStore, StorePlace, StoreRecord } from './resultStore';
import type { IndexedSignalValues } from './scoredIndex';
import { ScoredIndex } from './scoredIndex';
import type { SetCalibration } from './setCalibration';
import { SetVerdict } from './setVerdict';

/** Why a scan ended before it finished. */
export interface ScanStop {
  readonly outcome: ScanStopOutcome;
  readonly reason: string;
}


/** Pending images that are sorted and merged in at once. */
const MERGE_BATCH = 512;

/**
 * The results of one scan of one folder with one detector, as they stream in. Each scored image
 * goes to the scan's store on disk as it comes; the set keeps only its index (path, score, tail
 * probabilities, file key, place: a few numbers per image) and reads an image back when a view asks
 * for it. It ranks by its `ranking`: the LLR, or the calibrated outlier score of the signals switched
 * on, recomputed from the index's tail columns (never the store) when the user changes a switch or
 * a cut. Every change bumps `revision`; the sorted views are rebuilt lazily, once per revision that
 * someone reads.
 */
export class ResultSet {
  private readonly index = new ScoredIndex();
  private readonly failed = new Map<string, FailedImage>();
  /** Each live image's own reasons, by slot, where it has any (few do): reason counts and the reason filter read them, not the store. */
  private readonly ownReasons = new Map<number, OutlierReason[]>();
  /** Live slots in score order. */
  private sortedSlots: Int32Array = new Int32Array(0);
  /** Slots added since the last sort: merged in, so a streaming scan never re-sorts everything per chunk. */
  private pendingSlots: number[] = [];
  /** A path was replaced or dropped: the next read sorts from scratch. */
  private needsFullSort = false;
  private sortedFailed: FailedImage[] | null = [];
  private scoresCache: { revision: number; scores: Float32Array } | null = null;
  private rankCache: { revision: number; ranks: Int32Array } | null = null;
  private labelsCache: { revision: number; labels: Uint8Array } | null = null;
  private reasonCountsCache: { revision: number; counts: Record<string, number> } | null = null;
  private rules: GroundTruthRules = GroundTruthRules.none;
  private stopState: ScanStop | null = null;
  private listeners = new Set<() => void>();
  private readonly verdict: SetVerdict;
  revision = 0;
  /** Bumped only when scored or failed images change (not by ground truth, stops or folder findings). */
  contentRevision = 0;
  private findings: FolderFindings = NO_FOLDER_FINDINGS;
  private findingsRevision = -1;
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

  constructor(readonly scanId: string, readonly folder: string, readonly detector: DetectorSummary, private readonly store: ResultStore) {
    this.verdict = new SetVerdict(this.index, detector.manifest.calibration ?? null);
  }

  /** The calibration the tails are taken against: the detector's, with the images labelled inliers here. */
  get calibration(): SetCalibration {
    return this.verdict.calibration;
  }

  /**
   * Takes the images labelled inliers into the calibration; when that changes, every image's tails
   * are taken again from the index's measures and the verdict re-ranks (no record is read).
   */
  private recalibrate(): void {
    const live = this.index.liveSlotList();
    const inliers = Array.from(live).filter((slot) => this.rules.labelOf(this.index.pathOf(slot)) === 'inlier' && this.index.tailsOf(slot) !== undefined);
    if (this.verdict.recalibrate(inliers, live)) this.needsFullSort = true;
  }

  /** Adds results; a path scored now is no longer failed, and the other way round. */
  add(items: readonly ScoredImage[], failures: readonly FailedImage[]): void {
    if (items.length === 0 && failures.length === 0) return;
    const places = this.store.append(items.map((item) => ({ kind: 'scored', ...item })));
    items.forEach((item, i) => this.indexScored(item, places[i]));
    this.addFailures(failures);
  }

  /** Adds the images of `relativePaths` kept in an earlier store (a rescan's unchanged files), copying their records as they are; returns how many it held. */
  addStored(from: ResultStore, fromIndex: ScoredIndex, relativePaths: readonly string[]): number {
    const slots = relativePaths.map((relativePath) => fromIndex.slotOf(relativePath)).filter((slot): slot is number => slot !== undefined);
    if (slots.length === 0) return 0;
    const { places, reasons } = copyWithReasons(this.store, from, slots.map((slot) => fromIndex.placeOf(slot)));
    slots.forEach((slot, i) => this.indexScored({ ...fromIndex.knownFileOf(slot), ...fromIndex.valuesOf(slot), tailProbabilities: fromIndex.tailsOf(slot), reasons: reasons[i] }, places[i]));
    this.addFailures([]);
    return slots.length;
  }

  private indexScored(item: Pick<ScoredImage, 'relativePath' | 'instanceScore' | 'size' | 'mtimeMs' | 'contentDigest' | 'tailProbabilities' | 'reasons'> & Partial<IndexedSignalValues>, place: StorePlace): void {
    const { slot, replaced } = this.index.put(item, place);
    this.verdict.indexed(slot);
    if (item.reasons && item.reasons.length > 0) this.ownReasons.set(slot, item.reasons);
    else this.ownReasons.delete(slot);
    if (replaced) this.needsFullSort = true;
    else this.pendingSlots.push(slot);
    if (this.failed.delete(item.relativePath)) this.sortedFailed = null;
  }

  private addFailures(failures: readonly FailedImage[]): void {
    for (const failure of failures) {
      this.failed.set(failure.relativePath, failure);
      this.sortedFailed = null;
      if (this.dropScored(failure.relativePath)) this.needsFullSort = true;
    }
    this.contentRevision++;
    // Folding in every few hundred keeps both an add and the next read short, however fast results arrive.
    if (this.pendingSlots.length >= MERGE_BATCH && !this.needsFullSort) {
      this.slotsByScore();
    }
    this.changed();
  }

  /** The store the scan's images are in (the results cache once the scan ends). */
  get storeFile(): string {
    return this.store.file;
  }

  /** Makes the store the cache file `file` (renamed over the old one); the set goes on reading from it. */
  keepStoreAs(file: string): void {
    this.store.moveTo(file);
  }

  /** Where the records of the scored images lie in the set's store (slot order): what a rewrite of the cache copies. */
  storedRecords(): StoredRecords {
    const slots = this.index.liveSlotList();
    const offsets = new Float64Array(slots.length);
    const lengths = new Uint32Array(slots.length);
    slots.forEach((slot, i) => {
      const place = this.index.placeOf(slot);
      offsets[i] = place.offset;
      lengths[i] = place.length;
    });
    return { store: this.store, offsets, lengths };
  }

  /** Closes the store: a set no longer shown reads no more images. */
  dispose(): void {
    this.store.close();
  }

  /** Takes results out (files moved out of the scan or deleted) and returns them, so an undo can add them back. */
  remove(paths: readonly string[]): { scored: ScoredImage[]; failed: FailedImage[] } {
    const scored: ScoredImage[] = [];
    const failed: FailedImage[] = [];
    for (const relativePath of paths) {
      const slot = this.index.slotOf(relativePath);
      if (slot !== undefined) {
        scored.push(this.imageAt(slot));
        this.dropScored(relativePath);
      }
      const failure = this.failed.get(relativePath);
      if (failure && this.failed.delete(relativePath)) failed.push(failure);
    }
    if (scored.length + failed.length > 0) {
      if (scored.length > 0) this.needsFullSort = true;
      if (failed.length > 0) this.sortedFailed = null;
      const gone = new Set(paths);
      this.selected = this.selected.filter((relativePath) => !gone.has(relativePath));
      // The folder's duplicates and sizes are judged again without them.
      this.contentRevision++;
      this.changed();
    }
    return { scored, failed };
  }

  private dropScored(relativePath: string): boolean {
    const slot = this.index.slotOf(relativePath);
    if (slot !== undefined) this.ownReasons.delete(slot);
    return this.index.drop(relativePath);
  }

  /** Marks the scan finished. */
  finish(): void {
    this.complete = true;
    this.recalibrate();
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
    // While results stream, images labelled inliers join the calibration when the scan ends.
    if (!this.streaming) this.recalibrate();
    this.changed();
  }

  /** The ground truth of one result, if known. */
  labelOf(relativePath: string): GroundTruthLabel | undefined {
    return this.rules.labelOf(relativePath);
  }

  /** `LABEL_CODE` per scored image, aligned with `scores()` (score order). */
  labelCodes(): Uint8Array {
    if (this.labelsCache?.revision !== this.revision) {
      const codes = Uint8Array.from(this.slotsByScore(), (slot) => {
        const label = this.rules.labelOf(this.index.pathOf(slot));
        return label ? LABEL_CODE[label] : LABEL_CODE.unknown;
      });
      this.labelsCache = { revision: this.revision, labels: codes };
    }
    return this.labelsCache.labels;
  }

  /** Odd sizes and duplicate groups judged over the whole folder (see FolderJudge), as of the last judgement. */
  get folderFindings(): FolderFindings {
    return this.findings;
  }

  /** Whether the folder findings were judged over the images the set holds now. */
  get folderFindingsCurrent(): boolean {
    return this.findingsRevision === this.contentRevision;
  }

  /** New folder findings, judged over the set at `contentRevision`: a new revision, so the views show them. */
  setFolderFindings(findings: FolderFindings, contentRevision: number): void {
    this.findings = findings;
    this.findingsRevision = contentRevision;
    this.changed();
  }

  /** An image's reasons as the panel and export show them: its own (under the verdict ranking: the signals past their cuts), then the folder's. */
  reasonsOf(image: ScoredImage): readonly OutlierReason[] | undefined {
    return reasonsWithFolder(this.verdict.judged(image), this.findings);
  }

  /** The image with its outlier score and reasons under the ranking's signals and cuts (as it is under the LLR ranking). */
  judged(image: ScoredImage): ScoredImage {
    return this.verdict.judged(image);
  }

  /** What the set ranks, thresholds and flags by. */
  get ranking(): RankingSettings {
    return this.verdict.ranking;
  }

  /** Ranks by `settings` from now on: every score is recomputed from the tail columns and the order rebuilt. */
  setRanking(settings: RankingSettings): void {
    this.verdict.setRanking(settings);
    this.needsFullSort = true;
    this.changed();
  }

  /** The calibrated signals the scan's images carry tail probabilities for. */
  get tailSignals(): ReturnType<ScoredIndex['tailSignals']> {
    return this.index.tailSignals();
  }

  /** The reasons of the image in `slot` as `reasonsOf` gives them, from the index (no record read). */
  reasonsAt(slot: number): readonly OutlierReason[] | undefined {
    const own = this.verdict.ownReasons(slot, this.ownReasons.get(slot), (flagged: number) => this.imageAt(flagged));
    return reasonsWithFolder({ relativePath: this.index.pathOf(slot), reasons: own }, this.findings);
  }

  /** How many scored images carry each reason (`any`: at least one), folder reasons included: counted over the images that have any, from the index. */
  reasonCounts(): Readonly<Record<string, number>> {
    if (this.reasonCountsCache?.revision !== this.revision) {
      const withReasons = new Set<number>();
      for (const slot of this.ownReasons.keys()) if (this.index.isLive(slot)) withReasons.add(slot);
      for (const slot of this.slotsByScore()) if (this.verdict.flaggedByCuts(slot)) withReasons.add(slot);
      for (const relativePath of this.findings.reasons.keys()) {
        const slot = this.index.slotOf(relativePath);
        if (slot !== undefined) withReasons.add(slot);
      }
      this.reasonCountsCache = { revision: this.revision, counts: countReasons([...withReasons], (slot) => this.reasonsAt(slot)) };
    }
    return this.reasonCountsCache.counts;
  }

  /** Listens to every change; returns the unsubscribe function. */
  onDidChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get scoredCount(): number {
    return this.index.liveCount;
  }

  get failedCount(): number {
    return this.failed.size;
  }

  /** The scored image at `relativePath`, if any (read from the store). */
  scoredImage(relativePath: string): ScoredImage | undefined {
    const slot = this.index.slotOf(relativePath);
    return slot === undefined ? undefined : this.imageAt(slot);
  }

  /** The scored image in `slot` (read from the store). */
  imageAt(slot: number): ScoredImage {
    const image: { -readonly [Key in keyof StoreRecord]?: StoreRecord[Key] } = { ...this.store.read(this.index.placeOf(slot)) };
    delete image.kind;
    return image as ScoredImage;
  }

  /** Where the record of the image in `slot` lies in the store ({@link storeFile}). */
  placeAt(slot: number): StorePlace {
    return this.index.placeOf(slot);
  }

  /** The relative path of the image in `slot`. */
  pathAt(slot: number): string {
    return this.index.pathOf(slot);
  }

  /** The ranked score of the image in `slot`: its outlier score under the verdict ranking, else its instance score. */
  scoreAt(slot: number): number {
    return this.verdict.scoreOf(slot);
  }

  /** Is `relativePath` one of the scan's results (scored or failed)? Webview messages are checked with it. */
  has(relativePath: string): boolean {
    return this.index.slotOf(relativePath) !== undefined || this.failed.has(relativePath);
  }

  /** The slots of the scored images in score order (highest first): what the views page through. */
  slotsByScore(): Int32Array {
    if (this.needsFullSort) {
      const slots = this.index.liveSlotList();
      this.sortedSlots = sortByScoreDescending(slots, (slot) => this.scoreAt(slot), (a, b) => this.compareSlots(a, b));
      this.pendingSlots = [];
      this.needsFullSort = false;
    } else if (this.pendingSlots.length > 0) {
      const pending = Int32Array.from(this.pendingSlots).sort((a, b) => this.compareSlots(a, b));
      this.sortedSlots = this.mergeSorted(this.sortedSlots, pending);
      this.pendingSlots = [];
    }
    return this.sortedSlots;
  }

  /** Relative paths of the scored images in score order. */
  pathsByScore(): string[] {
    return Array.from(this.slotsByScore(), (slot) => this.index.pathOf(slot));
  }

  /** Scored images in score order, every one read from the store: for exports, not for views (they page). */
  scoredByScore(): ScoredImage[] {
    return Array.from(this.slotsByScore(), (slot) => this.imageAt(slot));
  }

  /** Failed files by path. */
  failuresByPath(): readonly FailedImage[] {
    this.sortedFailed ??= [...this.failed.values()].sort((a, b) => compareByPath(a.relativePath, b.relativePath));
    return this.sortedFailed;
  }

  /** The live slot of `relativePath`, if it is a scored image. */
  slotOf(relativePath: string): number | undefined {
    return this.index.slotOf(relativePath);
  }

  /** 1-based rank of a scored image by score (0: not scored). */
  rankOf(relativePath: string): number {
    const slot = this.index.slotOf(relativePath);
    return slot === undefined ? 0 : this.rankOfSlot(slot);
  }

  /** 1-based rank of the image in `slot` by score. */
  rankOfSlot(slot: number): number {
    if (this.rankCache?.revision !== this.revision) {
      const order = this.slotsByScore();
      const ranks = new Int32Array(this.index.slotCount);
      order.forEach((orderedSlot, index) => (ranks[orderedSlot] = index + 1));
      this.rankCache = { revision: this.revision, ranks };
    }
    return this.rankCache.ranks[slot] ?? 0;
  }

  /** All ranked scores (score order), as the webview's snapshot carries them. */
  scores(): Float32Array {
    if (this.scoresCache?.revision !== this.revision) {
      this.scoresCache = { revision: this.revision, scores: Float32Array.from(this.slotsByScore(), (slot) => this.scoreAt(slot)) };
    }
    return this.scoresCache.scores;
  }

  /** The protocol's total order over slots: ranked score descending, ties by instance score, then by path (the export's order). */
  private compareSlots(a: number, b: number): number {
    return this.scoreAt(b) - this.scoreAt(a) || this.index.scoreOf(b) - this.index.scoreOf(a) || compareByPath(this.index.pathOf(a), this.index.pathOf(b));
  }

  /** Merges two slot lists sorted by `compareSlots` in linear time. */
  private mergeSorted(a: Int32Array, b: Int32Array): Int32Array {
    const merged = new Int32Array(a.length + b.length);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < a.length && j < b.length) merged[k++] = this.compareSlots(a[i], b[j]) <= 0 ? a[i++] : b[j++];
    while (i < a.length) merged[k++] = a[i++];
    while (j < b.length) merged[k++] = b[j++];
    return merged;
  }

  private changed(): void {
    this.revision++;
    for (const listener of this.listeners) {
      listener();
    }
  }
}
