import { isFlagged } from '../../common/verdict/outlierVerdict';
import { OLDEST_OUTLIER_EXPORT_VERSION, OUTLIER_EXPORT_FORMAT } from './exportFormat';

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
  const flags = (score: number): boolean =>
    calibrated ? isFlagged(score, verdict.alpha as number) : typeof threshold?.value === 'number' && score > threshold.value;
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
  if (!counts || (Array.isArray(items) && counts.images !== items.length) || (Array.isArray(record.errors) && counts.errors !== record.errors.length)) {
    problems.push('counts must match items and errors');
  }
  return problems.slice(0, 20);
}
