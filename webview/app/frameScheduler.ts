/** Event the scheduler dispatches on `window` after each frame's work, for benchmarks and tests. */
export const FRAME_EVENT = 'outlier-lens:frame';

/** Detail of FRAME_EVENT: how long the batched DOM work of that frame took. */
export interface FrameTiming {
  readonly durationMs: number;
  readonly tasks: readonly string[];
}

/**
 * Batches DOM work into one requestAnimationFrame: a slider fires `input` far more often than
 * the screen refreshes, and each keyed task runs once per frame with the latest state.
 */
export class FrameScheduler {
  private readonly tasks = new Map<string, () => void>();
  private frameRequested = false;

  /** Run `task` in the next frame; a later task with the same key replaces it. */
  schedule(key: string, task: () => void): void {
    this.tasks.set(key, task);
    if (!this.frameRequested) {
      this.frameRequested = true;
      requestAnimationFrame(() => this.runFrame());
    }
  }

  private runFrame(): void {
    this.frameRequested = false;
    const start = performance.now();
    const keys = [...this.tasks.keys()];
    const tasks = [...this.tasks.values()];
    this.tasks.clear();
    for (const task of tasks) {
      task();
    }
    const detail: FrameTiming = { durationMs: performance.now() - start, tasks: keys };
    window.dispatchEvent(new CustomEvent<FrameTiming>(FRAME_EVENT, { detail }));
  }
}
