import { parseArgs } from 'node:util';
import * as path from 'path';
import { selectBackend } from '../../engine/backend/selectBackend';
import { trainDetector } from '../../engine/jobs/trainDetector';
import { backendFlag, channelsFlag, engineFlag, integerFlag, numberFlag, positional, presetFlag, requiredFlag, scheduleFlag, sizeFlag } from '../options';
import { formatDuration, Reporter } from '../reporter';
import { abortOnInterrupt } from '../interrupt';
import { cliJobSink } from '../cliJobSink';
import { UsageError } from '../usageError';

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
      sample: { type: 'string' },
      seed: { type: 'string' },
      backend: { type: 'string' },
      engine: { type: 'string' },
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
  const trainingEngine = engineFlag(values);
  const backend = await selectBackend(backendFlag(values), (name, reason) => reporter.note(`(${name} not used: ${reason})`));
  reporter.note(`backend ${backend.description}`);

  if (values.sample !== undefined && values.limit !== undefined) {
    throw new UsageError('give --limit N (the first N files) or --sample N (a seeded sample), not both');
  }
  const checkpointFolder = values.checkpoint === undefined ? undefined : path.resolve(values.checkpoint);
  const fit = {
    epochs: integerFlag(values, 'epochs'),
    batchSize: integerFlag(values, 'batch-size'),
    learningRate: numberFlag(values, 'learning-rate', (value) => value > 0),
    learningRateSchedule: scheduleFlag(values),
    mutationRate: numberFlag(values, 'mutation-rate', (value) => value >= 0 && value <= 1),
    l2Background: numberFlag(values, 'l2-background', (value) => value >= 0),
    seed: numberFlag(values, 'seed', Number.isInteger),
  };
  const { signal, dispose } = abortOnInterrupt();
  try {
    const trained = await trainDetector(
      {
        folder,
        detectorFolder: output,
        include: values.include,
        exclude: values.exclude,
        imageSize: sizeFlag(values),
        channels: channelsFlag(values),
        limit: integerFlag(values, 'limit'),
        sample: integerFlag(values, 'sample'),
        preset,
        fit: Object.fromEntries(Object.entries(fit).filter(([, value]) => value !== undefined)),
        backend,
        checkpointFolder,
        trainingEngine,
      },
      cliJobSink(reporter),
      signal,
    );
    trained.detector.dispose();
    reporter.result({ detector: output, manifest: trained.manifest }, `detector written to ${output} (${formatDuration(trained.trainingSeconds)} of training)`);
  } finally {
    dispose();
  }
}
