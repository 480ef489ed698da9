import * as fs from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';
import type { FromModelWorkerMessage, ModelWorkerData, ScoreRequest, ToModelWorkerMessage, TrainModelRequest } from './modelWorkerMessages';
import type { BackendName } from '../backend/types';
import { AbortError } from '../llr/abort';
import type { EpochRecord } from '../llr/types';
import type { ModelArtifacts } from '../pixelcnn/weightsFile';
import { PendingRequests } from '../../protocol/requestReply';

/** The worker's code: the bundle's `modelWorker.js` beside this file, or the TypeScript source under tsx. */
function workerEntry(): { file: string; execArgv: string[] } {
  const bundled = path.join(__dirname, 'modelWorker.js');
  if (fs.existsSync(bundled)) {
    return { file: bundled, execArgv: [] };
  }
  return { file: path.join(__dirname, 'modelWorker.ts'), execArgv: ['--require', 'tsx/cjs'] };
}

/** How long a worker may take to finish its batch and end itself before it is terminated from outside. */
const CLOSE_GRACE_MS = 30_000;

/** An error from a worker, keeping AbortError recognisable. */
function toError(message: { name: string; message: string }): Error {
  if (message.name === 'AbortError') {
    return new AbortError(message.message.replace(/ cancelled$/, ''));
  }
  const error = new Error(message.message);
  error.name = message.name;
  return error;
}

/** What a worker's training reports as it goes. */
export interface TrainModelEvents {
  readonly onStep: (epoch: number, step: number, stepsPerEpoch: number, loss: number) => void;
  readonly onEpoch: (record: EpochRecord) => void;
  readonly onResume?: (epochsDone: number) => void;
  /** The checkpoint could not be resumed and training started afresh (asked for by `setAsideUnusableCheckpoint`). */
  readonly onCheckpointSetAside?: (reason: string) => void;
}

/** Turns a request's events into its result: the event that ends it gives the result, the others return undefined. */
type ReplyHandler = (message: FromModelWorkerMessage) => unknown;

/** A request's body as the caller writes it: the client numbers it. */
type Body<Request> = Omit<Request, 'type' | 'requestId'>;

/** One model worker thread: trains a model or scores images on its own core. Terminate it when done. */
export class ModelWorkerClient {
  private heldModelsId: string | null = null;
  private readonly pending = new PendingRequests<unknown, ReplyHandler>();
  private ended = false;

  private constructor(private readonly worker: Worker, readonly backend: string) {
    worker.on('message', (message: FromModelWorkerMessage) => this.receive(message));
    worker.on('error', (error) => this.pending.rejectAll(() => error));
    worker.once('exit', (code) => {
      this.ended = true;
      this.pending.rejectAll(() => new Error(`the model worker stopped (exit code ${code})`));
    });
  }

  /** Starts a worker on `backend` and waits until its backend is up. */
  static async start(backend: BackendName): Promise<ModelWorkerClient> {
    const { file, execArgv } = workerEntry();
    const worker = new Worker(file, { workerData: { backend } satisfies ModelWorkerData, execArgv });
    const description = await new Promise<string>((resolve, reject) => {
      worker.once('message', (message: FromModelWorkerMessage) =>
        message.type === 'ready' ? resolve(message.backend) : reject(toError(message.type === 'error' ? message : { name: 'Error', message: 'worker failed to start' })),
      );
      worker.once('error', reject);
    });
    return new ModelWorkerClient(worker, description);
  }

  /** Trains a model in the worker, reporting its events to `events`; resolves with its artifacts. */
  trainModel(request: Body<TrainModelRequest>, events: TrainModelEvents): Promise<ModelArtifacts> {
    return this.request((requestId) => ({ type: 'trainModel', requestId, ...request }), (message) => {
      if (message.type === 'step') events.onStep(message.epoch, message.step, message.stepsPerEpoch, message.loss);
      else if (message.type === 'epoch') events.onEpoch(message.record);
      else if (message.type === 'resumed') events.onResume?.(message.epochsDone);
      else if (message.type === 'checkpointSetAside') events.onCheckpointSetAside?.(message.reason);
      return message.type === 'trained' ? message.artifacts : undefined;
    });
  }

  /** Scores images `start..end-1` with the pair of models named `modelsId` (sent once per worker). */
  score(
    request: Omit<Body<ScoreRequest>, 'models'>,
    models: () => NonNullable<ScoreRequest['models']>,
    onProgress: (done: number) => void,
  ): Promise<{ semanticLogProb: Float32Array; backgroundLogProb: Float32Array; onnxRuntime: boolean }> {
    const sendModels = this.heldModelsId !== request.modelsId;
    this.heldModelsId = request.modelsId;
    return this.request((requestId) => ({ type: 'score', requestId, ...request, models: sendModels ? models() : null }), (message) => {
      if (message.type === 'scoreProgress') onProgress(message.done);
      return message.type === 'scored' ? { semanticLogProb: message.semanticLogProb, backgroundLogProb: message.backgroundLogProb, onnxRuntime: message.onnxRuntime } : undefined;
    });
  }

  /** Asks the running requests to stop at their next batch. */
  cancel(): void {
    for (const requestId of this.pending.openIds()) {
      this.post({ type: 'cancel', target: requestId });
    }
  }

  /**
   * Stops the thread: asks it to end itself between two batches (see CloseRequest), and terminates
   * it from outside only if it has not ended within `graceMs`.
   */
  async terminate(graceMs = CLOSE_GRACE_MS): Promise<void> {
    if (this.ended) {
      return;
    }
    const exited = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), graceMs);
      this.worker.once('exit', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    try {
      this.post({ type: 'close' });
    } catch {
      // The thread has already ended.
    }
    if (!(await exited)) {
      await this.worker.terminate();
    }
  }

  private post(message: ToModelWorkerMessage): void {
    this.worker.postMessage(message);
  }

  /** Sends the request `message` makes with its id; resolves with the first result `handle` gives, rejects on its error event or the worker's exit. */
  private request<T>(message: (requestId: number) => ToModelWorkerMessage, handle: (message: FromModelWorkerMessage) => T | undefined): Promise<T> {
    const { requestId, reply } = this.pending.open(handle);
    try {
      this.post(message(requestId));
    } catch (error) {
      this.pending.reject(requestId, error instanceof Error ? error : new Error(String(error)));
    }
    return reply as Promise<T>;
  }

  private receive(message: FromModelWorkerMessage): void {
    if (message.type === 'ready' || message.inReplyTo === null) {
      return;
    }
    if (message.type === 'error') {
      this.heldModelsId = null;
      this.pending.reject(message.inReplyTo, toError(message));
      return;
    }
    const result = this.pending.state(message.inReplyTo)?.(message);
    if (result !== undefined) {
      this.pending.resolve(message.inReplyTo, result);
    }
  }
}
