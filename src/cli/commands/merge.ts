import { parseArgs } from 'node:util';
import * as path from 'path';
import { checkShardSet, exportThreshold, indexResultLogs, writeExportFromIndex } from '../../engine/results';
import { EXPORT_FLAG_OPTIONS, exportSummaryLines, exportTargetsFlag, thresholdRequestFlag } from '../exportFlags';
import { integerFlag } from '../options';
import { Reporter } from '../reporter';
import { UsageError } from '../usageError';

/**
 * `outlier-lens merge shard-*.jsonl --json out.json [--csv out.csv] [--perc P | --fpr F]`: checks
 * that the logs are every shard of one scan, once each and finished, and writes the export a scan
 * on one machine gives (same items, order and threshold).
 */
export async function mergeCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { ...EXPORT_FLAG_OPTIONS } });
  if (positionals.length === 0) throw new UsageError('merge needs the shards\' result logs, e.g. shard-*.jsonl');
  if (values.json === undefined && values.csv === undefined) throw new UsageError('merge writes an export: give --json out.json (or -) and/or --csv out.csv');
  const thresholdRequest = thresholdRequestFlag(values);
  const toStdout = values.json === '-';
  const reporter = new Reporter(toStdout);
  const index = await indexResultLogs(positionals.map((file) => path.resolve(file)));
  checkShardSet(index.logs, index.duplicatePaths);
  const header = index.logs[0].header;
  const { threshold, defaulted } = exportThreshold(index.scores, thresholdRequest, header.detectorThreshold);
  if (defaulted) reporter.note(`the detector has no threshold: using the ${threshold.percentile}th percentile of the scores`);
  // --perc or --fpr asks for the LLR cut; otherwise the shards' calibrated verdict flags where their scan had one.
  const summary = await writeExportFromIndex(index, header, threshold, exportTargetsFlag(values), integerFlag(values, 'top') ?? 10, { calibratedVerdict: thresholdRequest === null });
  for (const [flag, target] of [['json', values.json], ['csv', values.csv]] as const) {
    if (target !== undefined && target !== '-') reporter.note(`${flag.toUpperCase()} export written to ${path.resolve(target)}`);
  }
  if (!toStdout) reporter.result(summary, [`${index.logs.length} shard${index.logs.length > 1 ? 's' : ''} of ${header.folder} merged`, ...exportSummaryLines(summary)].join('\n'));
}
