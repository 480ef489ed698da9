import * as tf from '@tensorflow/tfjs-core';
import type { EngineRequest, EngineResult, FromEngineMessage, ProgressEvent, ToEngineMessage } from '../../protocol/engine';
import { AbortError } from '../llr';
import { DetectorCache } from './detectorCache';
import { handleDisplayImage } from './handlers/displayImage';
import { handleInferThreshold } from './handlers/inferThreshold';
import { handlePixelMaps } from './handlers/pixelMaps';
import { handleSample } from './handlers/sample';
import { handleScan } from './handlers/scan';
import { handleTrain } from './handlers/train';
import { handleWriteDemoData } from './handlers/writeDemoData';
import { ProgressThrottle } from './progressThrottle';
import type { RequestContext } from './requestContext';
import { WorkerBackend } from './workerBackend';
import type { BackendName } from '../backend/types';
import { isCpuBackend } from '../backend/types';

type Handler<Request extends EngineRequest> = (request: Request, context: RequestContext) => Promise<EngineResult>;

/** One handler per request type. */
const HANDLERS: { readonly [Type in EngineRequest['type']]: Handler<Extract<EngineRequest, { type: Type }>> } = {
  train: handleTrain,
  scan: handleScan,
  pixelMaps: handlePixelMaps,
  sample: handleSample,
  inferThreshold: handleInferThreshold,
  displayImage: handleDisplayImage,
  writeDemoData: handleWriteDemoData,
};

/**
 * The engine side of the protocol: runs requests concurrently, each with its own AbortController,
 * and ends each with exactly one `done` or `error`. Transport-free, so tests can drive it in-process.
 */
export class EngineWorker {
  private readonly running = new Map<number, AbortController>();
  // On a CPU backend a detector's networks score on ONNX Runtime where it loads, on every core (see useFastestScoring).
  private readonly detectors = new DetectorCache(2, async (detector) => {
    const backend = tf.getBackend();
    if (isCpuBackend(backend)) {
      const scoring = await detector.useFastestScoring(backend as BackendName);
      this.post({ type: 'log', inReplyTo: null, level: 'info', message: `scoring with ${scoring}` });
    }
  });
  private readonly backend: WorkerBackend;

  constructor(private readonly post: (message: FromEngineMessage) => void) {
    this.backend = new WorkerBackend(
      (name, reason) => this.post({ type: 'log', inReplyTo: null, level: 'info', message: `backend ${name} not used: ${reason}` }),
      (selected) => this.post({ type: 'backend', name: selected.name, description: selected.description }),
    );
  }

  /** Handles one message from the host. */
  receive(message: ToEngineMessage): void {
    if (message.type === 'cancel') {
      this.running.get(message.target)?.abort();
      return;
    }
    void this.run(message);
  }

  /** Requests still running (for a clean exit). */
  get runningCount(): number {
    return this.running.size;
  }

  private async run(request: EngineRequest): Promise<void> {
    const controller = new AbortController();
    this.running.set(request.requestId, controller);
    const throttle = new ProgressThrottle<Omit<ProgressEvent, 'type' | 'inReplyTo'>>((update) => this.post({ type: 'progress', inReplyTo: request.requestId, ...update }));
    const context: RequestContext = {
      requestId: request.requestId,
      signal: controller.signal,
      progress: (update) => throttle.offer(update),
      log: (level, message) => this.post({ type: 'log', inReplyTo: request.requestId, level, message }),
      send: (message) => this.post(message),
      backend: (choice) => this.backend.ensure(choice),
      detectors: this.detectors,
    };
    try {
      const handler = HANDLERS[request.type] as Handler<EngineRequest> | undefined;
      if (!handler) {
        throw new Error(`unknown request type '${(request as { type: string }).type}'`);
      }
      const result = await handler(request, context);
      this.post({ type: 'done', inReplyTo: request.requestId, result });
    } catch (error) {
      const cancelled = error instanceof AbortError || controller.signal.aborted;
      const message = error instanceof Error ? error.message : String(error);
      this.post({ type: 'error', inReplyTo: request.requestId, message, cancelled });
    } finally {
      this.running.delete(request.requestId);
    }
  }
}
