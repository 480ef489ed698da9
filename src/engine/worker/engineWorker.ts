import type { BackendChoice } from '../../protocol/detector';
import type { EngineRequest, EngineResult, FromEngineMessage, ProgressEvent, ToEngineMessage } from '../../protocol/engine';
import type { ScoringPlan } from '../llr';
import { AbortError, TENSORFLOW_SCORING } from '../llr';
import { loadDetector } from '../store';
import { scoringFor } from '../strategies/chooseStrategies';
import { DetectorCache } from './detectorCache';
import { handleDisplayImage } from './handlers/displayImage';
import { handleInferThreshold } from './handlers/inferThreshold';
import { handlePixelMaps } from './handlers/pixelMaps';
import { handleSample } from './handlers/sample';
import { handleScan } from './handlers/scan';
import { handleTrain } from './handlers/train';
import { handleWriteDemoData } from './handlers/writeDemoData';
import { ProgressThrottle } from './progressThrottle';
import { RunningRequests } from '../../protocol/requestReply';
import type { RequestContext } from './requestContext';
import { WorkerBackend } from './workerBackend';

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
  private readonly running = new RunningRequests();
  /** How detectors score in this process: chosen once, when its backend starts (see scoringFor). */
  private scoring: ScoringPlan = TENSORFLOW_SCORING;
  private readonly detectors = new DetectorCache(
    2,
    async (detector) => {
      const scoring = await detector.prepareScoring();
      this.post({ type: 'log', inReplyTo: null, level: 'info', message: `scoring with ${scoring}` });
    },
    (folder) => loadDetector(folder, this.scoring),
  );
  private readonly backend: WorkerBackend;

  /** `backend`: the process's one backend, chosen where it starts (see main.ts). */
  constructor(private readonly post: (message: FromEngineMessage) => void, backend: BackendChoice) {
    this.backend = new WorkerBackend(
      backend,
      (name, reason) => this.post({ type: 'log', inReplyTo: null, level: 'info', message: `backend ${name} not used: ${reason}` }),
      (selected) => {
        this.scoring = scoringFor(selected.name);
        this.post({ type: 'backend', name: selected.name, description: selected.description });
      },
    );
  }

  /** Handles one message from the host. */
  receive(message: ToEngineMessage): void {
    if (message.type === 'cancel') {
      this.running.cancel(message.target);
      return;
    }
    void this.run(message);
  }

  /** Requests still running (for a clean exit). */
  get runningCount(): number {
    return this.running.size;
  }

  private async run(request: EngineRequest): Promise<void> {
    const throttle = new ProgressThrottle<Omit<ProgressEvent, 'type' | 'inReplyTo'>>((update) => this.post({ type: 'progress', inReplyTo: request.requestId, ...update }));
    await this.running.run(
      request.requestId,
      (signal) => {
        const context: RequestContext = {
          requestId: request.requestId,
          signal,
          progress: (update) => throttle.offer(update),
          log: (level, message) => this.post({ type: 'log', inReplyTo: request.requestId, level, message }),
          send: (message) => this.post(message),
          backend: () => this.backend.ensure(),
          detectors: this.detectors,
        };
        const handler = HANDLERS[request.type] as Handler<EngineRequest> | undefined;
        if (!handler) {
          throw new Error(`unknown request type '${(request as { type: string }).type}'`);
        }
        return handler(request, context);
      },
      (result) => this.post({ type: 'done', inReplyTo: request.requestId, result }),
      (error, cancelled) => {
        const message = error instanceof Error ? error.message : String(error);
        this.post({ type: 'error', inReplyTo: request.requestId, message, cancelled: cancelled || error instanceof AbortError });
      },
    );
  }
}
