import type { ChildProcess } from 'child_process';
import { fork } from 'child_process';
import type { BackendChoice } from '../../protocol/detector';
import type { BackendEvent, EngineRequest, FromEngineMessage, LogEvent, ProgressEvent, ResultFor, ScanChunkEvent, ToEngineMessage } from '../../protocol/engine';
import { engineArguments } from '../../protocol/engine';
import { PendingRequests } from '../../protocol/requestReply';
import { describeExit, EngineError } from './engineError';

/** How to start the worker and whom to tell about it. */
export interface EngineClientOptions {
  /** The worker's entry: dist/engine.js in the extension. */
  readonly modulePath: string;
  /** The worker's one backend, passed when it is forked (a worker that crashed restarts on it too). */
  readonly backend: BackendChoice;
  readonly execArgv?: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  /** How long a cancelled request may take to stop before the worker is killed. */
  readonly killAfterMs?: number;
  readonly onLog?: (event: Pick<LogEvent, 'level' | 'message'>) => void;
  readonly onBackend?: (event: BackendEvent) => void;
  /** The worker exited (crash, kill or dispose). */
  readonly onExit?: (code: number | null, signal: NodeJS.Signals | null) => void;
}

/** Listeners for what a request streams before it ends. */
export interface RequestListeners {
  readonly onProgress?: (event: ProgressEvent) => void;
  readonly onChunk?: (event: ScanChunkEvent) => void;
}

/** A request on its way: its id, its outcome, and a way to stop it. */
export interface EngineJob<Result> {
  readonly requestId: number;
  readonly result: Promise<Result>;
  /** Posts `cancel`; kills the worker if the request has not ended `killAfterMs` later. */
  cancel(): void;
}

/** Distributes over the union, so each request keeps its own fields. */
type WithoutRequestId<Request> = Request extends EngineRequest ? Omit<Request, 'requestId'> : never;

/** The body of a request as a caller writes it: the client assigns `requestId`. */
export type RequestBody = WithoutRequestId<EngineRequest>;

/** What the client keeps for a request while it runs. */
interface RequestState {
  readonly listeners: RequestListeners;
  cancelled: boolean;
  killTimer?: NodeJS.Timeout;
}

/** Default grace for a cancelled request: one batch is well under a second on any backend. */
export const DEFAULT_KILL_AFTER_MS = 3000;

/**
 * The host's end of the engine protocol: forks the worker on first use, routes events by
 * `inReplyTo`, turns a worker exit into errors of every pending request (never a hang), and kills
 * a worker that ignores a cancel. Disposing kills the worker.
 */
export class EngineClient {
  private child: ChildProcess | null = null;
  private readonly pending = new PendingRequests<ResultFor[EngineRequest['type']], RequestState>();
  private stderrTail = '';
  private disposed = false;

  constructor(private readonly options: EngineClientOptions) {}

  /** Whether a worker process is running. */
  get isRunning(): boolean {
    return this.child !== null;
  }

  /** The worker's process id, while it runs. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Requests that have not ended. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** Sends a request (starting the worker if needed). */
  request<Body extends RequestBody>(body: Body, listeners: RequestListeners = {}): EngineJob<ResultFor[Body['type']]> {
    if (this.disposed) {
      throw new EngineError('failed', 'the engine client was disposed');
    }
    const state: RequestState = { listeners, cancelled: false };
    const { requestId, reply } = this.pending.open(state);
    const result = reply.finally(() => clearTimeout(state.killTimer)) as Promise<ResultFor[Body['type']]>;
    try {
      this.post({ ...body, requestId } as unknown as EngineRequest);
    } catch (error) {
      this.pending.reject(requestId, new EngineError('crashed', `could not start the Outlier Lens engine: ${(error as Error).message}`));
    }
    return { requestId, result, cancel: () => this.cancel(requestId) };
  }

  /** Asks the worker to stop `requestId`; the kill backstop fires if it does not end in time. */
  cancel(requestId: number): void {
    const state = this.pending.state(requestId);
    if (!state || state.cancelled) {
      return;
    }
    state.cancelled = true;
    this.post({ type: 'cancel', target: requestId });
    state.killTimer = setTimeout(() => {
      if (this.pending.state(requestId)) {
        this.options.onLog?.({ level: 'warn', message: `request ${requestId} did not stop within ${this.killAfterMs} ms of cancel: killing the engine` });
        this.kill();
      }
    }, this.killAfterMs);
  }

  /** Kills the worker now; every pending request fails (cancelled ones as cancelled). */
  kill(): void {
    this.child?.kill('SIGKILL');
  }

  /** Kills the worker and refuses further requests. */
  dispose(): void {
    this.disposed = true;
    this.kill();
  }

  private get killAfterMs(): number {
    return this.options.killAfterMs ?? DEFAULT_KILL_AFTER_MS;
  }

  private post(message: ToEngineMessage): void {
    this.ensureChild().send(message);
  }

  private ensureChild(): ChildProcess {
    if (this.child) {
      return this.child;
    }
    this.stderrTail = '';
    const child = fork(this.options.modulePath, engineArguments(this.options.backend), {
      execArgv: [...(this.options.execArgv ?? [])],
      // In VS Code desktop the host's executable is Electron: run it as plain Node.
      env: { ...(this.options.env ?? process.env), ELECTRON_RUN_AS_NODE: '1' },
      serialization: 'advanced',
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    child.stdout?.setEncoding('utf8').on('data', (text: string) => this.logLines('info', text));
    child.stderr?.setEncoding('utf8').on('data', (text: string) => {
      this.stderrTail = (this.stderrTail + text).slice(-2000);
      this.logLines('warn', text);
    });
    child.on('message', (message: FromEngineMessage) => this.receive(message));
    child.on('error', (error) => this.options.onLog?.({ level: 'error', message: `engine process error: ${error.message}` }));
    child.on('exit', (code, signal) => this.onExit(child, code, signal));
    this.child = child;
    return child;
  }

  private logLines(level: 'info' | 'warn', text: string): void {
    for (const line of text.split('\n').filter((entry) => entry.trim() !== '')) {
      this.options.onLog?.({ level, message: `[engine] ${line}` });
    }
  }

  private receive(message: FromEngineMessage): void {
    switch (message.type) {
      case 'log':
        this.options.onLog?.({ level: message.level, message: message.message });
        return;
      case 'backend':
        this.options.onBackend?.(message);
        return;
      case 'progress':
        this.pending.state(message.inReplyTo)?.listeners.onProgress?.(message);
        return;
      case 'scanChunk':
        this.pending.state(message.inReplyTo)?.listeners.onChunk?.(message);
        return;
      case 'done':
        this.pending.resolve(message.inReplyTo, message.result);
        return;
      case 'error':
        this.pending.reject(message.inReplyTo, new EngineError(message.cancelled ? 'cancelled' : 'failed', message.message));
        return;
    }
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.child === child) {
      this.child = null;
    }
    const tail = this.stderrTail.trim().split('\n').slice(-3).join(' ').trim();
    this.pending.rejectAll((_requestId, state) =>
      state.cancelled
        ? new EngineError('cancelled', 'cancelled (the engine was stopped)', { code, signal })
        : new EngineError('crashed', `The Outlier Lens engine stopped: ${describeExit(code, signal)}.${tail ? ` Last output: ${tail}` : ''}`, { code, signal }),
    );
    this.options.onExit?.(code, signal);
  }
}
