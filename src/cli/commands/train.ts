import { parseArgs } from 'node:util';
import * as path from 'path';
import { selectBackend } from '../../engine/backend/selectBackend';
import { walkImageFolder } from '../../engine/data';
import { PRESETS } from '../../engine/pixelcnn';
import { cpuWorkerCount } from '../../engine/parallel';
import { loadImageFolder, probeImageShape } from '../../engine/scan';
import { fingerprintImages, removeTrainingCheckpoints, saveDetector } from '../../engine/store';
import { backendFlag, channelsFlag, integerFlag, numberFlag, positional, presetFlag, requiredFlag, scheduleFlag, sizeFlag } from '../options';
import { formatDuration, Reporter } from '../reporter';
import { abortOnInterrupt } from '../interrupt';
import { PRESET_FIT } from '../../engine/llr';
import { fitCalibratedDetector, greyAsRgbTrainingNote } from '../../engine/signals';

/** `outlier-lens train <folder> -o <detector> …`: trains both models on a folder of images. */
export async function trainCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      output: { type: 'string', short: 'o' },
      preset: { type: 'string' },
      epochs: { type: 'string' },
      'batch-size': { type: 'string' },
      'learning-rate': { type: 'string' },
      'learning-rate-schedule': { type: 'string' },
      'mutation-rate': { type: 'string' },
      'l2-background': { type: 'string' },
      size: { type: 'string' },
      channels: { type: 'string' },
      limit: { type: 'string' },
      seed: { type: 'string' },
      backend: { type: 'string' },
      include: { type: 'string', multiple: true },
      exclude: { type: 'string', multiple: true },
      checkpoint: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const folder = path.resolve(positional(positionals, 0, 'folder'));
  const output = path.resolve(requiredFlag(values, 'output'));
  const preset = presetFlag(values, 'fast');
  const reporter = new Reporter(Boolean(values.json));
  const backend = await selectBackend(backendFlag(values), (name, reason) => reporter.note(`(${name} not used: ${reason})`));
  reporter.note(`backend ${backend.description}`);

  const filters = { include: values.include as string[] | undefined, exclude: values.exclude as string[] | undefined };
  const walk = await walkImageFolder(folder, filters);
  const shape = await probeImageShape(walk.files, { size: sizeFlag(values), channels: channelsFlag(values) });
  const loaded = await loadImageFolder(folder, shape, {
    ...filters,
    limit: integerFlag(values, 'limit'),
    onProgress: (done, total) => reporter.progress('decoding', done, total),
  });
  reporter.note(`${loaded.images.count} images as ${shape.join('×')}${loaded.failures.length ? `, ${loaded.failures.length} unreadable (skipped)` : ''}`);
  for (const failure of loaded.failures.slice(0, 10)) {
    reporter.note(`  ${failure.relativePath}: ${failure.reason}`);
  }
  if (loaded.images.count === 0) {
    throw new Error(`${folder}: no readable images to train on`);
  }
  const greyAsRgb = greyAsRgbTrainingNote(loaded.images);
  if (greyAsRgb) reporter.note(greyAsRgb);

  const fit = PRESET_FIT[preset];
  const checkpointFolder = values.checkpoint === undefined ? undefined : path.resolve(values.checkpoint);
  const { signal, dispose } = abortOnInterrupt();
  const trainingStarted = performance.now();
  try {
    const { detector, calibration } = await fitCalibratedDetector(loaded.images, {
      ...fit,
      epochs: integerFlag(values, 'epochs') ?? fit.epochs,
      batchSize: integerFlag(values, 'batch-size') ?? fit.batchSize,
      learningRate: numberFlag(values, 'learning-rate', (value) => value > 0) ?? fit.learningRate,
      learningRateSchedule: scheduleFlag(values) ?? fit.learningRateSchedule,
      mutationRate: numberFlag(values, 'mutation-rate', (value) => value >= 0 && value <= 1) ?? fit.mutationRate,
      l2Background: numberFlag(values, 'l2-background', (value) => value >= 0) ?? fit.l2Background,
      seed: numberFlag(values, 'seed', Number.isInteger) ?? fit.seed,
      semanticConfig: PRESETS[preset],
      workers: { backend: backend.name, count: cpuWorkerCount(backend.name) },
      signal,
      checkpointFolder,
      onResume: (model, epochs) => reporter.note(`${model} model: going on from its checkpoint in ${checkpointFolder} after epoch ${epochs}`),
      onProgress: (update) =>
        reporter.progress(
          `${update.model.padEnd(10)} epoch ${update.epoch}/${update.epochs}`,
          update.step,
          update.stepsPerEpoch,
          `loss ${update.loss.toFixed(1)} · ${update.bitsPerDim.toFixed(3)} bits/dim · ETA ${formatDuration(update.etaSeconds)}`,
        ),
      onEpoch: (record) => reporter.note(`${record.model} epoch ${record.epoch}: ${record.bitsPerDim.toFixed(3)} bits/dim (${formatDuration(record.seconds)})`),
    }, {
      prepareScoring: (trained) => trained.useFastestScoring(backend.name),
      onProgress: (done, total) => reporter.progress('calibrating', done, total),
    });
    reporter.note(calibration ? `calibrated on ${calibration.source}` : 'too few images to hold any out: the detector has no calibration (LLR threshold only)');
    const seconds = (performance.now() - trainingStarted) / 1000;
    const manifest = await saveDetector(detector, output, {
      backend: backend.description,
      data: fingerprintImages(loaded.images, folder),
      trainingSeconds: seconds,
      calibration,
    });
    detector.dispose();
    if (checkpointFolder) {
      await removeTrainingCheckpoints(checkpointFolder); // the detector holds what they led to
    }
    reporter.result({ detector: output, manifest }, `detector written to ${output} (${formatDuration(seconds)} of training)`);
  } finally {
    dispose();
  }
}
