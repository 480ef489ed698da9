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
}

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
