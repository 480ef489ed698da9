/** The results of a scan as every runtime sees them: engine worker, extension host, webview, CLI export. */

/** One image the detector scored. Scores are in nats; higher `instanceScore` = more likely an outlier. */
export interface ScoredImage {
  /** Path relative to the scanned folder, POSIX separators; the key of the image everywhere. */
  readonly relativePath: string;
  /** −(log p_semantic(x) − log p_background(x)), summed over pixels and channels. */
  readonly instanceScore: number;
  /** log p_semantic(x), summed over pixels (for likelihood-only ranking and display). */
  readonly semanticLogProb: number;
  /** log p_background(x), summed over pixels. */
  readonly backgroundLogProb: number;
  /** File size in bytes and modification time, which key the result cache. */
  readonly size: number;
  readonly mtimeMs: number;
  /**
   * SHA-256 of the file's bytes, kept only when its stat was in doubt: it was modified less than
   * {@link RACY_STAT_WINDOW_MS} before it was read, so a later write could keep size and mtime.
   */
  readonly contentDigest?: string;
  /** The image checks' measures (absent when the scan ran without them). */
  readonly measures?: ImageMeasures;
  /** Each calibrated signal's tail probability against the detector's known inliers (absent without calibration). */
  readonly tailProbabilities?: Partial<Record<CalibratedSignal, number>>;
  /** The combined verdict's score, −log10 of the smallest corrected tail probability (absent without calibration). */
  readonly outlierScore?: number;
  /** Why the image stands out: the calibrated signals past their thresholds, then folder checks (size, duplicates). */
  readonly reasons?: OutlierReason[];
}

/** Model-free measures of one image, at the resolution it was scored (issue #30's image checks). */
export interface ImageMeasures {
  /** Mean grey level, 0–255. */
  readonly brightness: number;
  /** Shannon entropy of the grey-level histogram, bits (0 = one constant level). */
  readonly entropy: number;
  /** Variance of the Laplacian (low = blurry or flat). */
  readonly sharpness: number;
  /** RGB whose three channels are equal everywhere; null where the image was decoded as grey. */
  readonly greyAsRgb: boolean | null;
  /** The file's own size before resizing. */
  readonly sourceWidth: number;
  readonly sourceHeight: number;
  /** Hash of the decoded pixels: equal for exact duplicates. */
  readonly pixelHash: string;
  /** 64-bit DCT perceptual hash, 16 hex digits: near duplicates are within a few bits. */
  readonly perceptualHash: string;
  /** 8 × 8 grey thumbnail (128 hex digits) that confirms a near duplicate the hash proposes. */
  readonly thumbnail: string;
}

/** The signals a scan can use: `checks` = brightness, information, sharpness and odd size; `duplicates` = exact and near. */
export type SignalGroup = 'llr' | 'typicality' | 'checks' | 'duplicates';

/** Every signal group, the default of a scan. */
export const SIGNAL_GROUPS: readonly SignalGroup[] = ['llr', 'typicality', 'checks', 'duplicates'];

/** The signals calibrated against known inliers, each to a tail probability. */
export type CalibratedSignal = 'llr' | 'typicality' | 'brightness' | 'information' | 'sharpness';

/** Every calibrated signal, in the order the panel and the CSV list them. */
export const CALIBRATED_SIGNALS: readonly CalibratedSignal[] = ['llr', 'typicality', 'brightness', 'information', 'sharpness'];

/** The reason each calibrated signal gives past its cut: one-sided signals one, two-sided ones the lower side's, then the upper side's. */
export const SIGNAL_REASONS: Readonly<Record<CalibratedSignal, readonly [OutlierReason] | readonly [OutlierReason, OutlierReason]>> = {
  llr: ['llr'],
  typicality: ['unlikely', 'too-likely'],
  brightness: ['dark', 'light'],
  information: ['low-information'],
  sharpness: ['blurry'],
};

/** Short names of the calibrated signals, for the panel's switches and the detail view. */
export const SIGNAL_LABELS: Readonly<Record<CalibratedSignal, string>> = {
  llr: 'LLR',
  typicality: 'typicality',
  brightness: 'brightness',
  information: 'information',
  sharpness: 'sharpness',
};

/** Why an image was flagged or marked; each names a signal and, for two-sided ones, the side. */
export type OutlierReason =
  | 'llr'
  | 'too-likely'
  | 'unlikely'
  | 'dark'
  | 'light'
  | 'low-information'
  | 'blurry'
  | 'odd-size'
  | 'exact-duplicate'
  | 'near-duplicate';

/** Short labels of the reasons, for badges and lists. */
export const REASON_LABELS: Readonly<Record<OutlierReason, string>> = {
  llr: 'LLR',
  'too-likely': 'too likely',
  unlikely: 'unlikely',
  dark: 'dark',
  light: 'light',
  'low-information': 'low information',
  blurry: 'blurry',
  'odd-size': 'odd size',
  'exact-duplicate': 'duplicate',
  'near-duplicate': 'near duplicate',
};

/** Reasons that mark an image (data hygiene) without flagging it as an outlier. */
export const MARK_ONLY_REASONS: readonly OutlierReason[] = ['odd-size', 'exact-duplicate', 'near-duplicate'];

/** How recent a modification makes a file's size and mtime too weak a key (coarse file-system clocks: FAT's is 2 s). */
export const RACY_STAT_WINDOW_MS = 3000;

/** One file that could not be scored, with a reason a person understands ("truncated PNG"). */
export interface FailedImage {
  readonly relativePath: string;
  readonly reason: string;
}

/** How a threshold was set: an absolute score, a percentile of the scores, or a false-positive rate on known inliers. */
export type ThresholdMethod = 'absolute' | 'percentile' | 'fpr';

/** The outlier threshold: images with `instanceScore > value` are outliers. */
export interface ThresholdSetting {
  readonly value: number;
  readonly method: ThresholdMethod;
  /** The percentile (0–100) when `method` is 'percentile'. */
  readonly percentile?: number;
  /** The target false-positive rate (0–1) when `method` is 'fpr'. */
  readonly fpr?: number;
}

/** Per-pixel maps of one image for the heatmaps, row-major [height × width], channels summed. */
export interface PixelMaps {
  readonly relativePath: string;
  readonly height: number;
  readonly width: number;
  readonly semanticLogProb: Float32Array;
  readonly backgroundLogProb: Float32Array;
  /** −(semantic − background) per pixel: the feature score. */
  readonly llr: Float32Array;
}

/** Ground truth when the user marks sub-folders (or a labels file) as inliers or outliers. */
export type GroundTruthLabel = 'inlier' | 'outlier';
