import { walkImageFolder } from '../../data';
import type { ModelRole } from '../../llr';
import { throwIfAborted } from '../../llr/abort';
import { cpuWorkerCount } from '../../parallel';
import { PRESETS } from '../../pixelcnn';
import { loadImageFolder, probeImageShape } from '../../scan';
import { fingerprintImages, removeTrainingCheckpoints, saveDetector } from '../../store';
import type { TrainRequest, TrainResult } from '../../../protocol/engine';
import type { RequestContext } from '../requestContext';
import { PRESET_FIT } from '../../llr';
import { fitCalibratedDetector, greyAsRgbTrainingNote } from '../../signals';

/** Decodes the folder, trains both models (stopping within one batch on cancel) and saves the detector atomically. */
export async function handleTrain(request: TrainRequest, context: RequestContext): Promise<TrainResult> {
  const backend = await context.backend(request.backend);
  const filters = { include: request.include, exclude: request.exclude };
  context.progress({ phase: 'loading', done: 0, total: 0 });
  const walk = await walkImageFolder(request.folder, filters);
  const shape = await probeImageShape(walk.files, { size: request.imageSize ?? undefined, channels: request.channels ?? undefined });
  throwIfAborted(context.signal, 'training');
  const loaded = await loadImageFolder(request.folder, shape, {
    ...filters,
    onProgress: (done, total) => context.progress({ phase: 'decoding', done, total }),
  });
  throwIfAborted(context.signal, 'training');
  context.log('info', `${loaded.images.count} images as ${shape.join('×')}${loaded.failures.length ? `, ${loaded.failures.length} unreadable (skipped)` : ''}`);
  if (loaded.images.count === 0) {
    throw new Error(`${request.folder}: no readable images to train on`);
  }
  const greyAsRgb = greyAsRgbTrainingNote(loaded.images);
  if (greyAsRgb) context.log('info', greyAsRgb);

  const { preset, ...overrides } = request.settings;
  const fitConfig = PRESET_FIT[preset];
  const started = performance.now();
  const stepsDone = new Map<ModelRole, number>();
  const { checkpointFolder } = request;
  const { detector, calibration } = await fitCalibratedDetector(loaded.images, {
    ...fitConfig,
    epochs: overrides.epochs ?? fitConfig.epochs,
    batchSize: overrides.batchSize ?? fitConfig.batchSize,
    mutationRate: overrides.mutationRate ?? fitConfig.mutationRate,
    l2Background: overrides.l2Background ?? fitConfig.l2Background,
    semanticConfig: PRESETS[preset],
    // Both models at once, a worker thread each, on CPU backends (as the CLI): half the wall time on two cores.
    workers: { backend: backend.name, count: cpuWorkerCount(backend.name) },
    signal: context.signal,
    ...(checkpointFolder ? { checkpointFolder } : {}),
    onResume: (model, epochs) => context.log('info', `${model} model: going on from its checkpoint after epoch ${epochs}`),
    // The checkpoint folder is the extension's own: one left by other training (other images or settings) is set aside, not an error.
    onCheckpointSetAside: (_model, reason) => context.log('warn', `${reason}: starting afresh`),
    onProgress: (training) => {
      // The models train at once or in turn: the steps done are both models' so far.
      stepsDone.set(training.model, (training.epoch - 1) * training.stepsPerEpoch + training.step);
      const done = [...stepsDone.values()].reduce((total, steps) => total + steps, 0);
      context.progress({ phase: 'training', done, total: 2 * training.epochs * training.stepsPerEpoch, training });
    },
    onEpoch: (record) => context.log('info', `${record.model} epoch ${record.epoch}: loss ${record.loss.toFixed(1)}, ${record.bitsPerDim.toFixed(3)} bits/dim (${record.seconds.toFixed(1)} s)`),
  });
  context.log('info', calibration ? `calibrated on ${calibration.source}` : 'too few images to hold any out: the detector has no calibration (LLR threshold only)');
  try {
    const manifest = await saveDetector(detector, request.detectorFolder, {
      name: request.detectorName,
      backend: backend.description,
      data: fingerprintImages(loaded.images, request.folder),
      trainingSeconds: (performance.now() - started) / 1000,
      calibration,
    });
    await context.detectors.put(request.detectorFolder, detector, manifest);
    if (checkpointFolder) {
      await removeTrainingCheckpoints(checkpointFolder); // the detector holds what they led to
    }
    return { kind: 'train', detectorFolder: request.detectorFolder, manifest, failures: loaded.failures };
  } catch (error) {
    detector.dispose();
    throw error;
  }
}
