import * as tf from '@tensorflow/tfjs-core';
import type { PixelCnn } from '../pixelcnn/model';
import { encodeModel } from '../pixelcnn/weightsFile';
import type { TrainingCheckpoint } from '../store/trainingCheckpoint';
import { readTrainingCheckpoint, TrainingCheckpointError, writeTrainingCheckpoint } from '../store/trainingCheckpoint';
import type { EpochRecord, ModelRole } from './types';

/**
 * The checkpoint in `file` to go on from, or null when there is none. One this training must not
 * resume (another role's, other images' or settings', or a damaged file) is an error naming the
 * file; where `setAside` is given, it is told why instead, and the result is null (start afresh).
 */
export async function checkpointToResume(file: string, role: ModelRole, fingerprint: string, setAside?: (reason: string) => void): Promise<TrainingCheckpoint | null> {
  let checkpoint: TrainingCheckpoint | null;
  try {
    checkpoint = await readTrainingCheckpoint(file);
  } catch (error) {
    if (setAside && error instanceof TrainingCheckpointError) {
      setAside(error.message);
      return null;
    }
    throw error;
  }
  if (checkpoint && (checkpoint.role !== role || checkpoint.fingerprint !== fingerprint)) {
    const reason = `${file}: a checkpoint of other training (the ${checkpoint.role} model, with other images or settings)`;
    if (setAside) {
      setAside(reason);
      return null;
    }
    throw new TrainingCheckpointError(`${reason}; use another checkpoint folder, or delete it to start afresh`);
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
