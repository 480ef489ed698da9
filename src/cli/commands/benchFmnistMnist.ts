import { parseArgs } from 'node:util';
import * as os from 'os';
import * as path from 'path';
import { auprc } from '../../common/metrics/auprc';
import { auroc } from '../../common/metrics/auroc';
import { splitByClass } from '../../common/metrics/scoresByClass';
import { qualityAt } from '../../common/metrics/thresholdQuality';
import { selectBackend } from '../../engine/backend/selectBackend';
import { loadDataset } from '../../engine/data';
import type { ImageSet, ModelRole } from '../../engine/llr';
import { greyToRgb, imageSize, LlrDetector, toImageSet } from '../../engine/llr';
import { DEFAULT_CHANNELS } from '../../engine/scan/probeImageShape';
import type { PresetName } from '../../engine/pixelcnn';
import { PRESETS } from '../../engine/pixelcnn';
import { scoringFor, trainerFor } from '../../engine/strategies/chooseStrategies';
import { removeTrainingCheckpoints, writeFileAtomic } from '../../engine/store';
import { abortOnInterrupt } from '../interrupt';
import { backendFlag, channelsFlag, engineFlag, integerFlag, numberFlag, presetFlag, scheduleFlag } from '../options';
import { PRESET_FIT } from '../../engine/llr';
import { formatDuration, Reporter } from '../reporter';

const SHAPE = [28, 28, 1] as const;

/**
 * Training images by default: all 60,000 for the seed protocol; for `fast`, what 2 CPU cores train
 * and score within 15 minutes as three channels (docs/detection.md has the runs that chose 12,000).
 */
const DEFAULT_TRAIN_LIMIT: Record<PresetName, number | undefined> = { seed: undefined, fast: 12_000 };

/** The first `count` images of `set`. */
function head(set: ImageSet, count: number): ImageSet {
  return toImageSet(set.pixels.subarray(0, count * imageSize(set.shape)), set.shape);
}

/** Two image sets of one shape, one after the other. */
function join(first: ImageSet, second: ImageSet): ImageSet {
  const pixels = new Uint8Array(first.pixels.length + second.pixels.length);
  pixels.set(first.pixels);
  pixels.set(second.pixels, first.pixels.length);
  return toImageSet(pixels, first.shape);
}

/**
 * `outlier-lens bench fmnist-mnist`: the seed's protocol on real data. Train on Fashion-MNIST
 * train; threshold at the 50th percentile of 250 + 250 test images; flag all 20,000 test images
 * (Fashion-MNIST = inliers, MNIST = outliers); report AUROC, AUPRC, F1 and the rest as JSON.
 */
export async function benchFmnistMnistCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      preset: { type: 'string' },
      'train-limit': { type: 'string' },
      'test-limit': { type: 'string' },
      channels: { type: 'string' },
      epochs: { type: 'string' },
      'batch-size': { type: 'string' },
      'learning-rate': { type: 'string' },
      'learning-rate-schedule': { type: 'string' },
      'l2-background': { type: 'string' },
      'mutation-rate': { type: 'string' },
      seed: { type: 'string' },
      backend: { type: 'string' },
      engine: { type: 'string' },
      'score-batch-size': { type: 'string' },
      'fashion-mnist-dir': { type: 'string' },
      'mnist-dir': { type: 'string' },
      output: { type: 'string', short: 'o' },
      checkpoint: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const started = performance.now();
  const reporter = new Reporter(Boolean(values.json));
  const preset = presetFlag(values, 'fast');
  const trainingEngine = engineFlag(values);
  const backend = await selectBackend(backendFlag(values), (name, reason) => reporter.note(`(${name} not used: ${reason})`));
  const testLimit = integerFlag(values, 'test-limit') ?? 10_000;
  // Folders holding the idx files, where they are not installed in the usual places (a GPU machine).
  const fashionFolder = values['fashion-mnist-dir'] as string | undefined;
  const mnistFolder = values['mnist-dir'] as string | undefined;
  const fashionTrain = await loadDataset('fashion-mnist', 'train', { limit: integerFlag(values, 'train-limit') ?? DEFAULT_TRAIN_LIMIT[preset], folder: fashionFolder });
  const fashionTest = await loadDataset('fashion-mnist', 'test', { limit: testLimit, folder: fashionFolder });
  const mnistTest = await loadDataset('mnist', 'test', { limit: testLimit, folder: mnistFolder });
  const requestedScoreBatchSize = integerFlag(values, 'score-batch-size');
  const channels = channelsFlag(values) ?? DEFAULT_CHANNELS;
  const represent = (pixels: Uint8Array): ImageSet => (channels === 3 ? greyToRgb(toImageSet(pixels, SHAPE)) : toImageSet(pixels, SHAPE));
  const train = represent(fashionTrain.images);
  const inliers = represent(fashionTest.images);
  const outliers = represent(mnistTest.images);
  const fit = {
    ...PRESET_FIT[preset],
    epochs: integerFlag(values, 'epochs') ?? PRESET_FIT[preset].epochs,
    batchSize: integerFlag(values, 'batch-size') ?? PRESET_FIT[preset].batchSize,
    learningRate: numberFlag(values, 'learning-rate', (value) => value > 0) ?? PRESET_FIT[preset].learningRate,
    learningRateSchedule: scheduleFlag(values) ?? PRESET_FIT[preset].learningRateSchedule,
    l2Background: numberFlag(values, 'l2-background', (value) => value >= 0) ?? PRESET_FIT[preset].l2Background,
    mutationRate: numberFlag(values, 'mutation-rate', (value) => value >= 0 && value <= 1) ?? PRESET_FIT[preset].mutationRate,
    seed: numberFlag(values, 'seed', Number.isInteger) ?? PRESET_FIT[preset].seed,
  };
  reporter.note(`training ${preset} on ${train.count} Fashion-MNIST images as ${channels} channel(s) with ${backend.description}`);

  const checkpointFolder = values.checkpoint === undefined ? undefined : path.resolve(values.checkpoint);
  const resumedAfter: Partial<Record<ModelRole, number>> = {};
  const { signal, dispose } = abortOnInterrupt();
  let detector: LlrDetector | null = null;
  const trainingStarted = performance.now();
  try {
    detector = await LlrDetector.fit(train, {
      ...fit,
      semanticConfig: PRESETS[preset],
      trainingEngine,
      signal,
      checkpointFolder,
      onResume: (model, epochs) => {
        resumedAfter[model] = epochs;
        reporter.note(`${model} model: going on from its checkpoint in ${checkpointFolder} after epoch ${epochs}`);
      },
      onProgress: (update) =>
        reporter.progress(`${update.model.padEnd(10)} ${update.epoch}/${update.epochs}`, update.step, update.stepsPerEpoch, `${update.bitsPerDim.toFixed(3)} bits/dim · ETA ${formatDuration(update.etaSeconds)}`),
      onEpoch: (record) => reporter.note(`${record.model} epoch ${record.epoch}: ${record.bitsPerDim.toFixed(3)} bits/dim (${formatDuration(record.seconds)})`),
    }, { trainer: trainerFor(backend.name), scoring: scoringFor(backend.name) });
    const trainSeconds = (performance.now() - trainingStarted) / 1000;
    const scoring = await detector.prepareScoring();
    reporter.note(`scoring with ${scoring}`);

    const thresholdSet = join(head(inliers, Math.min(250, inliers.count)), head(outliers, Math.min(250, outliers.count)));
    const threshold = await detector.inferThreshold(thresholdSet, { method: 'percentile', percentile: 50 }, { signal });
    const everything = join(inliers, outliers);
    // Unless asked for, the batch the backend's memory holds (see scoreBatchSize).
    const scoreBatchSize = requestedScoreBatchSize ?? detector.scoreBatchSize();
    const scoringStarted = performance.now();
    const scores = await detector.score(everything, { signal, batchSize: scoreBatchSize, onProgress: (done, total) => reporter.progress('scoring', done, total) });
    const scoringSeconds = (performance.now() - scoringStarted) / 1000;
    const isOutlier = (i: number): boolean => i >= inliers.count;
    const labelled = splitByClass(scores.instanceScore, isOutlier);
    const atThreshold = qualityAt(labelled, threshold.value);
    const result = {
      benchmark: 'fmnist-mnist',
      preset,
      modelConfig: PRESETS[preset],
      fitConfig: fit,
      backend: backend.description,
      scoring,
      machine: `${os.cpus().length}× ${os.cpus()[0]?.model ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
      data: { trainImages: train.count, channels, testInliers: inliers.count, testOutliers: outliers.count },
      auroc: auroc(labelled),
      aurocLikelihood: auroc(splitByClass(scores.semanticLogProb.map((logProb) => -logProb), isOutlier)),
      auprc: auprc(labelled),
      threshold: threshold.value,
      f1: atThreshold.f1,
      accuracy: atThreshold.accuracy,
      precision: atThreshold.precision,
      recall: atThreshold.recall,
      trainSeconds,
      /** Epochs each model had done in earlier runs (--checkpoint); trainSeconds is this run's alone. */
      resumedAfterEpochs: resumedAfter,
      scoreBatchSize,
      scoringImagesPerSecond: everything.count / scoringSeconds,
      totalSeconds: (performance.now() - started) / 1000,
      history: detector.history,
      date: new Date().toISOString(),
    };
    const output = path.resolve((values.output as string | undefined) ?? path.join('bench', 'results', `fmnist-mnist-${preset}-${backend.name}.json`));
    await writeFileAtomic(output, JSON.stringify(result, null, 2));
    if (checkpointFolder) {
      await removeTrainingCheckpoints(checkpointFolder); // until the result is written, a rerun skips the training done
    }
    reporter.result(
      result,
      [
        `Fashion-MNIST → MNIST, ${preset} preset, ${backend.description}`,
        `  AUROC ${result.auroc.toFixed(4)} (likelihood only ${result.aurocLikelihood.toFixed(4)}), AUPRC ${result.auprc.toFixed(4)}`,
        `  at the threshold ${threshold.value.toFixed(2)}: F1 ${result.f1.toFixed(3)}, accuracy ${result.accuracy.toFixed(3)}, precision ${result.precision.toFixed(3)}, recall ${result.recall.toFixed(3)}`,
        `  training ${formatDuration(trainSeconds)}, scoring ${result.scoringImagesPerSecond.toFixed(1)} img/s (${scoring}), total ${formatDuration(result.totalSeconds)}`,
        `  written to ${output}`,
      ].join('\n'),
    );
  } finally {
    detector?.dispose();
    dispose();
  }
}
