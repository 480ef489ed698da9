import type {
  ActionState,
  FromWebviewMessage,
  ReplyFor,
  RequestFailed,
  ScanStopped,
  ScoresSnapshot,
  SetThreshold,
  ToWebviewMessage,
  WebviewRequest,
} from '../../src/protocol/webview';
import { PendingRequests } from '../../src/protocol/requestReply';
import type { VsCodeApi } from './vscodeApi';

/** Messages the host pushes without being asked. */
export type HostPush = ScoresSnapshot | SetThreshold | ScanStopped | ActionState;

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

/** The webview's end of the protocol: posts, requests with `requestId`, and routes replies by `inReplyTo`. */
export class HostChannel {
  private readonly pending = new PendingRequests<ToWebviewMessage>(REQUEST_TIMEOUT_MS);
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

  /** Post a request and resolve with its reply (reject with `HostRequestError` on `requestFailed`, RequestTimeoutError after 30 s). */
  request<M extends OutgoingRequest>(message: M): Promise<ReplyFor[M['type']]> {
    const { requestId, reply } = this.pending.open(undefined);
    this.api.postMessage({ ...message, requestId });
    return reply as Promise<ReplyFor[M['type']]>;
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
      if (data.type === 'requestFailed') {
        this.pending.reject(data.inReplyTo, new HostRequestError(data));
      } else {
        this.pending.resolve(data.inReplyTo, data);
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
  'duplicateGroupsReply',
  'requestFailed',
  'setThreshold',
  'scanStopped',
  'actionState',
]);

function isToWebviewMessage(data: unknown): data is ToWebviewMessage {
  return typeof data === 'object' && data !== null && TO_WEBVIEW_TYPES.has((data as { type?: unknown }).type as string);
}
