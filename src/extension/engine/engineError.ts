/** How an engine request ended badly. */
export type EngineErrorKind = 'failed' | 'cancelled' | 'crashed';

/** A request that failed in the engine, was cancelled, or lost its worker (crash, OOM, kill). */
export class EngineError extends Error {
  constructor(
    readonly kind: EngineErrorKind,
    message: string,
    /** For a crash: the worker's exit code and signal. */
    readonly exit?: { readonly code: number | null; readonly signal: NodeJS.Signals | null },
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

/** Is `error` the end of a request the user cancelled? */
export function isCancellation(error: unknown): boolean {
  return error instanceof EngineError && error.kind === 'cancelled';
}

/** A sentence about a worker exit a person can act on (OOM and kills named as such). */
export function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal === 'SIGKILL') {
    return 'it was killed (SIGKILL — often the system running out of memory)';
  }
  if (signal === 'SIGABRT' || code === 134) {
    return 'it aborted (often JavaScript heap out of memory)';
  }
  if (signal) {
    return `it was stopped by ${signal}`;
  }
  return `it exited with code ${code}`;
}
