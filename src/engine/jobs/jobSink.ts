import type { ProgressEvent } from '../../protocol/engine';

/** What a job is doing now: a phase and a count, and while training the model's step, loss and ETA. */
export type JobProgress = Omit<ProgressEvent, 'type' | 'inReplyTo'>;

/** Where a job reports as it runs: the engine process sends it to the host, the CLI prints it. */
export interface JobSink {
  progress(update: JobProgress): void;
  log(level: 'info' | 'warn' | 'error', message: string): void;
}
