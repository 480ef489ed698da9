import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import * as os from 'os';
import * as path from 'path';
import { selectBackend } from '../../engine/backend/selectBackend';
import type { ShardSpec } from '../../engine/results';
import { exportThreshold, indexResultLogs, parseShardSpec, writeExportFromIndex } from '../../engine/results';
import { runScanJob } from '../../engine/scan';
import { loadDetector } from '../../engine/store';
import { scoringFor } from '../../engine/strategies/chooseStrategies';
import { EXPORT_FLAG_OPTIONS, exportSummaryLines, exportTargetsFlag, thresholdRequestFlag } from '../exportFlags';
import { abortOnInterrupt } from '../interrupt';
import { backendFlag, integerFlag, positional, requiredFlag, signalsFlag } from '../options';
import { calibratedSignalsOf, signalFindingNotes, signalPlanNotes } from '../../engine/signals';
import { Reporter } from '../reporter';
import { UsageError } from '../usageError';

/**
 * `outlier-lens scan <folder> -d <detector> [--json out.json|-] [--csv out.csv] [--perc P | --fpr F]
 * [--out results.jsonl] [--shard i/n]`: scores a folder (or one shard of it), appending each result
 * to a result log as it comes, and going on from that log when started again; then, unless it is a
 * shard, writes the export from the log atomically and prints the top of the list.
 */
export async function scanCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...EXPORT_FLAG_OPTIONS,
      detector: { type: 'string', short: 'd' },
      out: { type: 'string' },
      shard: { type: 'string' },
      'batch-size': { type: 'string' },
      include: { type: 'string', multiple: true },
      exclude: { type: 'string', multiple: true },
      backend: { type: 'string' },
      signals: { type: 'string' },
    },
  });
  const folder = path.resolve(positional(positionals, 0, 'folder'));
  const detectorFolder = path.resolve(requiredFlag(values, 'detector'));
  const shard = shardFlag(values.shard);
  if (shard && (values.out === undefined || values.json !== undefined || values.csv !== undefined)) {
    throw new UsageError('a shard needs --out shard.jsonl and writes no export: merge the shards with `outlier-lens merge`');
  }
  const thresholdRequest = thresholdRequestFlag(values);
  const signals = signalsFlag(values);
  const toStdout = values.json === '-';
  const reporter = new Reporter(toStdout);
  const backend = await selectBackend(backendFlag(values));
  const { detector, manifest, manifestSha256 } = await loadDetector(detectorFolder, scoringFor(backend.name));
  const scoring = await detector.prepareScoring();
  const filters = { include: (values.include as string[] | undefined) ?? [], exclude: (values.exclude as string[] | undefined) ?? [] };
  const resultLog = values.out === undefined ? defaultResultLog(folder, manifestSha256, filters, shard) : path.resolve(values.out);
  const { signal, dispose } = abortOnInterrupt();
  let released = false;
  // The export reads the result log, not the models: scoring's worker threads and weights go first.
  const releaseDetector = (): void => {
    if (!released) detector.dispose();
    released = true;
  };
  try {
    reporter.note(`scanning ${folder}${shard ? ` (shard ${shard.index}/${shard.count})` : ''} with ${manifest.name} (${detector.imageShape.join('×')}) on ${backend.description}, scoring with ${scoring}`);
    reporter.note(`results go to ${resultLog} as they come; a scan started again goes on from there`);
    signalPlanNotes(signals, manifest.calibration).forEach((note) => reporter.note(note));
    const calibratedSignals = calibratedSignalsOf(signals);
    const calibrated = manifest.calibration && calibratedSignals.length > 0 ? { signals: calibratedSignals, calibration: manifest.calibration.source } : undefined;
    const job = await runScanJob({
      folder,
      detector,
      ...filters,
      signals,
      calibration: manifest.calibration,
      resultLog: { file: resultLog, detector: { name: manifest.name, manifestSha256 }, detectorThreshold: manifest.threshold, ...(calibrated ? { calibrated } : {}) },
      shard,
      batchSize: integerFlag(values, 'batch-size'),
      signal,
      onProgress: (done, total) => reporter.progress('scoring', done, total),
    });
    releaseDetector();
    signalFindingNotes({ scored: job.scored, greyAsRgb: job.greyAsRgb, duplicates: job.duplicates }).forEach((note) => reporter.note(note));
    const runLine = `${job.scored + job.failed} files scored or found unreadable in ${job.seconds.toFixed(1)} s${job.alreadyDone > 0 ? `, ${job.alreadyDone} already in the log` : ''}`;
    if (shard) {
      reporter.result({ shard, resultLog, files: job.fileCount, scored: job.scored, failed: job.failed, alreadyDone: job.alreadyDone }, `shard ${shard.index}/${shard.count}: ${job.fileCount} files; ${runLine}; results in ${resultLog}`);
      return;
    }
    const index = await indexResultLogs([resultLog], (relativePath) => job.present.has(relativePath));
    const { threshold, defaulted } = exportThreshold(index.scores, thresholdRequest, manifest.threshold);
    if (defaulted && !calibrated) reporter.note(`the detector has no threshold: using the ${threshold.percentile}th percentile of this folder's scores`);
    // --perc or --fpr asks for the LLR cut; otherwise the calibrated verdict flags where the detector has one.
    const summary = await writeExportFromIndex(index, index.logs[0].header, threshold, exportTargetsFlag(values), integerFlag(values, 'top') ?? 10, {
      calibratedVerdict: thresholdRequest === null,
    });
    for (const [flag, target] of [['json', values.json], ['csv', values.csv]] as const) {
      if (target !== undefined && target !== '-') reporter.note(`${flag.toUpperCase()} export written to ${path.resolve(target)}`);
    }
    if (!toStdout) reporter.result(summary, [runLine, ...exportSummaryLines(summary)].join('\n'));
  } finally {
    dispose();
    releaseDetector();
  }
}

/** The --shard flag, "i/n". */
function shardFlag(raw: string | undefined): ShardSpec | undefined {
  if (raw === undefined) return undefined;
  try {
    return parseShardSpec(raw);
  } catch (error) {
    throw new UsageError(`--shard: ${(error as Error).message}`);
  }
}

/**
 * The result log of a scan given no --out: in the user's cache folder, named by the scan (folder,
 * detector, filters, shard), so the same scan started again finds it.
 */
function defaultResultLog(folder: string, manifestSha256: string, filters: object, shard: ShardSpec | undefined): string {
  const cache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  const key = createHash('sha256').update(JSON.stringify([folder, manifestSha256, filters, shard ?? null])).digest('hex').slice(0, 16);
  return path.join(cache, 'outlier-lens', 'scans', `${path.basename(folder) || 'root'}-${key}.jsonl`);
}
