import { parseArgs } from 'node:util';
import * as path from 'path';
import { selectBackend } from '../../engine/backend/selectBackend';
import { buildOutlierExport, toCsv } from '../../engine/export';
import { percentile } from '../../common/metrics/percentile';
import { scanFolder } from '../../engine/scan';
import { calibratedSignalsOf, signalFindingNotes, signalPlanNotes } from '../../engine/signals';
import { loadDetector, writeFileAtomic } from '../../engine/store';
import type { ThresholdSetting } from '../../protocol/scanResults';
import { abortOnInterrupt } from '../interrupt';
import { backendFlag, integerFlag, numberFlag, positional, requiredFlag, signalsFlag } from '../options';
import { Reporter } from '../reporter';

/** Threshold when neither the detector nor the user sets one: alibi-detect's default percentile. */
const DEFAULT_PERCENTILE = 95;

/**
 * `outlier-lens scan <folder> -d <detector> [--signals llr,typicality,checks,duplicates] [--json out.json|-]
 * [--csv out.csv] [--perc P]`: scores a folder with every signal asked for, flags outliers by the
 * calibrated verdict where the detector has a calibration (else by its LLR threshold, or the P-th
 * percentile of this folder's scores), prints the top of the list and writes the export atomically.
 */
export async function scanCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      detector: { type: 'string', short: 'd' },
      json: { type: 'string' },
      csv: { type: 'string' },
      perc: { type: 'string' },
      top: { type: 'string' },
      'batch-size': { type: 'string' },
      include: { type: 'string', multiple: true },
      exclude: { type: 'string', multiple: true },
      backend: { type: 'string' },
      signals: { type: 'string' },
    },
  });
  const folder = path.resolve(positional(positionals, 0, 'folder'));
  const detectorFolder = path.resolve(requiredFlag(values, 'detector'));
  const toStdout = values.json === '-';
  const reporter = new Reporter(toStdout);
  const signals = signalsFlag(values);
  const backend = await selectBackend(backendFlag(values));
  const { detector, manifest, manifestSha256 } = await loadDetector(detectorFolder);
  const scoring = await detector.useFastestScoring(backend.name);
  const { signal, dispose } = abortOnInterrupt();
  try {
    reporter.note(`scanning ${folder} with ${manifest.name} (${detector.imageShape.join('×')}) on ${backend.description}, scoring with ${scoring}`);
    signalPlanNotes(signals, manifest.calibration).forEach((note) => reporter.note(note));
    const result = await scanFolder(folder, detector, {
      include: values.include as string[] | undefined,
      exclude: values.exclude as string[] | undefined,
      batchSize: integerFlag(values, 'batch-size'),
      signal,
      signals,
      calibration: manifest.calibration,
      onProgress: (done, total) => reporter.progress('scoring', done, total),
    });
    signalFindingNotes({ scored: result.items.length, greyAsRgb: result.greyAsRgb, duplicates: result.duplicates }).forEach((note) => reporter.note(note));
    const scores = result.items.map((item) => item.instanceScore);
    const requested = numberFlag(values, 'perc', (value) => value >= 0 && value <= 100);
    let threshold: ThresholdSetting;
    if (requested !== undefined || (!manifest.threshold && scores.length > 0)) {
      const level = requested ?? DEFAULT_PERCENTILE;
      threshold = { method: 'percentile', percentile: level, value: percentile(scores, level) };
      if (requested === undefined && !manifest.calibration) reporter.note(`the detector has no threshold: using the ${level}th percentile of this folder's scores`);
    } else {
      threshold = manifest.threshold ?? { method: 'absolute', value: Number.POSITIVE_INFINITY };
    }
    // An explicit --perc asks for the LLR percentile cut; otherwise the calibrated verdict flags where the detector has one.
    const calibratedSignals = requested === undefined ? calibratedSignalsOf(signals) : [];
    if (requested === undefined && manifest.calibration && calibratedSignals.length > 0 && manifest.threshold) {
      reporter.note(`the calibrated verdict flags; the detector's LLR threshold (${manifest.threshold.method}) applies with --perc or to a detector without calibration`);
    }
    const exported = buildOutlierExport({
      detector: { name: manifest.name, manifestSha256 },
      folder,
      threshold,
      items: result.items,
      failures: result.failures,
      signals: [...signals],
      duplicates: result.duplicates,
      ...(manifest.calibration && calibratedSignals.length > 0 ? { calibrated: { signals: calibratedSignals, calibration: manifest.calibration.source } } : {}),
    });
    if (typeof values.json === 'string' && !toStdout) {
      await writeFileAtomic(path.resolve(values.json), JSON.stringify(exported, null, 2));
      reporter.note(`JSON export written to ${path.resolve(values.json)}`);
    }
    if (typeof values.csv === 'string') {
      await writeFileAtomic(path.resolve(values.csv), toCsv(exported));
      reporter.note(`CSV export written to ${path.resolve(values.csv)}`);
    }
    const top = integerFlag(values, 'top') ?? 10;
    const lines = [
      `${exported.counts.images} images scored in ${result.seconds.toFixed(1)} s: ${exported.counts.outliers} outliers ${
        exported.verdict.kind === 'calibrated' ? 'by the calibrated verdict (score = −log10 corrected tail probability > 2)' : `above ${threshold.value.toFixed(2)} (${threshold.method})`
      }, ${exported.counts.errors} unreadable`,
      ...exported.items
        .slice(0, top)
        .map((item) => `  ${String(item.rank).padStart(4)}  ${item.score.toFixed(2).padStart(9)}  ${item.isOutlier ? 'outlier' : 'inlier '}  ${item.path}${item.reasons.length ? `  [${item.reasons.join(', ')}]` : ''}`),
      ...exported.errors.map((error) => `  error  ${error.path}: ${error.reason}`),
    ];
    reporter.result(exported, lines.join('\n'));
  } finally {
    dispose();
    detector.dispose();
  }
}
