/**
 * The typed protocol between the extension host and the Outlier Lens panel webview.
 *
 * Rules both sides keep:
 * - The webview posts `ready` first; the host queues every message until it arrives.
 * - Requests carry `requestId`; every reply carries `inReplyTo` with that id (or a `requestFailed`).
 * - Bulk numbers travel as typed arrays (structured clone), never `Array.from`.
 * - Score order is a total order: by the ranked score (`ScoredGalleryItem.score`: the outlier score
 *   or the LLR, see `RankingSettings`), ties by `instanceScore`, then by `relativePath`; failed files
 *   always come after the scored images, by name. The webview relies on it to slice the
 *   `outliers` / `inliers` filters out of the `all` pages locally when the threshold moves.
 */
import type { CalibratedSignal, FailedImage, GroundTruthLabel, OutlierReason, PixelMaps, ThresholdSetting } from './scanResults';

/** Which results the gallery lists. `all` = scored images, then failed files. */
export type GalleryFilter = 'all' | 'outliers' | 'inliers' | 'errors';

/** The reason filter: one reason, or `any` (at least one reason). */
export type ReasonFilter = OutlierReason | 'any';

/** Gallery order. Score orders use the total order described above; `name` is by `relativePath`. */
export type GallerySort = 'scoreDescending' | 'scoreAscending' | 'name';

/** What the panel ranks, thresholds and flags by: the calibrated outlier score of the signals switched on, or the LLR alone. */
export type RankingMode = 'verdict' | 'llr';

/** The user's ranking: the mode, the calibrated signals switched on and each one's own cut (a tail probability; absent = alpha/k). */
export interface RankingSettings {
  readonly mode: RankingMode;
  readonly signals: readonly CalibratedSignal[];
  readonly cuts: Readonly<Partial<Record<CalibratedSignal, number>>>;
}

/** The ranking in force and what the scan allows. */
export interface RankingState {
  readonly settings: RankingSettings;
  /** Calibrated signals the scan's images carry tail probabilities for; empty = only the LLR can rank. */
  readonly available: readonly CalibratedSignal[];
  /** The default settings of this scan (what Reset goes back to). */
  readonly defaults: RankingSettings;
  /** Why only the LLR ranks (no calibration), in a sentence. */
  readonly unavailable?: string;
  /** Where the known inliers the tails are taken against came from (the detector's hold-out, and images labelled inliers here). */
  readonly calibratedOn?: string;
}

/** The two PixelCNN++ models of a likelihood-ratio detector. */
export type ModelRole = 'semantic' | 'background';

/**
 * Ground truth per score in `ScoresSnapshot.labels`: 0 unknown, 1 inlier, 2 outlier.
 * A byte per image keeps 100,000 labels at 100 kB. The host takes them from folders the user
 * marked in the Explorer and from the scanned folder's `outlier-lens.labels.csv`.
 */
export const LABEL_CODE = { unknown: 0, inlier: 1, outlier: 2 } as const;

/** One scored image as a gallery page lists it. */
export interface ScoredGalleryItem {
  readonly kind: 'scored';
  /** Path relative to the scanned folder, POSIX separators; the key of the image. */
  readonly relativePath: string;
  /** The score the panel ranks and thresholds by: the outlier score under the verdict ranking, else `instanceScore`. */
  readonly score: number;
  /** −(log p_semantic − log p_background) in nats; higher = more outlying. */
  readonly instanceScore: number;
  readonly semanticLogProb: number;
  readonly backgroundLogProb: number;
  /** 1 = the highest score of the scan (score-descending position among scored images). */
  readonly rank: number;
  /** Each calibrated signal's tail probability against the detector's known inliers (absent without calibration). */
  readonly tailProbabilities?: Readonly<Partial<Record<CalibratedSignal, number>>>;
  /** A webview URI (`asWebviewUri`) or data URI the browser can show; the engine converts TIFF/BMP to PNG. */
  readonly imageUri: string;
  /** Ground truth, when the user marked a folder above it or a labels file names it. */
  readonly label?: GroundTruthLabel;
  /** Why the image stands out (the scan's signals), most extreme first; absent when nothing does. */
  readonly reasons?: readonly OutlierReason[];
}

/** One file the scan could not score, as a gallery page lists it. */
export interface FailedGalleryItem extends FailedImage {
  readonly kind: 'failed';
}

/** An entry of a gallery page. */
export type GalleryItem = ScoredGalleryItem | FailedGalleryItem;

/** One gallery query: what the webview wants listed and in which order. */
export interface GalleryQuery {
  readonly filter: GalleryFilter;
  readonly sort: GallerySort;
  /** Case-insensitive substring of `relativePath`; empty = no search. */
  readonly search: string;
  /** The threshold value the `outliers` / `inliers` filters use (outlier ⇔ score > threshold). */
  readonly threshold: number;
  /** Only the scored images with this reason (`any`: with at least one); absent = no reason filter. */
  readonly reason?: ReasonFilter;
}

/** Training curve of one model: one entry per epoch, same length in every array. */
export interface TrainingCurve {
  readonly epochs: Float32Array;
  /** Mean negative log-likelihood per image, in nats. */
  readonly loss: Float32Array;
  readonly bitsPerDim: Float32Array;
  /** Held-out bits/dim per epoch, when the fit kept a validation split. */
  readonly validationBitsPerDim?: Float32Array;
}

/** Sample images drawn from one model, as URIs the webview can show. */
export interface SampleImageUris {
  readonly kind: 'uris';
  readonly uris: readonly string[];
}

/** Sample images drawn from one model, as raw bytes: `count × height × width × channels`, row-major. */
export interface SampleImagePixels {
  readonly kind: 'pixels';
  readonly count: number;
  readonly height: number;
  readonly width: number;
  /** 1 (gray) or 3 (RGB). */
  readonly channels: 1 | 3;
  readonly pixels: Uint8Array;
}

/** Samples of one model in either form. */
export type SampleImages = SampleImageUris | SampleImagePixels;

/** What the training view shows for one model. */
export interface ModelTraining {
  readonly curve: TrainingCurve;
  readonly samples?: SampleImages;
}

// ───────────────────────────── host → webview ─────────────────────────────

/** All instance scores of the scan, once per result set: powers counts, histogram, percentiles and ROC locally. */
export interface ScoresSnapshot {
  readonly type: 'scoresSnapshot';
  /** Identifies the scan; a new id resets the scan-specific UI state (threshold, scroll, marks). */
  readonly scanId: string;
  /** Bumped whenever the result set changes (streaming scan, rescan); cached pages of older revisions are dropped. */
  readonly revision: number;
  /** Shown in the panel's header. */
  readonly folderLabel: string;
  readonly detectorName: string;
  /** The ranked score of every scored image (outlier scores or instance scores, see `ranking`), in any order (aligned with `labels`). */
  readonly scores: Float32Array;
  /** What the scores are: the ranking in force and what the scan allows; absent = the LLR, no calibration. */
  readonly ranking?: RankingState;
  /** `LABEL_CODE` per score, same index as `scores`; present when the user marked folders or the folder has a labels file. */
  readonly labels?: Uint8Array;
  /** How many files failed; they are listed through the `errors` filter. */
  readonly failedCount: number;
  /** The host's current threshold; used unless the webview restores its own for the same scan. */
  readonly threshold: ThresholdSetting;
  /** The detector's own threshold (its saved one, else the default percentile): what "Reset" goes back to. */
  readonly detectorThreshold?: ThresholdSetting;
  /** False while results still stream in; true once the scan has ended (finished, cancelled or failed: see `ScanStopped`). */
  readonly complete: boolean;
  /** Files the scan reports in all (scored + failed), once the engine has walked the folder: the N of "n of N". */
  readonly expectedCount?: number;
  /** How many scored images carry each reason (`any`: at least one), folder reasons included once judged. */
  readonly reasonCounts?: Readonly<Partial<Record<ReasonFilter, number>>>;
  /** Number of duplicate groups (exact and near) over the whole folder; listed through `RequestDuplicateGroups`. */
  readonly duplicateGroupCount?: number;
  /** True when the folder is too large for the editor to judge folder reasons (odd size, duplicates) in the panel. */
  readonly folderReasonsSkipped?: boolean;
  /** Present when this scan's detector was retrained without another's flagged images: that detector's ranking, to compare. */
  readonly previousRanking?: PreviousRanking;
}

/** The ranking of the detector a "Retrain without flagged" replaced, over the images of the new scan. */
export interface PreviousRanking {
  readonly detectorName: string;
  /** Its instance scores, aligned with the snapshot's `scores` (NaN for an image it did not score). */
  readonly scores: Float32Array;
  /** The threshold it flagged at: the images above it were left out of the new detector's training. */
  readonly threshold: number;
  /** Training images of the old detector and of the retrained one (null where the manifest does not say). */
  readonly trainingImages: { readonly previous: number | null; readonly retrained: number | null };
}

/** Reply to `RequestPage`: items `[offset, offset + items.length)` of the query, and its total. */
export interface PageReply {
  readonly type: 'pageReply';
  readonly inReplyTo: number;
  /** The `ScoresSnapshot.revision` the page was cut from. */
  readonly revision: number;
  readonly offset: number;
  /** Number of items the whole query matches. */
  readonly total: number;
  readonly items: readonly GalleryItem[];
}

/** Reply to `RequestPixelMaps`: per-pixel log-likelihoods and LLR of one image, with its gallery entry. */
export interface PixelMapsReply {
  readonly type: 'pixelMapsReply';
  readonly inReplyTo: number;
  /** The image's entry, so a detail view restored after a reload can show score, rank and image. */
  readonly item: ScoredGalleryItem;
  readonly maps: PixelMaps;
}

/** Reply to `RequestTraining`: curves (and samples when asked) of both models; absent when the detector kept none. */
export interface TrainingReply {
  readonly type: 'trainingReply';
  readonly inReplyTo: number;
  readonly detectorName: string;
  readonly models?: { readonly semantic: ModelTraining; readonly background: ModelTraining };
}

/** One duplicate group as the duplicates view lists it. */
export interface DuplicateGroup {
  /** `exact`: the same decoded pixels; `near`: within the perceptual hash's radius. */
  readonly kind: 'exact' | 'near';
  /** The group's images in score order (highest first). */
  readonly items: readonly ScoredGalleryItem[];
}

/** Reply to `RequestDuplicateGroups`: groups `[offset, offset + groups.length)` and how many there are. */
export interface DuplicateGroupsReply {
  readonly type: 'duplicateGroupsReply';
  readonly inReplyTo: number;
  /** The `ScoresSnapshot.revision` the groups were cut from. */
  readonly revision: number;
  readonly offset: number;
  readonly total: number;
  readonly groups: readonly DuplicateGroup[];
}

/** A request could not be answered; `reason` is shown to the user. */
export interface RequestFailed {
  readonly type: 'requestFailed';
  readonly inReplyTo: number;
  readonly reason: string;
}

/** The host changed the threshold (side view, command, detector default); the webview follows without echoing. */
export interface SetThreshold {
  readonly type: 'setThreshold';
  readonly threshold: ThresholdSetting;
}

/** How a scan ended early. */
export type ScanStopOutcome = 'failed' | 'cancelled';

/**
 * The scan shown stopped before it finished: it failed or the user cancelled it. Posted after
 * the snapshot that says `complete`, again after every `ready`; a later snapshot of the same scan
 * with `complete: false` (the job was resumed) or another `scanId` ends it.
 */
export interface ScanStopped {
  readonly type: 'scanStopped';
  readonly scanId: string;
  readonly outcome: ScanStopOutcome;
  /** A sentence a person can act on ("The engine stopped: it was killed (SIGKILL …)"). */
  readonly reason: string;
}

/** How the last action on the selection ended, as a sentence for the panel. */
export interface ActionResult {
  /** Counts up with every action and undo, so the panel shows each result once. */
  readonly sequence: number;
  /** `cancelled`: the user declined a confirmation or closed a dialog, and nothing changed. */
  readonly outcome: 'done' | 'cancelled' | 'failed';
  /** "Moved 5 images to .outliers/ (1 renamed: a.png → a (1).png)." */
  readonly message: string;
  /** The selection after the action, where it changed (moved images carry their new paths; trashed ones are gone). */
  readonly selection?: readonly string[];
}

/** The state of the actions on the selection: pushed after each change and after every `ready`. */
export interface ActionState {
  readonly type: 'actionState';
  /** What runs now ("Moving 5 images to .outliers/…"); null when nothing does (the buttons are enabled again). */
  readonly running: string | null;
  /** What Undo would undo ("move of 5 images to .outliers/"); null when nothing can be undone. */
  readonly undo: string | null;
  /** The last action's or undo's result; null before the first. */
  readonly result: ActionResult | null;
}

/** Every message the host posts to the webview. */
export type ToWebviewMessage = ScoresSnapshot | PageReply | PixelMapsReply | TrainingReply | DuplicateGroupsReply | RequestFailed | SetThreshold | ScanStopped | ActionState;

// ───────────────────────────── webview → host ─────────────────────────────

/** The webview has installed its listeners; the host may flush its queue. */
export interface Ready {
  readonly type: 'ready';
}

/** Ask for items `[offset, offset + limit)` of a gallery query. */
export interface RequestPage {
  readonly type: 'requestPage';
  readonly requestId: number;
  readonly offset: number;
  readonly limit: number;
  readonly query: GalleryQuery;
}

/**
 * Ask for duplicate groups `[offset, offset + limit)` over the whole folder: exact groups first,
 * then near ones, each list by its groups' highest score.
 */
export interface RequestDuplicateGroups {
  readonly type: 'requestDuplicateGroups';
  readonly requestId: number;
  readonly offset: number;
  readonly limit: number;
}

/** Ask for the per-pixel maps of one scored image (computed by the engine on demand). */
export interface RequestPixelMaps {
  readonly type: 'requestPixelMaps';
  readonly requestId: number;
  readonly relativePath: string;
}

/**
 * Ask for the detector's training curves, and with `includeSamples` the samples drawn from both
 * models. The curves come from the manifest at once; drawing samples takes the engine seconds, so
 * the webview asks for the curves first and the samples after.
 */
export interface RequestTraining {
  readonly type: 'requestTraining';
  readonly requestId: number;
  readonly includeSamples: boolean;
}

/** The user set the threshold in the panel (slider, field, histogram); the host syncs the side view and export. */
export interface DidChangeThreshold {
  readonly type: 'didChangeThreshold';
  readonly threshold: ThresholdSetting;
}

/**
 * The user switched the ranking (outlier score or LLR), a signal or a cut; the host re-ranks,
 * resets the threshold to the ranking's default when the mode changed, and sends a new snapshot.
 */
export interface DidChangeRanking {
  readonly type: 'didChangeRanking';
  readonly ranking: RankingSettings;
}

/**
 * The user changed the gallery's selection (click, Ctrl/Cmd-click, Shift-click, Space, "select
 * all flagged"); `selected` is the whole selection after the change, the images the host's
 * actions on "the selected images" apply to.
 */
export interface DidChangeSelection {
  readonly type: 'didChangeSelection';
  readonly selected: readonly string[];
}

/** Open the image in a VS Code editor. The host checks the path is one of the scan's results. */
export interface OpenImage {
  readonly type: 'openImage';
  readonly relativePath: string;
}

/** Reveal the image in the Explorer. The host checks the path is one of the scan's results. */
export interface RevealInExplorer {
  readonly type: 'revealInExplorer';
  readonly relativePath: string;
}

/** Run the stopped scan `scanId` again (same folder and detector); scores already computed come from the cache. */
export interface RetryScan {
  readonly type: 'retryScan';
  readonly scanId: string;
}

/**
 * Train a new detector on scan `scanId`'s folder without the images above the threshold and the
 * folders marked as outliers (same settings, beside the old detector), then scan with it.
 */
export interface RetrainWithoutFlagged {
  readonly type: 'retrainWithoutFlagged';
  readonly scanId: string;
}

/**
 * What the panel can do with the selected images: move them to `<scanned>/.outliers/` (relative
 * paths kept) or to a folder the user picks, move them to the trash, copy their paths, or label
 * them in the labels file.
 */
export type SelectionActionKind = 'moveToOutliers' | 'moveTo' | 'trash' | 'copyPaths' | 'markInliers' | 'markOutliers';

/** Every selection action, in the order the panel offers them. */
export const SELECTION_ACTIONS: readonly SelectionActionKind[] = ['moveToOutliers', 'moveTo', 'trash', 'copyPaths', 'markInliers', 'markOutliers'];

/**
 * Act on the selected images. Not a request: a confirmation or a folder dialog may wait on the
 * user for minutes, so the outcome comes back in `actionState`. The host checks each path is one
 * of the scan's results and runs one action at a time.
 */
export interface ActOnSelection {
  readonly type: 'actOnSelection';
  readonly action: SelectionActionKind;
  readonly paths: readonly string[];
}

/** Undo the last file action or labelling (possible while the panel stays open); the outcome comes in `actionState`. */
export interface UndoLastAction {
  readonly type: 'undoLastAction';
}

/** Every message the webview posts to the host. */
export type FromWebviewMessage =
  | Ready
  | RequestPage
  | RequestPixelMaps
  | RequestTraining
  | RequestDuplicateGroups
  | DidChangeThreshold
  | DidChangeRanking
  | DidChangeSelection
  | OpenImage
  | RevealInExplorer
  | RetryScan
  | RetrainWithoutFlagged
  | ActOnSelection
  | UndoLastAction;

/** Messages that are replies, keyed by the request type that asks for them. */
export interface ReplyFor {
  readonly requestPage: PageReply;
  readonly requestPixelMaps: PixelMapsReply;
  readonly requestTraining: TrainingReply;
  readonly requestDuplicateGroups: DuplicateGroupsReply;
}

/** A webview → host request (it carries a `requestId`). */
export type WebviewRequest = RequestPage | RequestPixelMaps | RequestTraining | RequestDuplicateGroups;
