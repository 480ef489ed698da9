import { isOutlierScore } from '../../common/threshold/outlierRule';
import type { FailedImage, GroundTruthLabel, ScoredImage, ThresholdSetting } from '../../protocol/scanResults';

/** Version of the export format; readers check it. */
export const OUTLIER_EXPORT_FORMAT = { tool: 'outlier-lens', version: 1 } as const;

/** One scored image in an export, most outlying first. */
export interface ExportedItem {
  /** Path relative to the scanned folder, POSIX separators. */
  readonly path: string;
  readonly score: number;
  readonly isOutlier: boolean;
  /** 1 = highest score. */
  readonly rank: number;
  readonly semanticLogProb: number;
  readonly backgroundLogProb: number;
  /** Ground truth, present when the export was asked to carry labels and the image has one. */
  readonly label?: GroundTruthLabel;
}

/** Which images an export lists: every scored image, or only those above the threshold (the flagged). */
export type ExportRows = 'all' | 'flagged';

/** The exported outlier list (ARCHITECTURE.md, "Export"). */
export interface OutlierExport {
  readonly tool: typeof OUTLIER_EXPORT_FORMAT.tool;
  readonly formatVersion: number;
  readonly createdAt: string;
  readonly detector: { readonly name: string; readonly manifestSha256: string };
  readonly folder: string;
  readonly threshold: ThresholdSetting;
  readonly counts: { readonly images: number; readonly outliers: number; readonly inliers: number; readonly errors: number };
  /** `flagged`: `items` holds only the outliers (the top ranks); absent or `all`: every scored image. `counts` always counts them all. */
  readonly rows?: ExportRows;
  readonly items: readonly ExportedItem[];
  readonly errors: ReadonlyArray<{ readonly path: string; readonly reason: string }>;
}

/** What an export is built from. */
export interface ExportInput {
  readonly detector: { readonly name: string; readonly manifestSha256: string };
  readonly folder: string;
  readonly threshold: ThresholdSetting;
  readonly items: readonly ScoredImage[];
  readonly failures: readonly FailedImage[];
  /** Every image (default) or only the flagged ones. */
  readonly rows?: ExportRows;
  /** The ground truth of an image, when labels exist: items get a `label` and the CSV a `label` column. */
  readonly labelOf?: (relativePath: string) => GroundTruthLabel | undefined;
}

/** Sorts by score (highest first, ties by path), flags `score > threshold`, and counts. */
export function buildOutlierExport(input: ExportInput): OutlierExport {
  // Ties by path in code-unit order, the panel's order, so that ranks agree between panel and export.
  const byPath = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  const sorted = [...input.items].sort((a, b) => b.instanceScore - a.instanceScore || byPath(a.relativePath, b.relativePath));
  const items: ExportedItem[] = sorted.map((item, index) => {
    const label = input.labelOf?.(item.relativePath);
    return {
      path: item.relativePath,
      score: item.instanceScore,
      isOutlier: isOutlierScore(item.instanceScore, input.threshold.value),
      rank: index + 1,
      semanticLogProb: item.semanticLogProb,
      backgroundLogProb: item.backgroundLogProb,
      ...(label ? { label } : {}),
    };
  });
  const outliers = items.filter((item) => item.isOutlier).length;
  const flaggedOnly = input.rows === 'flagged';
  return {
    tool: OUTLIER_EXPORT_FORMAT.tool,
    formatVersion: OUTLIER_EXPORT_FORMAT.version,
    createdAt: new Date().toISOString(),
    detector: input.detector,
    folder: input.folder,
    threshold: input.threshold,
    counts: { images: items.length, outliers, inliers: items.length - outliers, errors: input.failures.length },
    ...(input.rows ? { rows: input.rows } : {}),
    // The flagged are the top ranks (sorted by score), so their ranks stay 1..outliers.
    items: flaggedOnly ? items.slice(0, outliers) : items,
    errors: [...input.failures].sort((a, b) => byPath(a.relativePath, b.relativePath)).map((failure) => ({ path: failure.relativePath, reason: failure.reason })),
  };
}

/** The export as CSV: one row per image (rank, path, score, is_outlier, log-probs, and `label` when labels exist), then the unreadable files. */
export function toCsv(exported: OutlierExport): string {
  const quote = (text: string): string => (/[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
  const labelled = exported.items.some((item) => item.label !== undefined);
  const lines = [`rank,path,score,is_outlier,semantic_log_prob,background_log_prob,${labelled ? 'label,' : ''}error`];
  for (const item of exported.items) {
    const label = labelled ? [item.label ?? ''] : [];
    lines.push([item.rank, quote(item.path), item.score, item.isOutlier ? 1 : 0, item.semanticLogProb, item.backgroundLogProb, ...label, ''].join(','));
  }
  for (const error of exported.errors) {
    lines.push(['', quote(error.path), '', '', '', '', ...(labelled ? [''] : []), quote(error.reason)].join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** Checks that `value` is a valid export of this version; returns the problems found (empty = valid). */
export function validateOutlierExport(value: unknown): string[] {
  const problems: string[] = [];
  const record = value as Record<string, unknown> | null;
  if (typeof record !== 'object' || record === null) {
    return ['not a JSON object'];
  }
  if (record.tool !== OUTLIER_EXPORT_FORMAT.tool) problems.push(`tool must be "${OUTLIER_EXPORT_FORMAT.tool}"`);
  if (record.formatVersion !== OUTLIER_EXPORT_FORMAT.version) problems.push(`formatVersion must be ${OUTLIER_EXPORT_FORMAT.version}`);
  const threshold = record.threshold as Record<string, unknown> | undefined;
  if (!threshold || typeof threshold.value !== 'number' || !['absolute', 'percentile', 'fpr'].includes(threshold.method as string)) {
    problems.push('threshold must be { value: number, method: absolute | percentile | fpr }');
  }
  const items = record.items;
  if (!Array.isArray(items)) {
    problems.push('items must be an array');
  } else {
    items.forEach((item: Record<string, unknown>, index) => {
      if (typeof item.path !== 'string' || typeof item.score !== 'number' || typeof item.isOutlier !== 'boolean' || item.rank !== index + 1) {
        problems.push(`items[${index}] must be { path, score, isOutlier, rank: ${index + 1} }`);
      } else if (index > 0 && (items[index - 1] as { score: number }).score < item.score) {
        problems.push(`items[${index}] is not sorted by score (highest first)`);
      } else if (threshold && typeof threshold.value === 'number' && item.isOutlier !== isOutlierScore(item.score, threshold.value)) {
        problems.push(`items[${index}].isOutlier disagrees with the threshold`);
      }
    });
  }
  if (!Array.isArray(record.errors) || !record.errors.every((error: Record<string, unknown>) => typeof error.path === 'string' && typeof error.reason === 'string')) {
    problems.push('errors must be an array of { path, reason }');
  }
  const counts = record.counts as Record<string, unknown> | undefined;
  const listed = record.rows === 'flagged' ? counts?.outliers : counts?.images;
  if (!counts || (Array.isArray(items) && listed !== items.length) || (Array.isArray(record.errors) && counts.errors !== record.errors.length)) {
    problems.push('counts must match items and errors');
  }
  return problems.slice(0, 20);
}
