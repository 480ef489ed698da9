/**
 * Request/reply bookkeeping shared by every boundary (webview ↔ host, host ↔ engine process, engine ↔
 * model worker threads): the asking end numbers its requests and settles each exactly once — with
 * its reply, an error, a time-out, or the peer's death; the answering end runs each request under
 * its own AbortSignal. Transport-free: each end posts and receives messages its own way.
 */

/** Raised for a request that got no reply within the time allowed. */
export class RequestTimeoutError extends Error {
  constructor(readonly requestId: number, readonly timeoutMs: number) {
    super(`no reply within ${timeoutMs / 1000} s`);
    this.name = 'RequestTimeoutError';
  }
}

/** A request just opened: its id (to send along) and the promise of its reply. */
export interface OpenedRequest<Reply> {
  readonly requestId: number;
  readonly reply: Promise<Reply>;
}

interface Entry<Reply, State> {
  readonly state: State;
  readonly resolve: (reply: Reply) => void;
  readonly reject: (error: Error) => void;
  readonly timer?: ReturnType<typeof setTimeout>;
}

/**
 * The asking end: requests awaiting their replies, by id. `State` is whatever the end keeps per
 * request while it waits (listeners for streamed events, a cancelled flag).
 */
export class PendingRequests<Reply, State = undefined> {
  private nextRequestId = 1;
  private readonly entries = new Map<number, Entry<Reply, State>>();

  /** With `timeoutMs`, a request not settled by then fails with a RequestTimeoutError. */
  constructor(private readonly timeoutMs?: number) {}

  /** Requests not yet settled. */
  get size(): number {
    return this.entries.size;
  }

  /** Opens a request with a fresh id. */
  open(state: State): OpenedRequest<Reply> {
    const requestId = this.nextRequestId++;
    const reply = new Promise<Reply>((resolve, reject) => {
      const timer = this.timeoutMs === undefined ? undefined : setTimeout(() => this.reject(requestId, new RequestTimeoutError(requestId, this.timeoutMs as number)), this.timeoutMs);
      this.entries.set(requestId, { state, resolve, reject, timer });
    });
    return { requestId, reply };
  }

  /** The ids of the requests not yet settled, oldest first. */
  openIds(): number[] {
    return [...this.entries.keys()];
  }

  /** What the end keeps for an open request; undefined once it is settled (a late or unknown reply). */
  state(requestId: number): State | undefined {
    return this.entries.get(requestId)?.state;
  }

  /** Settles a request with its reply; false when it was settled already or never opened. */
  resolve(requestId: number, reply: Reply): boolean {
    const entry = this.take(requestId);
    entry?.resolve(reply);
    return entry !== undefined;
  }

  /** Settles a request with an error; false when it was settled already or never opened. */
  reject(requestId: number, error: Error): boolean {
    const entry = this.take(requestId);
    entry?.reject(error);
    return entry !== undefined;
  }

  /** The peer is gone (exited, crashed, disposed): every open request fails with the error made for it. */
  rejectAll(error: (requestId: number, state: State) => Error): void {
    for (const [requestId, entry] of [...this.entries]) {
      this.reject(requestId, error(requestId, entry.state));
    }
  }

  private take(requestId: number): Entry<Reply, State> | undefined {
    const entry = this.entries.get(requestId);
    if (entry) {
      this.entries.delete(requestId);
      clearTimeout(entry.timer);
    }
    return entry;
  }
}

/** The answering end: the requests running now, each with the AbortController its cancel fires. */
export class RunningRequests {
  private readonly controllers = new Map<number, AbortController>();

  /** Requests started and not finished. */
  get size(): number {
    return this.controllers.size;
  }

  /**
   * Runs `work` for `requestId` under its own signal and reports its outcome once: `onDone` with the
   * result, or `onError` with the error and whether the request had been cancelled.
   */
  async run<Result>(
    requestId: number,
    work: (signal: AbortSignal) => Promise<Result>,
    onDone: (result: Result) => void,
    onError: (error: unknown, cancelled: boolean) => void,
  ): Promise<void> {
    const controller = new AbortController();
    this.controllers.set(requestId, controller);
    try {
      const result = await work(controller.signal);
      onDone(result);
    } catch (error) {
      onError(error, controller.signal.aborted);
    } finally {
      this.controllers.delete(requestId);
    }
  }

  /** Fires the request's signal; false when no such request is running. */
  cancel(requestId: number): boolean {
    const controller = this.controllers.get(requestId);
    controller?.abort();
    return controller !== undefined;
  }
}
