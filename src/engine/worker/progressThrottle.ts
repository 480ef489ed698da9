/** Smallest time between two progress events of one request: ~4 per second is smooth and cheap. */
export const PROGRESS_INTERVAL_MS = 250;

/**
 * Passes an update on when `intervalMs` has passed since the last one, or when it completes a
 * phase (`done === total`), or when the phase changes, so a bar never stalls short of its end.
 */
export class ProgressThrottle<Update extends { readonly phase: string; readonly done: number; readonly total: number }> {
  private lastSent = Number.NEGATIVE_INFINITY;
  private lastPhase = '';

  constructor(private readonly emit: (update: Update) => void, private readonly intervalMs = PROGRESS_INTERVAL_MS, private readonly now: () => number = () => performance.now()) {}

  /** Offers an update; returns whether it was sent. */
  offer(update: Update): boolean {
    const time = this.now();
    const due = time - this.lastSent >= this.intervalMs || update.phase !== this.lastPhase || (update.total > 0 && update.done >= update.total);
    if (!due) {
      return false;
    }
    this.lastSent = time;
    this.lastPhase = update.phase;
    this.emit(update);
    return true;
  }
}
