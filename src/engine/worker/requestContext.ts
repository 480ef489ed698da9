import type { SelectedBackend } from '../backend/types';
import type { FromEngineMessage, ProgressEvent } from '../../protocol/engine';
import type { DetectorCache } from './detectorCache';

/** What a request handler gets besides its request: its signal, throttled progress, logging, and shared state. */
export interface RequestContext {
  readonly requestId: number;
  /** Fires when the host cancels the request; handlers pass it into the engine. */
  readonly signal: AbortSignal;
  /** Reports progress, at most ~4 times a second (the last report of a phase always goes out). */
  progress(update: Omit<ProgressEvent, 'type' | 'inReplyTo'>): void;
  /** A line for the host's output channel. */
  log(level: 'info' | 'warn' | 'error', message: string): void;
  /** Sends a message as it is (scan chunks). */
  send(message: FromEngineMessage): void;
  /** Starts (once) and returns the process's backend, chosen when the process started. */
  backend(): Promise<SelectedBackend>;
  readonly detectors: DetectorCache;
}
