import type {
  FromWebviewMessage,
  ReplyFor,
  RequestFailed,
  ScanStopped,
  ScoresSnapshot,
  SetThreshold,
  ToWebviewMessage,
  WebviewRequest,
} from '../../src/protocol/webview';
import type { VsCodeApi } from './vscodeApi';

/** Messages the host pushes without being asked. */
export type HostPush = ScoresSnapshot | SetThreshold | ScanStopped;

/** Distributes over the union, so each request keeps its own fields. */
type WithoutRequestId<Request> = Request extends WebviewRequest ? Omit<Request, 'requestId'> : never;

/** A request as the caller writes it: the channel assigns the `requestId`. */
export type OutgoingRequest = WithoutRequestId<WebviewRequest>;

/** Raised when the host answers a request with `requestFailed`. */
export class HostRequestError extends Error {
  constructor(readonly reply: RequestFailed) {
    super(reply.reason);
  }
}

/** A host that never answers must not leave a page "loading" forever: the caller retries after this. */
const REQUEST_TIMEOUT_MS = 30_000;

interface PendingRequest {
  readonly resolve: (reply: ToWebviewMessage) => void;
  readonly reject: (error: Error) => void;
}

/** The webview's end of the protocol: posts, requests with `requestId`, and routes replies by `inReplyTo`. */
export class HostChannel {
  private nextRequestId = 1;
  private readonly pending = new Map<number, PendingRequest>();
  private readonly pushListeners = new Set<(message: HostPush) => void>();

  constructor(
    private readonly api: VsCodeApi<unknown>,
    source: Window,
  ) {
    source.addEventListener('message', (event: MessageEvent<unknown>) => this.receive(event.data));
  }

  /** Post a message that expects no reply. */
  post(message: Exclude<FromWebviewMessage, WebviewRequest>): void {
    this.api.postMessage(message);
  }

  /** Post a request and resolve with its reply (reject with `HostRequestError` on `requestFailed`). */
  request<M extends OutgoingRequest>(message: M): Promise<ReplyFor[M['type']]> {
    const requestId = this.nextRequestId++;
    return new Promise<ReplyFor[M['type']]>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        reject(new Error(`no reply to ${message.type} within ${REQUEST_TIMEOUT_MS / 1000} s`));
      }, REQUEST_TIMEOUT_MS);
      const settle = (): void => clearTimeout(timer);
      this.pending.set(requestId, {
        resolve: (reply) => {
          settle();
          resolve(reply as ReplyFor[M['type']]);
        },
        reject: (error) => {
          settle();
          reject(error);
        },
      });
      this.api.postMessage({ ...message, requestId });
    });
  }

  /** Listen to snapshots, threshold changes and scan stops from the host. */
  onPush(listener: (message: HostPush) => void): () => void {
    this.pushListeners.add(listener);
    return () => this.pushListeners.delete(listener);
  }

  private receive(data: unknown): void {
    if (!isToWebviewMessage(data)) {
      return; // VS Code and extensions may post unrelated messages; ignore them.
    }
    if ('inReplyTo' in data) {
      const pending = this.pending.get(data.inReplyTo);
      if (!pending) {
        return;
      }
      this.pending.delete(data.inReplyTo);
      if (data.type === 'requestFailed') {
        pending.reject(new HostRequestError(data));
      } else {
        pending.resolve(data);
      }
      return;
    }
    for (const listener of this.pushListeners) {
      listener(data);
    }
  }
}

const TO_WEBVIEW_TYPES: ReadonlySet<string> = new Set<ToWebviewMessage['type']>([
  'scoresSnapshot',
  'pageReply',
  'pixelMapsReply',
  'trainingReply',
  'requestFailed',
  'setThreshold',
  'scanStopped',
]);

function isToWebviewMessage(data: unknown): data is ToWebviewMessage {
  return typeof data === 'object' && data !== null && TO_WEBVIEW_TYPES.has((data as { type?: unknown }).type as string);
}
