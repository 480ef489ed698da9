import * as vscode from 'vscode';
import type { BackendChoice } from '../../protocol/detector';
import type { ResultFor } from '../../protocol/engine';
import type { ResultsModel } from '../results/resultsModel';
import type { OutputLog } from '../ui/outputLog';
import type { EngineStatusBar } from '../ui/statusBar';
import type { EngineJob, RequestBody, RequestListeners } from './engineClient';
import { EngineClient } from './engineClient';
import { ProgressReadout } from './progressText';

/** How the service starts workers (tests point it at a stub or at the TypeScript source). */
export interface EngineServiceOptions {
  readonly modulePath: string;
  readonly execArgv?: readonly string[];
  readonly killAfterMs?: number;
}

/**
 * Owns the engine worker for the extension: one worker per backend, forked with the backend setting
 * (a new setting restarts it), jobs with a cancellable progress notification and the status bar,
 * and the cancel-all behind the Cancel command. Disposing kills the worker.
 */
export class EngineService implements vscode.Disposable {
  private client: EngineClient | null = null;
  private clientBackend: BackendChoice | null = null;
  private readonly jobs = new Set<EngineJob<unknown>>();
  private backend: string | null = null;

  /** `backendSetting`: the `outlierLens.backend` setting at activation; `backendSettingChanged` follows it. */
  constructor(
    private readonly options: EngineServiceOptions,
    private readonly log: OutputLog,
    private readonly statusBar: EngineStatusBar,
    private readonly model: ResultsModel,
    private backendSetting: BackendChoice,
  ) {}

  /** The backend the setting asks for: what the next worker starts on. */
  get backendChoice(): BackendChoice {
    return this.backendSetting;
  }

  /** The worker's process id while one runs (tests check for orphans with it). */
  get workerPid(): number | undefined {
    return this.client?.pid;
  }

  /** The backend the running worker reported ("wasm: XNNPACK, SIMD, 1 thread"), or null before one started. */
  get backendDescription(): string | null {
    return this.backend;
  }

  /**
   * Sends a request without any UI (pixel maps, thumbnails, samples for the panel) to the worker of
   * the backend setting, or of `backend` (a retry on CPU after a crash).
   */
  request<Body extends RequestBody>(body: Body, listeners: RequestListeners = {}, backend = this.backendSetting): EngineJob<ResultFor[Body['type']]> {
    const job = this.clientFor(backend).request(body, listeners);
    this.jobs.add(job);
    void job.result.finally(() => this.jobs.delete(job)).catch(() => undefined);
    return job;
  }

  /**
   * Runs a request as a user-visible job: a cancellable notification with the step, loss,
   * bits/dim and ETA, the same on the status bar; Cancel posts `cancel`, the client kills the
   * worker if it does not stop in time.
   */
  run<Body extends RequestBody>(title: string, body: Body, listeners: RequestListeners = {}, backend = this.backendSetting): Promise<ResultFor[Body['type']]> {
    return Promise.resolve(
      vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Outlier Lens: ${title}`, cancellable: true }, async (progress, token) => {
        let reported = 0;
        const readout = new ProgressReadout();
        const job = this.request(body, {
          ...listeners,
          onProgress: (event) => {
            const line = readout.describe(event);
            // The bar follows the long phase only (training or scoring): a bar filled by decoding could not go back for training.
            const isMainPhase = event.phase === 'training' || event.phase === 'scanning';
            const increment = isMainPhase && line.percent !== null ? Math.max(0, line.percent - reported) : undefined;
            if (isMainPhase) reported = line.percent ?? reported;
            progress.report({ message: line.message, increment });
            this.statusBar.showJob(title, line.statusText);
            listeners.onProgress?.(event);
          },
        }, backend);
        const cancelListener = token.onCancellationRequested(() => {
          this.log.info(`${title}: cancel requested`);
          job.cancel();
        });
        this.model.jobStateChanged(true);
        this.statusBar.showJob(title, 'starting…');
        try {
          return await job.result;
        } finally {
          cancelListener.dispose();
          this.model.jobStateChanged(false);
          this.statusBar.endJob();
        }
      }),
    );
  }

  /** Cancels every running request; returns how many there were. */
  cancelAll(): number {
    const count = this.jobs.size;
    for (const job of this.jobs) {
      job.cancel();
    }
    return count;
  }

  /** The backend setting changed: an idle worker is stopped now (the next job starts one on `choice`), a busy one after its jobs. */
  backendSettingChanged(choice: BackendChoice): void {
    this.backendSetting = choice;
    this.statusBar.setChoice(choice);
    if (this.client && this.clientBackend !== choice && this.client.pendingCount === 0) {
      this.stopClient();
    }
  }

  dispose(): void {
    this.stopClient();
  }

  private clientFor(backend: BackendChoice): EngineClient {
    if (this.client && this.clientBackend !== backend && this.client.pendingCount === 0) {
      this.stopClient();
    }
    if (this.client && this.clientBackend !== backend) {
      // A busy worker keeps its backend; a second worker would double the memory, so the request waits for a restart.
      throw new Error(`the engine is busy on '${this.clientBackend}'; cancel its job or wait before using '${backend}'`);
    }
    if (!this.client) {
      this.clientBackend = backend;
      this.client = new EngineClient({
        modulePath: this.options.modulePath,
        backend,
        execArgv: this.options.execArgv,
        killAfterMs: this.options.killAfterMs,
        onLog: ({ level, message }) => this.log.write(level, message),
        onBackend: (event) => {
          this.backend = event.description;
          this.log.info(`engine backend: ${event.description}`);
          this.statusBar.setBackend(event.description);
        },
        onExit: (code, signal) => {
          this.log.info(`engine process exited (code ${code}, signal ${signal})`);
          this.backend = null;
          this.statusBar.clearBackend();
        },
      });
    }
    return this.client;
  }

  private stopClient(): void {
    this.client?.dispose();
    this.client = null;
    this.clientBackend = null;
  }
}
