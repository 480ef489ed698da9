import { walkImageFolder } from '../../data';
import { LlrDetector } from '../../llr';
import { throwIfAborted } from '../../llr/abort';
import { PRESETS } from '../../pixelcnn';
import { loadImageFolder, probeImageShape } from '../../scan';
import { fingerprintImages, saveDetector } from '../../store';
import type { TrainRequest, TrainResult } from '../../../protocol/engine';
import type { RequestContext } from '../requestContext';
import { PRESET_FIT } from '../../llr';

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

  const { preset, ...overrides } = request.settings;
  const fit = PRESET_FIT[preset];
  const started = performance.now();
  const detector = await LlrDetector.fit(loaded.images, {
    ...fit,
    epochs: overrides.epochs ?? fit.epochs,
    batchSize: overrides.batchSize ?? fit.batchSize,
    mutationRate: overrides.mutationRate ?? fit.mutationRate,
    l2Background: overrides.l2Background ?? fit.l2Background,
    semanticConfig: PRESETS[preset],
    signal: context.signal,
    onProgress: (training) => {
      const step = (training.epoch - 1) * 2 * training.stepsPerEpoch + (training.model === 'background' ? training.stepsPerEpoch : 0) + training.step;
      context.progress({ phase: 'training', done: step, total: 2 * training.epochs * training.stepsPerEpoch, training });
    },
    onEpoch: (record) => context.log('info', `${record.model} epoch ${record.epoch}: loss ${record.loss.toFixed(1)}, ${record.bitsPerDim.toFixed(3)} bits/dim (${record.seconds.toFixed(1)} s)`),
  });
  try {
    const manifest = await saveDetector(detector, request.detectorFolder, {
      name: request.detectorName,
      backend: backend.description,
      data: fingerprintImages(loaded.images, request.folder),
      trainingSeconds: (performance.now() - started) / 1000,
    });
    await context.detectors.put(request.detectorFolder, detector, manifest);
    return { kind: 'train', detectorFolder: request.detectorFolder, manifest, failures: loaded.failures };
  } catch (error) {
    detector.dispose();
    throw error;
  }
}
