import type { FitProgress, ModelRole } from '../../engine/llr';
import type { ProgressEvent } from '../../protocol/engine';

/** "1 m 05 s" / "12 s". */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) {
    return '…';
  }
  const whole = Math.round(seconds);
  return whole >= 60 ? `${Math.floor(whole / 60)} m ${String(whole % 60).padStart(2, '0')} s` : `${whole} s`;
}

/** What a job's progress says: a line for the notification, a short one for the status bar, and how far the phase is (0–100, or null). */
export interface ProgressLine {
  readonly message: string;
  readonly statusText: string;
  readonly percent: number | null;
  /** The phase's word, as the status bar shows it. */
  readonly phase: string;
}

/** The words each engine phase is shown with: the scan phase is "scoring", as a user thinks of it. */
const PHASE_WORDS: Readonly<Record<ProgressEvent['phase'], string>> = {
  loading: 'starting',
  decoding: 'decoding',
  training: 'training',
  scanning: 'scoring',
  sampling: 'sampling',
};

/**
 * Turns a job's progress events into one steady line. The two models train side by side and
 * report in turn; the readout keeps the latest of each, so the line shows both models' bits/dim
 * together instead of jumping between them (the background model is measured on perturbed
 * images, so its figure is higher and not comparable).
 */
export class ProgressReadout {
  private readonly models = new Map<ModelRole, FitProgress>();

  /** The line for `event`, with what this job's earlier events said about the other model. */
  describe(event: ProgressEvent): ProgressLine {
    const percent = event.total > 0 ? Math.min(100, (100 * event.done) / event.total) : null;
    const phase = PHASE_WORDS[event.phase];
    const status = (extra = ''): string => `${phase}${percent === null ? '' : ` ${Math.round(percent)}%`}${extra}`;
    if (event.training) {
      const latest = event.training;
      this.models.set(latest.model, latest);
      const eta = `ETA ${formatSeconds(latest.etaSeconds)}`;
      const message = `Training epoch ${latest.epoch}/${latest.epochs}, step ${latest.step}/${latest.stepsPerEpoch} · ${this.bitsPerDim()} · ${eta}`;
      return { message, statusText: status(` · ${eta}`), percent, phase };
    }
    switch (event.phase) {
      case 'loading':
        return { message: 'Starting the engine and loading the detector…', statusText: 'starting…', percent, phase };
      case 'decoding':
        return { message: `Decoding images ${event.done}/${event.total} (training starts next)`, statusText: status(), percent, phase };
      case 'scanning':
        return { message: `Scoring ${event.done}/${event.total} files`, statusText: status(), percent, phase };
      case 'sampling':
        return { message: `Drawing samples: row ${event.done}/${event.total}`, statusText: status(), percent, phase };
      default:
        return { message: `${phase} ${event.done}/${event.total}`, statusText: status(), percent, phase };
    }
  }

  /** "semantic 3.215 · background 8.070 bits/dim (background on perturbed images)", with what is known so far. */
  private bitsPerDim(): string {
    const figure = (role: ModelRole): string => {
      const progress = this.models.get(role);
      return progress && Number.isFinite(progress.bitsPerDim) ? progress.bitsPerDim.toFixed(3) : '…';
    };
    return `semantic ${figure('semantic')} · background ${figure('background')} bits/dim (background on perturbed images)`;
  }
}
