import type { SelectedBackend } from '../backend/types';
import { walkImageFolder } from '../data';
import type { FitConfig, ModelRole, TrainingEngine } from '../llr';
import type { LlrDetector } from '../llr';
import { PRESET_FIT } from '../llr';
import { throwIfAborted } from '../llr/abort';
import type { PresetName } from '../pixelcnn';
import { PRESETS } from '../pixelcnn';
import { loadImageFolder, probeImageShape, sampleFiles } from '../scan';
import { scoringFor, trainerFor } from '../strategies/chooseStrategies';
import type { DetectorManifest } from '../store';
import { fingerprintImages, removeTrainingCheckpoints, saveDetector } from '../store';
import type { FailedImage } from '../../protocol/scanResults';
import { fitCalibratedDetector, greyAsRgbTrainingNote } from '../signals';
import type { JobSink } from './jobSink';

/** What to train on and how: the folder, the detector to write, the preset and any of its settings overridden. */
export interface TrainDetectorJob {
  readonly folder: string;
  readonly detectorFolder: string;
  /** The detector's display name (default: its folder's name). */
  readonly detectorName?: string;
  readonly include?: readonly string[];
  readonly exclude?: readonly string[];
  /** [height, width]; absent: the first readable image's size. */
  readonly imageSize?: readonly [number, number];
  /** 1 (gray) or 3 (RGB); absent: the first readable image's. */
  readonly channels?: 1 | 3;
  /** Train on at most this many images (the first in walk order). */
  readonly limit?: number;
  /** Train on a seeded sample of this many files (seeded by the fit's seed), drawn from one walk whatever the folder's order. */
  readonly sample?: number;
  readonly preset: PresetName;
  readonly fit?: Partial<FitConfig>;
  /** What computes the training steps (default `auto`: one ONNX graph a step where the backend is a CPU one). */
  readonly trainingEngine?: TrainingEngine;
  /** The backend this process runs on (chosen once, where the process starts). */
  readonly backend: SelectedBackend;
  /** Where each model's training is saved after every epoch, so an interrupted training goes on. */
  readonly checkpointFolder?: string;
  /**
   * A checkpoint that cannot be resumed (other images or settings, or damaged) is set aside with a
   * warning and training starts afresh; otherwise it is an error naming the file (the user's own folder).
   */
  readonly setAsideUnusableCheckpoints?: boolean;
}

/** A trained and saved detector; the caller owns `detector` (cache it or dispose it). */
export interface TrainedDetector {
  readonly detector: LlrDetector;
  readonly manifest: DetectorManifest;
  /** Files that could not be read, each with its reason (skipped). */
  readonly failures: readonly FailedImage[];
  readonly trainingSeconds: number;
}

/**
 * Trains a detector: walks and decodes the folder, holds out known inliers for calibration, trains
 * both models on the rest (at once, a worker thread each, on CPU backends), measures the held-out
 * images' signals, saves the detector atomically and drops the checkpoints it no longer needs.
 * Stops within one batch when `signal` fires.
 */
export async function trainDetector(job: TrainDetectorJob, sink: JobSink, signal?: AbortSignal): Promise<TrainedDetector> {
  const filters = { include: job.include, exclude: job.exclude };
  sink.progress({ phase: 'loading', done: 0, total: 0 });
  const walk = await walkImageFolder(job.folder, filters);
  const sampleSeed = job.fit?.seed ?? 0;
  const files = job.sample === undefined ? walk.files : sampleFiles(walk.files, job.sample, sampleSeed);
  if (job.sample !== undefined) {
    sink.log('info', `training on a sample of ${files.length} of ${walk.files.length} files (seed ${sampleSeed})`);
  }
  const shape = await probeImageShape(files, { size: job.imageSize, channels: job.channels });
  throwIfAborted(signal, 'training');
  const loaded = await loadImageFolder(job.folder, shape, {
    walk: { files, errors: walk.errors },
    limit: job.limit,
    onProgress: (done, total) => sink.progress({ phase: 'decoding', done, total }),
  });
  throwIfAborted(signal, 'training');
  sink.log('info', `${loaded.images.count} images as ${shape.join('×')}${loaded.failures.length ? `, ${loaded.failures.length} unreadable (skipped)` : ''}`);
  for (const failure of loaded.failures.slice(0, 10)) {
    sink.log('warn', `  ${failure.relativePath}: ${failure.reason}`);
  }
  if (loaded.images.count === 0) {
    throw new Error(`${job.folder}: no readable images to train on`);
  }
  const greyAsRgb = greyAsRgbTrainingNote(loaded.images);
  if (greyAsRgb) {
    sink.log('info', greyAsRgb);
  }

  const { checkpointFolder } = job;
  const started = performance.now();
  const stepsDone = new Map<ModelRole, number>();
  const { detector, calibration } = await fitCalibratedDetector(loaded.images, {
    ...PRESET_FIT[job.preset],
    ...job.fit,
    semanticConfig: PRESETS[job.preset],
    ...(job.trainingEngine ? { trainingEngine: job.trainingEngine } : {}),
    signal,
    ...(checkpointFolder ? { checkpointFolder } : {}),
    onResume: (model, epochs) => sink.log('info', `${model} model: going on from its checkpoint in ${checkpointFolder} after epoch ${epochs}`),
    ...(job.setAsideUnusableCheckpoints ? { onCheckpointSetAside: (_model: ModelRole, reason: string) => sink.log('warn', `${reason}: starting afresh`) } : {}),
    onProgress: (training) => {
      // The models train at once or in turn: the steps done are both models' so far.
      stepsDone.set(training.model, (training.epoch - 1) * training.stepsPerEpoch + training.step);
      const done = [...stepsDone.values()].reduce((total, steps) => total + steps, 0);
      sink.progress({ phase: 'training', done, total: 2 * training.epochs * training.stepsPerEpoch, training });
    },
    onEpoch: (record) =>
      sink.log('info', `${record.model} epoch ${record.epoch}: loss ${record.loss.toFixed(1)}, ${record.bitsPerDim.toFixed(3)} bits/dim (${record.seconds.toFixed(1)} s)`),
  }, { trainer: trainerFor(job.backend.name), scoring: scoringFor(job.backend.name) }, {
    onProgress: (done, total) => sink.progress({ phase: 'scanning', done, total }),
  });
  sink.log('info', calibration ? `calibrated on ${calibration.source}` : 'too few images to hold any out: the detector has no calibration (LLR threshold only)');
  try {
    const trainingSeconds = (performance.now() - started) / 1000;
    const manifest = await saveDetector(detector, job.detectorFolder, {
      ...(job.detectorName ? { name: job.detectorName } : {}),
      backend: job.backend.description,
      data: fingerprintImages(loaded.images, job.folder),
      trainingSeconds,
      calibration,
    });
    if (checkpointFolder) {
      await removeTrainingCheckpoints(checkpointFolder); // the detector holds what they led to
    }
    return { detector, manifest, failures: loaded.failures, trainingSeconds };
  } catch (error) {
    detector.dispose();
    throw error;
  }
}
