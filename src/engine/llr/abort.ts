/** Thrown when a caller's AbortSignal stops training or scoring. */
export class AbortError extends Error {
  constructor(what: string) {
    super(`${what} cancelled`);
    this.name = 'AbortError';
  }
}

/** Throws an AbortError if `signal` has fired. */
export function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) {
    throw new AbortError(what);
  }
}

/** Lets timers, messages and cancellation run between batches without slowing the batches down. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
