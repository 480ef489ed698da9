import { selectBackend } from '../backend/selectBackend';
import type { BackendChoice, SelectedBackend } from '../backend/types';

/**
 * The worker's one backend: started by the first request and kept for the worker's life, since
 * models loaded on one backend cannot move to another. A request for another backend is refused;
 * the host starts a new worker for it.
 */
export class WorkerBackend {
  private started: Promise<SelectedBackend> | null = null;
  private choice: BackendChoice | null = null;

  constructor(private readonly onSkipped: (backend: string, reason: string) => void, private readonly onStarted: (backend: SelectedBackend) => void) {}

  /** The backend for `choice`, starting it on first use. */
  async ensure(choice: BackendChoice): Promise<SelectedBackend> {
    if (this.started && this.choice !== choice) {
      throw new Error(`the engine already runs on '${this.choice}'; it must restart to use '${choice}'`);
    }
    if (!this.started) {
      this.choice = choice;
      this.started = selectBackend(choice, this.onSkipped).then((backend) => {
        this.onStarted(backend);
        return backend;
      });
      // A backend that failed to start may start next time (another choice, a fixed driver).
      this.started.catch(() => {
        this.started = null;
        this.choice = null;
      });
    }
    return this.started;
  }
}
