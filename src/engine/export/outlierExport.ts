import { isFlagged, OUTLIER_ALPHA, verdictScoreThreshold } from '../../common/verdict/outlierVerdict';
import { isOutlierScore } from '../../common/threshold/outlierRule';
import type { CalibratedSignal, FailedImage, GroundTruthLabel, ImageMeasures, OutlierReason, ScoredImage, SignalGroup, ThresholdSetting } from '../../protocol/scanResults';

/** Version of the export format; readers check it (2 added the signals, reasons and verdict; 1 is still read). */
export const OUTLIER_EXPORT_FORMAT = { tool: 'outlier-lens', version: 2 } as const;

/** The oldest export format version this one reads. */
export const OLDEST_OUTLIER_EXPORT_VERSION = 1;

/** One scored image in an export, most outlying first. */
export interface ExportedItem {
  /** Path relative to the scanned folder, POSIX separators. */
  readonly path: string;
  /** What the list is sorted and flagged by: the calibrated outlier score, or the LLR (see the export's `verdict`). */
  readonly score: number;
  readonly isOutlier: boolean;
  /** 1 = highest score. */
  readonly rank: number;
  /** The likelihood ratio, −(log p_s − log p_b). */
  readonly llr: number;
  readonly semanticLogProb: number;
  readonly backgroundLogProb: number;
  /** Why the image stands out (empty when nothing does). */
  readonly reasons: readonly OutlierReason[];
  readonly tailProbabilities?: Partial<Record<CalibratedSignal, number>>;
  readonly measures?: ImageMeasures;
  /** Ground truth, present when the export was asked to carry labels and the image has one. */
  readonly label?: GroundTruthLabel;
}

/** Which images an export lists: every scored image, or only the flagged ones. */
export type ExportRows = 'all' | 'flagged';

/** How the export's items were flagged: the calibrated verdict over signals, or the LLR against a threshold. */
export type ExportVerdict =
  | {
      readonly kind: 'calibrated';
      /** Family-wise false-flag rate the scores are corrected at (each signal's p · alpha / cut, −log10). */
      readonly alpha: number;
      /** An item is an outlier when its score is above this: −log10(alpha), unless the user moved the panel's threshold. */
      readonly scoreThreshold: number;
      readonly signals: readonly CalibratedSignal[];
      /** Each signal's own cut (a tail probability) where the user set one in the panel; the others are alpha / k. */
      readonly cuts?: Readonly<Partial<Record<CalibratedSignal, number>>>;
      /** Where the known inliers came from. */
      readonly calibration: string;
    }
  | { readonly kind: 'llr-threshold' };

/** The exported outlier list (ARCHITECTURE.md, "Export"). */
export interface OutlierExport {
  readonly tool: typeof OUTLIER_EXPORT_FORMAT.tool;
  readonly formatVersion: number;
  readonly createdAt: string;
  readonly detector: { readonly name: string; readonly manifestSha256: string };
  readonly folder: string;
  /** The LLR threshold: what flags items when `verdict.kind` is 'llr-threshold'; from the panel under its calibrated verdict, the outlier-score threshold as the user set it (value = `verdict.scoreThreshold`). */
  readonly threshold: ThresholdSetting;
  readonly verdict: ExportVerdict;
  /** The signal groups the scan used. */
  readonly signals: readonly SignalGroup[];
  readonly counts: { readonly images: number; readonly outliers: number; readonly inliers: number; readonly errors: number };
  /** `flagged`: `items` holds only the outliers (the top ranks); absent or `all`: every scored image. `counts` always counts them all. */
  readonly rows?: ExportRows;
  readonly items: readonly ExportedItem[];
  /** Duplicate groups, as paths. */
  readonly duplicates: { readonly exact: readonly string[][]; readonly near: readonly string[][] };
  readonly errors: ReadonlyArray<{ readonly path: string; readonly reason: string }>;
}

/** What an export is built from. */
export interface ExportInput {
  readonly detector: { readonly name: string; readonly manifestSha256: string };
  readonly folder: string;
  readonly threshold: ThresholdSetting;
  readonly items: readonly ScoredImage[];
  readonly failures: readonly FailedImage[];
  /** The calibrated verdict, where the scan gave one: it flags the items when every item has an outlier score. */
  readonly calibrated?: CalibratedVerdict;
  readonly signals?: readonly SignalGroup[];
  readonly duplicates?: { readonly exact: readonly string[][]; readonly near: readonly string[][] };
  /** Reasons only the whole folder gives (odd size, duplicates), by path, added to the items' own. */
  readonly folderReasons?: ReadonlyMap<string, readonly OutlierReason[]>;
  /** Every image (default) or only the flagged ones. */
  readonly rows?: ExportRows;
  /** The ground truth of an image, when labels exist: items get a `label` and the CSV a `label` column. */
  readonly labelOf?: (relativePath: string) => GroundTruthLabel | undefined;
}

/** The calibrated verdict a scan asked for: the signals it combined and where its known inliers came from. */
export interface CalibratedVerdict {
  readonly signals: readonly CalibratedSignal[];
  readonly calibration: string;
  /** The signals' own cuts (the panel's settings); absent: alpha / k each. */
  readonly cuts?: Readonly<Partial<Record<CalibratedSignal, number>>>;
  /** The outlier score above which items are flagged (the panel's threshold); absent: −log10(alpha). */
  readonly scoreThreshold?: number;
}

/** Ties by path in code-unit order, the panel's order, so that ranks agree between panel and export. */
export function compareByPath(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** What an item is sorted and flagged by: its calibrated outlier score under the calibrated verdict, else its LLR. */
export function exportScore(item: Pick<ScoredImage, 'instanceScore' | 'outlierScore'>, calibrated: boolean): number {
  return calibrated ? (item.outlierScore as number) : item.instanceScore;
}

/** Export order: score highest first, ties by LLR, then by path. */
export function compareForExport(calibrated: boolean): (a: ScoredImage, b: ScoredImage) => number {
  return (a, b) => exportScore(b, calibrated) - exportScore(a, calibrated) || b.instanceScore - a.instanceScore || compareByPath(a.relativePath, b.relativePath);
}

/** Whether the calibrated verdict flags: asked for, and every item has an outlier score. */
export function usesCalibratedVerdict(calibrated: CalibratedVerdict | undefined, items: Iterable<Pick<ScoredImage, 'outlierScore'>>): boolean {
  if (!calibrated) return false;
  let any = false;
  for (const item of items) {
    if (item.outlierScore === undefined || !Number.isFinite(item.outlierScore)) return false;
    any = true;
  }
  return any;
}

/** Whether an item is an outlier: its calibrated score above the verdict's threshold (−log10(alpha) unless given), or its LLR above the threshold. */
export function isExportOutlier(item: Pick<ScoredImage, 'instanceScore' | 'outlierScore'>, threshold: ThresholdSetting, calibrated: boolean, scoreThreshold?: number): boolean {
  if (!calibrated) return isOutlierScore(item.instanceScore, threshold.value);
  return scoreThreshold === undefined ? isFlagged(item.outlierScore as number) : (item.outlierScore as number) > scoreThreshold;
}

/** One scored image as the export lists it, at `rank` (1 = highest score). */
export function exportedItem(
  item: ScoredImage,
  rank: number,
  threshold: ThresholdSetting,
  calibrated: boolean,
  folderReasons: readonly OutlierReason[] = [],
  label?: GroundTruthLabel,
  scoreThreshold?: number,
): ExportedItem {
  return {
    path: item.relativePath,
    score: exportScore(item, calibrated),
    isOutlier: isExportOutlier(item, threshold, calibrated, scoreThreshold),
    rank,
    llr: item.instanceScore,
    semanticLogProb: item.semanticLogProb,
    backgroundLogProb: item.backgroundLogProb,
    reasons: [...(item.reasons ?? []), ...folderReasons.filter((reason) => !item.reasons?.includes(reason))],
    ...(item.tailProbabilities ? { tailProbabilities: item.tailProbabilities } : {}),
    ...(item.measures ? { measures: item.measures } : {}),
    ...(label ? { label } : {}),
  };
}

/** Everything of an export but its items, given its counts (a streamed export writes the items itself, between `duplicates` and `errors`). */
export function exportWithoutItems(input: Omit<ExportInput, 'items'>, counts: OutlierExport['counts'], calibrated: boolean): Omit<OutlierExport, 'items'> {
  return {
    tool: OUTLIER_EXPORT_FORMAT.tool,
    formatVersion: OUTLIER_EXPORT_FORMAT.version,
    createdAt: new Date().toISOString(),
    detector: input.detector,
    folder: input.folder,
    threshold: input.threshold,
    verdict:
      calibrated && input.calibrated
        ? {
            kind: 'calibrated',
            alpha: OUTLIER_ALPHA,
            scoreThreshold: input.calibrated.scoreThreshold ?? verdictScoreThreshold(OUTLIER_ALPHA),
            signals: input.calibrated.signals,
            ...(input.calibrated.cuts && Object.keys(input.calibrated.cuts).length > 0 ? { cuts: input.calibrated.cuts } : {}),
            calibration: input.calibrated.calibration,
          }
        : { kind: 'llr-threshold' },
    signals: input.signals ?? ['llr'],
    counts,
    ...(input.rows ? { rows: input.rows } : {}),
    duplicates: { exact: input.duplicates?.exact.map((group) => [...group]) ?? [], near: input.duplicates?.near.map((group) => [...group]) ?? [] },
    errors: [...input.failures].sort((a, b) => compareByPath(a.relativePath, b.relativePath)).map((failure) => ({ path: failure.relativePath, reason: failure.reason })),
  };
}

/** Sorts (see compareForExport), flags, and counts; the same text as the streamed export of the same results. */
export function buildOutlierExport(input: ExportInput): OutlierExport {
  const calibrated = usesCalibratedVerdict(input.calibrated, input.items);
  const items = [...input.items]
    .sort(compareForExport(calibrated))
    .map((item, index) => exportedItem(item, index + 1, input.threshold, calibrated, input.folderReasons?.get(item.relativePath), input.labelOf?.(item.relativePath), input.calibrated?.scoreThreshold));
  const outliers = items.filter((item) => item.isOutlier).length;
  const { errors, ...head } = exportWithoutItems(input, { images: items.length, outliers, inliers: items.length - outliers, errors: input.failures.length }, calibrated);
  // The flagged are the top ranks (sorted by score), so their ranks stay 1..outliers.
  return { ...head, items: input.rows === 'flagged' ? items.slice(0, outliers) : items, errors };
}

const CSV_SIGNALS: readonly CalibratedSignal[] = ['llr', 'typicality', 'brightness', 'information', 'sharpness'];

const CSV_COLUMNS = [
  'rank', 'path', 'score', 'is_outlier', 'llr', 'semantic_log_prob', 'background_log_prob', 'reasons',
  ...CSV_SIGNALS.map((signal) => `p_${signal}`),
  'brightness', 'entropy', 'sharpness', 'grey_as_rgb', 'source_width', 'source_height', 'pixel_hash', 'perceptual_hash',
];

/** The CSV export's first line; with `labelled`, a `label` column before `error`. */
export function csvHeader(labelled = false): string {
  return [...CSV_COLUMNS, ...(labelled ? ['label'] : []), 'error'].join(',');
}

/** The CSV export's first line without labels (the CLI's exports). */
export const CSV_HEADER = csvHeader();

function quoteCsv(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvValue(value: number | string | boolean | null | undefined): string {
  return value === undefined || value === null ? '' : typeof value === 'boolean' ? (value ? '1' : '0') : String(value);
}

/** One image's CSV row: rank, path, score, is_outlier, LLR, log-probs, reasons joined by ";", each signal's tail probability, the image checks' measures. */
export function csvItemRow(item: ExportedItem, labelled = false): string {
  const m = item.measures;
  return [
    item.rank, quoteCsv(item.path), item.score, item.isOutlier ? 1 : 0, item.llr, item.semanticLogProb, item.backgroundLogProb, item.reasons.join(';'),
    ...CSV_SIGNALS.map((signal) => csvValue(item.tailProbabilities?.[signal])),
    csvValue(m?.brightness), csvValue(m?.entropy), csvValue(m?.sharpness), csvValue(m?.greyAsRgb), csvValue(m?.sourceWidth), csvValue(m?.sourceHeight), csvValue(m?.pixelHash), csvValue(m?.perceptualHash),
    ...(labelled ? [item.label ?? ''] : []),
    '',
  ].join(',');
}

/** One unreadable file's CSV row. */
export function csvErrorRow(error: OutlierExport['errors'][number], labelled = false): string {
  return ['', quoteCsv(error.path), ...new Array<string>(CSV_COLUMNS.length - 2 + (labelled ? 1 : 0)).fill(''), quoteCsv(error.reason)].join(',');
}

/** The export as CSV: one row per image (a `label` column when labels exist), then the unreadable files. */
export function toCsv(exported: OutlierExport): string {
  const labelled = exported.items.some((item) => item.label !== undefined);
  const lines = [csvHeader(labelled), ...exported.items.map((item) => csvItemRow(item, labelled)), ...exported.errors.map((error) => csvErrorRow(error, labelled))];
  return `${lines.join('\n')}\n`;
}

/**
 * Checks that `value` is a valid export of a version this one reads (1 or 2); returns the problems
 * found (empty = valid). A newer export is refused with a message that says to update.
 */
export function validateOutlierExport(value: unknown): string[] {
  const problems: string[] = [];
  const record = value as Record<string, unknown> | null;
  if (typeof record !== 'object' || record === null) {
    return ['not a JSON object'];
  }
  if (record.tool !== OUTLIER_EXPORT_FORMAT.tool) problems.push(`tool must be "${OUTLIER_EXPORT_FORMAT.tool}"`);
  const version = record.formatVersion;
  if (typeof version === 'number' && version > OUTLIER_EXPORT_FORMAT.version) {
    return [`export format version ${version} is newer than this Outlier Lens reads (${OLDEST_OUTLIER_EXPORT_VERSION}–${OUTLIER_EXPORT_FORMAT.version}): update Outlier Lens`];
  }
  if (typeof version !== 'number' || !Number.isInteger(version) || version < OLDEST_OUTLIER_EXPORT_VERSION) {
    problems.push(`formatVersion must be an integer from ${OLDEST_OUTLIER_EXPORT_VERSION} to ${OUTLIER_EXPORT_FORMAT.version}`);
  }
  const threshold = record.threshold as Record<string, unknown> | undefined;
  if (!threshold || typeof threshold.value !== 'number' || !['absolute', 'percentile', 'fpr'].includes(threshold.method as string)) {
    problems.push('threshold must be { value: number, method: absolute | percentile | fpr }');
  }
  const verdict = record.verdict as Record<string, unknown> | undefined;
  const calibrated = verdict?.kind === 'calibrated';
  if (version === 2) {
    if (!verdict || !(verdict.kind === 'llr-threshold' || (calibrated && typeof verdict.alpha === 'number' && Array.isArray(verdict.signals)))) {
      problems.push('verdict must be { kind: "llr-threshold" } or { kind: "calibrated", alpha, signals, … }');
    }
    const duplicates = record.duplicates as Record<string, unknown> | undefined;
    if (!duplicates || !Array.isArray(duplicates.exact) || !Array.isArray(duplicates.near)) {
      problems.push('duplicates must be { exact: string[][], near: string[][] }');
    }
  }
  // A calibrated export flags above its scoreThreshold (the panel's threshold; −log10(alpha) in every export written before it could differ).
  const flags = (score: number): boolean =>
    calibrated
      ? (typeof verdict.scoreThreshold === 'number' ? score > verdict.scoreThreshold : isFlagged(score, verdict.alpha as number))
      : typeof threshold?.value === 'number' && isOutlierScore(score, threshold.value);
  const items = record.items;
  if (!Array.isArray(items)) {
    problems.push('items must be an array');
  } else {
    items.forEach((item: Record<string, unknown>, index) => {
      if (typeof item.path !== 'string' || typeof item.score !== 'number' || typeof item.isOutlier !== 'boolean' || item.rank !== index + 1) {
        problems.push(`items[${index}] must be { path, score, isOutlier, rank: ${index + 1} }`);
      } else if (version === 2 && (typeof item.llr !== 'number' || !Array.isArray(item.reasons))) {
        problems.push(`items[${index}] must have a numeric llr and a reasons array`);
      } else if (index > 0 && (items[index - 1] as { score: number }).score < item.score) {
        problems.push(`items[${index}] is not sorted by score (highest first)`);
      } else if (item.isOutlier !== flags(item.score)) {
        problems.push(`items[${index}].isOutlier disagrees with the ${calibrated ? 'verdict' : 'threshold'}`);
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
