import type { FailedImage, ScoredImage, ThresholdSetting } from '../../protocol/scanResults';

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
}

/** The exported outlier list (ARCHITECTURE.md, "Export"). */
export interface OutlierExport {
  readonly tool: typeof OUTLIER_EXPORT_FORMAT.tool;
  readonly formatVersion: number;
  readonly createdAt: string;
  readonly detector: { readonly name: string; readonly manifestSha256: string };
  readonly folder: string;
  readonly threshold: ThresholdSetting;
  readonly counts: { readonly images: number; readonly outliers: number; readonly inliers: number; readonly errors: number };
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
}

/** Ties by path in code-unit order, the panel's order, so that ranks agree between panel and export. */
export function compareByPath(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Export order: score highest first, ties by path. */
export function compareForExport(a: ScoredImage, b: ScoredImage): number {
  return b.instanceScore - a.instanceScore || compareByPath(a.relativePath, b.relativePath);
}

/** One scored image as the export lists it, at `rank` (1 = highest score). */
export function exportedItem(item: ScoredImage, rank: number, threshold: ThresholdSetting): ExportedItem {
  return {
    path: item.relativePath,
    score: item.instanceScore,
    isOutlier: item.instanceScore > threshold.value,
    rank,
    semanticLogProb: item.semanticLogProb,
    backgroundLogProb: item.backgroundLogProb,
  };
}

/** Everything of an export but its items, given its counts (a streamed export writes the items itself). */
export function exportWithoutItems(input: Omit<ExportInput, 'items'>, counts: OutlierExport['counts']): Omit<OutlierExport, 'items'> {
  return {
    tool: OUTLIER_EXPORT_FORMAT.tool,
    formatVersion: OUTLIER_EXPORT_FORMAT.version,
    createdAt: new Date().toISOString(),
    detector: input.detector,
    folder: input.folder,
    threshold: input.threshold,
    counts,
    errors: [...input.failures].sort((a, b) => compareByPath(a.relativePath, b.relativePath)).map((failure) => ({ path: failure.relativePath, reason: failure.reason })),
  };
}

/** Sorts by score (highest first, ties by path), flags `score > threshold`, and counts. */
export function buildOutlierExport(input: ExportInput): OutlierExport {
  const items = [...input.items].sort(compareForExport).map((item, index) => exportedItem(item, index + 1, input.threshold));
  const outliers = items.filter((item) => item.isOutlier).length;
  const { errors, ...head } = exportWithoutItems(input, { images: items.length, outliers, inliers: items.length - outliers, errors: input.failures.length });
  return { ...head, items, errors };
}

/** The CSV export's first line. */
export const CSV_HEADER = 'rank,path,score,is_outlier,semantic_log_prob,background_log_prob,error';

/** One image's CSV row. */
export function csvItemRow(item: ExportedItem): string {
  return [item.rank, quoteCsv(item.path), item.score, item.isOutlier ? 1 : 0, item.semanticLogProb, item.backgroundLogProb, ''].join(',');
}

/** One unreadable file's CSV row. */
export function csvErrorRow(error: OutlierExport['errors'][number]): string {
  return ['', quoteCsv(error.path), '', '', '', '', quoteCsv(error.reason)].join(',');
}

function quoteCsv(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The export as CSV: one row per image (rank, path, score, is_outlier, log-probs), then the unreadable files. */
export function toCsv(exported: OutlierExport): string {
  const lines = [CSV_HEADER, ...exported.items.map(csvItemRow), ...exported.errors.map(csvErrorRow)];
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
      } else if (threshold && typeof threshold.value === 'number' && item.isOutlier !== item.score > threshold.value) {
        problems.push(`items[${index}].isOutlier disagrees with the threshold`);
      }
    });
  }
  if (!Array.isArray(record.errors) || !record.errors.every((error: Record<string, unknown>) => typeof error.path === 'string' && typeof error.reason === 'string')) {
    problems.push('errors must be an array of { path, reason }');
  }
  const counts = record.counts as Record<string, unknown> | undefined;
  if (!counts || (Array.isArray(items) && counts.images !== items.length) || (Array.isArray(record.errors) && counts.errors !== record.errors.length)) {
    problems.push('counts must match items and errors');
  }
  return problems.slice(0, 20);
}
