import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { EpochRecord, FitConfig, ModelRole } from '../llr/types';
import type { ImageSet } from '../llr/imageSet';
import type { PixelCnnConfig } from '../pixelcnn/types';
import type { AdamState } from '../pixelcnn/flatAdam';
import type { ModelArtifacts, ModelFileManifest } from '../pixelcnn/weightsFile';
import { writeFileAtomic } from './atomicWrite';
import { fingerprintImages } from './imageFingerprint';

/** Name and version of the checkpoint file format. */
export const TRAINING_CHECKPOINT_FORMAT = { name: 'outlier-lens/training-checkpoint', version: 1 } as const;

/** The first bytes of every checkpoint file. */
const MAGIC = 'OLCKPT01';

/**
 * Where one model's training stood at the end of an epoch: enough to go on from the next epoch and
 * end with the model an uninterrupted run would have made.
 */
export interface TrainingCheckpoint {
  readonly role: ModelRole;
  /** Names what the training depends on (see {@link trainingFingerprint}): a checkpoint resumes only the same training. */
  readonly fingerprint: string;
  readonly epochsDone: number;
  /** This model's epoch records so far. */
  readonly history: readonly EpochRecord[];
  readonly model: ModelArtifacts;
  /** Adam's moments and beta1^t, beta2^t; null if no step was taken. */
  readonly optimizer: AdamState | null;
}

/** The file's JSON header; the weights and the moments follow it as float32 values. */
interface CheckpointHeader {
  readonly format: typeof TRAINING_CHECKPOINT_FORMAT.name;
  readonly formatVersion: number;
  readonly role: ModelRole;
  readonly fingerprint: string;
  readonly epochsDone: number;
  readonly history: readonly EpochRecord[];
  readonly model: ModelFileManifest;
  readonly weightBytes: number;
  readonly optimizer: { readonly values: number; readonly accumulatedBeta1: number; readonly accumulatedBeta2: number } | null;
}

/** What is not a valid checkpoint of the training at hand: names the file and the reason. */
export class TrainingCheckpointError extends Error {
  override readonly name = 'TrainingCheckpointError';
}

/**
 * A digest of everything one model's training depends on: its role, the fit settings (epochs
 * included: the learning-rate schedule spans them), the model's configuration and the training and
 * validation pixels.
 */
export function trainingFingerprint(role: ModelRole, fitConfig: FitConfig, modelConfig: Partial<PixelCnnConfig>, training: ImageSet, validation: ImageSet | null): string {
  const pixels = { training: fingerprintImages(training, 'training').sha256, validation: validation && fingerprintImages(validation, 'validation').sha256 };
  const description = { role, fitConfig, modelConfig, shape: training.shape, training: training.count, validation: validation?.count ?? 0, pixels };
  return createHash('sha256').update(JSON.stringify(description)).digest('hex');
}

/** The file a model's checkpoint goes to in a checkpoint folder. */
export function checkpointFile(folder: string, role: ModelRole): string {
  return path.join(folder, `${role}.checkpoint`);
}

/** Writes `checkpoint` to `file` atomically: a kill leaves the previous checkpoint or this one. */
export async function writeTrainingCheckpoint(file: string, checkpoint: TrainingCheckpoint): Promise<void> {
  const { optimizer } = checkpoint;
  const header: CheckpointHeader = {
    format: TRAINING_CHECKPOINT_FORMAT.name,
    formatVersion: TRAINING_CHECKPOINT_FORMAT.version,
    role: checkpoint.role,
    fingerprint: checkpoint.fingerprint,
    epochsDone: checkpoint.epochsDone,
    history: checkpoint.history,
    model: checkpoint.model.manifest,
    weightBytes: checkpoint.model.weightData.byteLength,
    optimizer: optimizer && { values: optimizer.first.length, accumulatedBeta1: optimizer.accumulatedBeta1, accumulatedBeta2: optimizer.accumulatedBeta2 },
  };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(headerBytes.length);
  const parts: Uint8Array[] = [Buffer.from(MAGIC, 'ascii'), length, headerBytes, Buffer.from(checkpoint.model.weightData)];
  if (optimizer) {
    parts.push(floatBytes(optimizer.first), floatBytes(optimizer.second));
  }
  await writeFileAtomic(file, Buffer.concat(parts));
}

/**
 * Reads a checkpoint written by {@link writeTrainingCheckpoint}; null when `file` does not exist.
 * Throws a {@link TrainingCheckpointError} naming the file for anything else that is wrong with it.
 */
export async function readTrainingCheckpoint(file: string): Promise<TrainingCheckpoint | null> {
  let bytes: Buffer;
  try {
    bytes = await fs.promises.readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return null;
    }
    throw new TrainingCheckpointError(`${file}: cannot be read (${(error as Error).message})`);
  }
  const fail = (reason: string): never => {
    throw new TrainingCheckpointError(`${file}: ${reason}`);
  };
  if (bytes.length < MAGIC.length + 4 || bytes.toString('ascii', 0, MAGIC.length) !== MAGIC) {
    fail('not an Outlier Lens training checkpoint');
  }
  const headerEnd = MAGIC.length + 4 + bytes.readUInt32LE(MAGIC.length);
  let header: CheckpointHeader;
  try {
    header = JSON.parse(bytes.toString('utf8', MAGIC.length + 4, headerEnd)) as CheckpointHeader;
  } catch {
    return fail('its header is damaged (a truncated or corrupted file)');
  }
  if (header.format !== TRAINING_CHECKPOINT_FORMAT.name || header.formatVersion !== TRAINING_CHECKPOINT_FORMAT.version) {
    fail(`checkpoint format ${String(header.format)} v${String(header.formatVersion)} is not supported (this version reads v${TRAINING_CHECKPOINT_FORMAT.version})`);
  }
  const optimizerBytes = header.optimizer ? 8 * header.optimizer.values : 0;
  const expected = headerEnd + header.weightBytes + optimizerBytes;
  if (bytes.length !== expected) {
    fail(`holds ${bytes.length} bytes where its header needs ${expected} (a truncated or corrupted file)`);
  }
  const weightsEnd = headerEnd + header.weightBytes;
  const optimizer = header.optimizer && {
    first: floatsAt(bytes, weightsEnd, header.optimizer.values),
    second: floatsAt(bytes, weightsEnd + 4 * header.optimizer.values, header.optimizer.values),
    accumulatedBeta1: header.optimizer.accumulatedBeta1,
    accumulatedBeta2: header.optimizer.accumulatedBeta2,
  };
  return {
    role: header.role,
    fingerprint: header.fingerprint,
    epochsDone: header.epochsDone,
    history: header.history,
    model: { manifest: header.model, weightData: bytes.buffer.slice(bytes.byteOffset + headerEnd, bytes.byteOffset + weightsEnd) as ArrayBuffer },
    optimizer,
  };
}

/** Deletes both models' checkpoints in `folder` (once the detector they led to is saved), and the folder if that leaves it empty. */
export async function removeTrainingCheckpoints(folder: string): Promise<void> {
  await Promise.all((['semantic', 'background'] as const).map((role) => fs.promises.rm(checkpointFile(folder, role), { force: true })));
  await fs.promises.rmdir(folder).catch(() => undefined); // not empty (the user's other files) or already gone: left as it is
}

function floatBytes(values: Float32Array): Buffer {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
}

/** A copy of `count` float32 values at byte `offset` of `bytes` (any alignment). */
function floatsAt(bytes: Buffer, offset: number, count: number): Float32Array {
  const copy = new Uint8Array(4 * count);
  copy.set(bytes.subarray(offset, offset + 4 * count));
  return new Float32Array(copy.buffer);
}
