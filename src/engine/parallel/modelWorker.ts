// Entry of a model worker thread: trains one model or scores a range of images, on its own core.
import { parentPort, workerData } from 'worker_threads';
import type { FromModelWorkerMessage, ModelWorkerData, ScoreRequest, ToModelWorkerMessage, TrainModelRequest } from './modelWorkerMessages';
import { selectBackend } from '../backend/selectBackend';
import { batchLogProbs } from '../llr/batchLogProbs';
import { trainModel } from '../llr/fit';
import type { PixelCnn } from '../pixelcnn/model';
import { decodeModel, encodeModel } from '../pixelcnn/weightsFile';
import type { NativeLogProbPair } from '../onnx/nativeLogProb';
import { disposeNativePair, NativeLogProb } from '../onnx/nativeLogProb';
import { sharedImageSet } from './sharedImages';
import { AbortError, yieldToEventLoop } from '../llr/abort';
import { RunningRequests } from '../../protocol/requestReply';

const port = parentPort;
const running = new RunningRequests();

function post(message: FromModelWorkerMessage, transfer: ArrayBuffer[] = []): void {
  port?.postMessage(message, transfer);
}

async function train(request: TrainModelRequest, signal: AbortSignal): Promise<void> {
  const inReplyTo = request.requestId;
  const split = { training: sharedImageSet(request.training), validation: request.validation ? sharedImageSet(request.validation) : null };
  const model = await trainModel(request.role, split, request.fitConfig, request.modelConfig, {
    signal,
    lossReadInterval: request.lossReadInterval,
    trainingEngine: request.trainingEngine,
    checkpointFile: request.checkpointFile,
    onResume: (epochsDone) => post({ type: 'resumed', inReplyTo, epochsDone }),
    ...(request.setAsideUnusableCheckpoint ? { onCheckpointSetAside: (reason: string) => post({ type: 'checkpointSetAside', inReplyTo, reason }) } : {}),
    onStep: (epoch, step, stepsPerEpoch, loss) => post({ type: 'step', inReplyTo, epoch, step, stepsPerEpoch, loss }),
    onEpoch: (record) => post({ type: 'epoch', inReplyTo, record }),
  });
  const artifacts = await encodeModel(model);
  model.dispose();
  post({ type: 'trained', inReplyTo, artifacts }, [artifacts.weightData]);
}

/** The pair of models this worker scores with, kept between requests, and their ONNX Runtime sessions once asked for. */
interface LoadedModels {
  id: string;
  semantic: PixelCnn;
  background: PixelCnn;
  /** undefined until a request asks for native scoring; null where ONNX Runtime cannot run them. */
  native?: NativeLogProbPair | null;
}
let loaded: LoadedModels | null = null;

function modelsFor(request: ScoreRequest): LoadedModels {
  if (loaded?.id !== request.modelsId) {
    if (!request.models) {
      throw new Error(`the worker does not hold models '${request.modelsId}'`);
    }
    releaseLoaded();
    loaded = {
      id: request.modelsId,
      semantic: decodeModel(request.models.semantic, 'semantic model'),
      background: decodeModel(request.models.background, 'background model'),
    };
  }
  if (request.native && loaded.native === undefined) {
    loaded.native = nativeSessions(loaded.semantic, loaded.background);
  }
  return loaded;
}

/** Both models on ONNX Runtime with one thread (this worker's core); null where it cannot run them (they score on TensorFlow.js). */
function nativeSessions(semantic: PixelCnn, background: PixelCnn): NativeLogProbPair | null {
  try {
    return NativeLogProb.createPair(semantic, background, 1);
  } catch {
    // A network the exporter cannot write: TensorFlow.js scores it.
    return null;
  }
}

async function score(request: ScoreRequest, signal: AbortSignal): Promise<void> {
  const inReplyTo = request.requestId;
  const images = sharedImageSet(request.images);
  const models = modelsFor(request);
  const count = request.end - request.start;
  const semanticLogProb = new Float32Array(count);
  const backgroundLogProb = new Float32Array(count);
  {
    for (let start = request.start; start < request.end; start += request.batchSize) {
      if (signal.aborted) throw new AbortError('scoring');
      const end = Math.min(start + request.batchSize, request.end);
      const logProbs = await batchLogProbs(models, models.native, images, start, end, false);
      semanticLogProb.set(logProbs.semantic, start - request.start);
      backgroundLogProb.set(logProbs.background, start - request.start);
      post({ type: 'scoreProgress', inReplyTo, done: end - request.start });
      await yieldToEventLoop();
    }
  }
  post({ type: 'scored', inReplyTo, semanticLogProb, backgroundLogProb, onnxRuntime: Boolean(models.native) }, [semanticLogProb.buffer as ArrayBuffer, backgroundLogProb.buffer as ArrayBuffer]);
}

/** Ends this thread from its own event loop (never inside a native call), its models and sessions freed first. */
function close(): void {
  releaseLoaded();
  process.exit(0);
}

/** Frees the models this worker holds and their sessions. */
function releaseLoaded(): void {
  disposeNativePair(loaded?.native);
  loaded?.semantic.dispose();
  loaded?.background.dispose();
  loaded = null;
}

async function start(): Promise<void> {
  const { backend } = workerData as ModelWorkerData;
  const selected = await selectBackend(backend);
  post({ type: 'ready', backend: selected.description });
  port?.on('message', (message: ToModelWorkerMessage) => {
    if (message.type === 'cancel') {
      running.cancel(message.target);
      return;
    }
    if (message.type === 'close') {
      close();
      return;
    }
    void running.run(
      message.requestId,
      (signal) => (message.type === 'trainModel' ? train(message, signal) : score(message, signal)),
      () => undefined, // the last event of each request (trained, scored) is its reply
      (error) => {
        const failure = error instanceof Error ? error : new Error(String(error));
        post({ type: 'error', inReplyTo: message.requestId, name: failure.name, message: failure.message });
      },
    );
  });
}

start().catch((error: unknown) => {
  post({ type: 'error', inReplyTo: null, name: 'WorkerStartError', message: error instanceof Error ? error.message : String(error) });
});
