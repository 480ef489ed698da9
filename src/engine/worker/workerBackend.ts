import { selectBackend } from '../backend/selectBackend';
import type { BackendChoice, SelectedBackend } from '../backend/types';

/**
 * The engine process's one backend, chosen where the process starts (the host passes the setting at
 * spawn) and started by the first request that computes; kept for the process's life, since models
 * loaded on one backend cannot move to another. The host starts a new process for another choice.
 */
export class WorkerBackend {
  private started: Promise<SelectedBackend> | null = null;

  constructor(
    readonly choice: BackendChoice,
    private readonly onSkipped: (backend: string, reason: string) => void,
    private readonly onStarted: (backend: SelectedBackend) => void,
  ) {}

  /** The process's backend, starting it on first use. */
  async ensure(): Promise<SelectedBackend> {
    if (!this.started) {
      this.started = selectBackend(this.choice, this.onSkipped).then((backend) => {
        this.onStarted(backend);
        return backend;
      });
      // A backend that failed to start may start next time (a fixed driver, memory freed).
      this.started.catch(() => {
        this.started = null;
      });
    }
    return this.started;
  }
}
