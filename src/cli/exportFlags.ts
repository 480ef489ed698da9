import * as path from 'path';
import type { ExportSummary, ExportTargets, ExportThresholdRequest } from '../engine/results';
import { writeStreamedFileAtomic } from '../engine/store';
import type { FlagValues } from './options';
import { numberFlag } from './options';
import { UsageError } from './usageError';

/** parseArgs options of the flags every command that writes an export takes. */
export const EXPORT_FLAG_OPTIONS = {
  json: { type: 'string' },
  csv: { type: 'string' },
  perc: { type: 'string' },
  fpr: { type: 'string' },
  top: { type: 'string' },
} as const;

/** The threshold asked for with --perc P or --fpr F (at most one), or null. */
export function thresholdRequestFlag(values: FlagValues): ExportThresholdRequest {
  const perc = numberFlag(values, 'perc', (value) => value >= 0 && value <= 100);
  const fpr = numberFlag(values, 'fpr', (value) => value >= 0 && value <= 1);
  if (perc !== undefined && fpr !== undefined) throw new UsageError('give --perc P or --fpr F, not both');
  return perc !== undefined ? { percentile: perc } : fpr !== undefined ? { fpr } : null;
}

/** Where --json (a file, or - for stdout) and --csv send the export: files are written atomically. */
export function exportTargetsFlag(values: FlagValues): ExportTargets {
  const json = values.json as string | undefined;
  const csv = values.csv as string | undefined;
  const toStdout: ExportTargets['json'] = async (produce) => {
    await produce(async (text) => {
      if (!process.stdout.write(text)) await new Promise((resolve) => process.stdout.once('drain', resolve));
    });
  };
  const toFile = (file: string): ExportTargets['json'] => (produce) => writeStreamedFileAtomic(path.resolve(file), produce);
  return {
    ...(json === undefined ? {} : { json: json === '-' ? toStdout : toFile(json) }),
    ...(csv === undefined ? {} : { csv: toFile(csv) }),
  };
}

/** The lines a command prints about an export: counts and threshold, the top of the list, the unreadable files. */
export function exportSummaryLines(summary: ExportSummary, seconds?: number): string[] {
  const { counts, threshold } = summary;
  return [
    `${counts.images} images${seconds === undefined ? '' : ` scored in ${seconds.toFixed(1)} s`}: ${counts.outliers} outliers ${
      summary.calibrated ? 'by the calibrated verdict (score = −log10 corrected tail probability > 2)' : `above ${threshold.value.toFixed(2)} (${threshold.method})`
    }, ${counts.errors} unreadable`,
    ...summary.top.map((item) => `  ${String(item.rank).padStart(4)}  ${item.score.toFixed(2).padStart(9)}  ${item.isOutlier ? 'outlier' : 'inlier '}  ${item.path}${item.reasons.length ? `  [${item.reasons.join(', ')}]` : ''}`),
    ...summary.errors.slice(0, 20).map((error) => `  error  ${error.path}: ${error.reason}`),
    ...(summary.errors.length > 20 ? [`  … and ${summary.errors.length - 20} more unreadable files (see the export)`] : []),
  ];
}
