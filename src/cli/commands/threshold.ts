import { parseArgs } from 'node:util';
import * as path from 'path';
import { selectBackend } from '../../engine/backend/selectBackend';
import type { ThresholdRequest } from '../../engine/llr';
import { loadImageFolder } from '../../engine/scan';
import { loadDetector, saveDetector } from '../../engine/store';
import { backendFlag, integerFlag, numberFlag, positional } from '../options';
import { Reporter } from '../reporter';
import { UsageError } from '../usageError';

/** `outlier-lens threshold <detector> <folder> (--perc P | --fpr F | --value V)`: sets and saves the threshold. */
export async function thresholdCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      perc: { type: 'string' },
      fpr: { type: 'string' },
      value: { type: 'string' },
      limit: { type: 'string' },
      backend: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const detectorFolder = path.resolve(positional(positionals, 0, 'detector'));
  const given = ['perc', 'fpr', 'value'].filter((name) => values[name as 'perc'] !== undefined);
  if (given.length !== 1) {
    throw new UsageError('give exactly one of --perc P, --fpr F or --value V');
  }
  let request: ThresholdRequest;
  if (values.perc !== undefined) {
    request = { method: 'percentile', percentile: numberFlag(values, 'perc', (value) => value >= 0 && value <= 100) as number };
  } else if (values.fpr !== undefined) {
    request = { method: 'fpr', fpr: numberFlag(values, 'fpr', (value) => value >= 0 && value <= 1) as number };
  } else {
    request = { method: 'absolute', value: numberFlag(values, 'value') as number };
  }
  const reporter = new Reporter(Boolean(values.json));
  const backend = await selectBackend(backendFlag(values));
  const { detector, manifest } = await loadDetector(detectorFolder);
  const scoring = await detector.useFastestScoring(backend.name);
  try {
    let images = null;
    if (request.method !== 'absolute') {
      const folder = path.resolve(positional(positionals, 1, 'folder'));
      images = (await loadImageFolder(folder, detector.imageShape, { limit: integerFlag(values, 'limit') })).images;
      reporter.note(`scoring ${images.count} images with ${scoring} (${backend.description})`);
    }
    const threshold = await detector.inferThreshold(images, request, {
      onProgress: (done, total) => reporter.progress('scoring', done, total),
    });
    await saveDetector(detector, detectorFolder, {
      name: manifest.name,
      backend: manifest.backend,
      data: manifest.data,
      trainingSeconds: manifest.trainingSeconds,
      calibration: manifest.calibration,
    });
    reporter.result({ detector: detectorFolder, threshold }, `threshold ${threshold.value.toFixed(3)} (${threshold.method}) saved in ${detectorFolder}`);
  } finally {
    detector.dispose();
  }
}
