import * as tf from '@tensorflow/tfjs-core';
import type { PixelCnn } from '../pixelcnn/model';
import { encodeModel } from '../pixelcnn/weightsFile';
import type { TrainingCheckpoint } from '../store/trainingCheckpoint';
import { readTrainingCheckpoint, TrainingCheckpointError, writeTrainingCheckpoint } from '../store/trainingCheckpoint';
import type { EpochRecord, ModelRole } from './types';

/**
 * The checkpoint in `file` to go on from, or null when there is none; throws naming the file when
 * it belongs to other training (another role, other images or settings), which it must not resume.
 */
export async function checkpointToResume(file: string, role: ModelRole, fingerprint: string): Promise<TrainingCheckpoint | null> {
  const checkpoint = await readTrainingCheckpoint(file);
  if (checkpoint && (checkpoint.role !== role || checkpoint.fingerprint !== fingerprint)) {
    throw new TrainingCheckpointError(
      `${file}: a checkpoint of other training (the ${checkpoint.role} model, with other images or settings); use another checkpoint folder, or delete it to start afresh`,
    );
  }
  return checkpoint;
}

/** Puts `checkpoint`'s weights and optimiser state into `model` (built with the same configuration). */
export function restoreTraining(model: PixelCnn, checkpoint: TrainingCheckpoint): void {
  const weights = tf.io.decodeWeights(checkpoint.model.weightData, checkpoint.model.manifest.weightsManifest[0].weights);
  try {
    model.setWeights(weights);
  } finally {
    tf.dispose(weights);
  }
  if (checkpoint.optimizer) {
    model.restoreOptimizerState(checkpoint.optimizer);
  }
}

/** Writes where `model`'s training stands after `history`'s last epoch to `file`. */
export async function saveTraining(file: string, role: ModelRole, fingerprint: string, model: PixelCnn, history: readonly EpochRecord[]): Promise<void> {
  const [artifacts, optimizer] = await Promise.all([encodeModel(model), model.optimizerState()]);
  await writeTrainingCheckpoint(file, { role, fingerprint, epochsDone: history.length, history: [...history], model: artifacts, optimizer });
}
