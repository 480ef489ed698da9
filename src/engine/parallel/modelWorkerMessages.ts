/** Messages between the engine and its model worker threads (one per CPU core, for training and scoring). */
import type { EpochRecord, FitConfig, ModelRole, TrainingEngine } from '../llr/types';
import type { ImageShape, PixelCnnConfig } from '../pixelcnn/types';
import type { ModelArtifacts } from '../pixelcnn/weightsFile';
import type { BackendName } from '../backend/types';

/** Images shared with a worker without copying: HWC uint8 pixels in a SharedArrayBuffer. */
export interface SharedImages {
  readonly buffer: SharedArrayBuffer;
  readonly count: number;
  readonly shape: ImageShape;
}

/** Train one of the detector's models for all epochs. */
export interface TrainModelRequest {
  readonly type: 'trainModel';
  /** Numbers the request; every event about it carries it back as `inReplyTo`. */
  readonly requestId: number;
  readonly role: ModelRole;
  readonly training: SharedImages;
  readonly validation: SharedImages | null;
  readonly fitConfig: FitConfig;
  readonly modelConfig: Partial<PixelCnnConfig>;
  readonly lossReadInterval?: number;
  /** What computes the steps (default `auto`). */
  readonly trainingEngine?: TrainingEngine;
  /** Where the worker saves the model's training after each epoch, and resumes it from. */
  readonly checkpointFile?: string;
  /** A checkpoint there that this training cannot go on from is set aside (a CheckpointSetAsideEvent), not an error. */
  readonly setAsideUnusableCheckpoint?: boolean;
}

/** Score images `start..end-1` of `images` with both models. */
export interface ScoreRequest {
  readonly type: 'score';
  /** Numbers the request; every event about it carries it back as `inReplyTo`. */
  readonly requestId: number;
  /** Names the pair of models; the worker keeps the last pair it loaded. */
  readonly modelsId: string;
  /** The models, when the worker does not hold `modelsId` yet. */
  readonly models: { readonly semantic: ModelArtifacts; readonly background: ModelArtifacts } | null;
  readonly images: SharedImages;
  readonly start: number;
  readonly end: number;
  readonly batchSize: number;
  /** Score on ONNX Runtime with one thread (the worker's core) where it loads, else on TensorFlow.js. */
  readonly native: boolean;
}

/** Stop request `target` at its next batch. */
export interface CancelRequest {
  readonly type: 'cancel';
  readonly target: number;
}

/**
 * Stop the running request, free the models and end the thread, between two batches: terminating
 * a thread from outside may stop it inside a native ONNX Runtime call, whose teardown can abort the process.
 */
export interface CloseRequest {
  readonly type: 'close';
}

/** What the engine sends a worker. */
export type ToModelWorkerMessage = TrainModelRequest | ScoreRequest | CancelRequest | CloseRequest;

/** A training step finished (sent every step; cheap next to the step itself). */
export interface TrainStepEvent {
  readonly type: 'step';
  readonly inReplyTo: number;
  readonly epoch: number;
  readonly step: number;
  readonly stepsPerEpoch: number;
  readonly loss: number;
}

/** An epoch finished. */
export interface EpochEvent {
  readonly type: 'epoch';
  readonly inReplyTo: number;
  readonly record: EpochRecord;
}

/** Training goes on from the request's checkpoint, which had `epochsDone` epochs (their records follow as epoch events). */
export interface ResumedEvent {
  readonly type: 'resumed';
  readonly inReplyTo: number;
  readonly epochsDone: number;
}

/** The request's checkpoint belonged to other training or was damaged: training starts afresh. */
export interface CheckpointSetAsideEvent {
  readonly type: 'checkpointSetAside';
  readonly inReplyTo: number;
  readonly reason: string;
}

/** Training finished: the trained model as bytes. */
export interface TrainedEvent {
  readonly type: 'trained';
  readonly inReplyTo: number;
  readonly artifacts: ModelArtifacts;
}

/** Images scored so far in this request. */
export interface ScoreProgressEvent {
  readonly type: 'scoreProgress';
  readonly inReplyTo: number;
  readonly done: number;
}

/** Scoring finished: both log-likelihoods of images start..end-1, in order. */
export interface ScoredEvent {
  readonly type: 'scored';
  readonly inReplyTo: number;
  readonly semanticLogProb: Float32Array;
  readonly backgroundLogProb: Float32Array;
  /** Whether ONNX Runtime scored them (else TensorFlow.js). */
  readonly onnxRuntime: boolean;
}

/** The request failed; `name` keeps AbortError and NonFiniteLossError recognisable. */
export interface WorkerErrorEvent {
  readonly type: 'error';
  /** The request that failed, or null when the worker itself could not start. */
  readonly inReplyTo: number | null;
  readonly name: string;
  readonly message: string;
}

/** The worker is up, on this backend. */
export interface WorkerReadyEvent {
  readonly type: 'ready';
  readonly backend: string;
}

/** What a worker sends back. */
export type FromModelWorkerMessage = TrainStepEvent | EpochEvent | ResumedEvent | CheckpointSetAsideEvent | TrainedEvent | ScoreProgressEvent | ScoredEvent | WorkerErrorEvent | WorkerReadyEvent;

/** What a worker is started with (its `workerData`). */
export interface ModelWorkerData {
  readonly backend: BackendName;
}
