import type { ProgressEvent } from '../../protocol/engine';

/** "1 m 05 s" / "12 s". */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) {
    return '…';
  }
  const whole = Math.round(seconds);
  return whole >= 60 ? `${Math.floor(whole / 60)} m ${String(whole % 60).padStart(2, '0')} s` : `${whole} s`;
}

/** What a progress notification and the status bar say about an event, and how far along it is (0–100, or null). */
export function describeProgress(event: ProgressEvent): { readonly message: string; readonly percent: number | null } {
  const percent = event.total > 0 ? Math.min(100, (100 * event.done) / event.total) : null;
  if (event.training) {
    const t = event.training;
    const loss = Number.isFinite(t.loss) ? `loss ${t.loss.toFixed(1)} · ${t.bitsPerDim.toFixed(3)} bits/dim · ` : '';
    return { message: `${t.model} epoch ${t.epoch}/${t.epochs}, step ${t.step}/${t.stepsPerEpoch} · ${loss}ETA ${formatSeconds(t.etaSeconds)}`, percent };
  }
  switch (event.phase) {
    case 'loading':
      return { message: 'starting the engine and loading the detector…', percent };
    case 'decoding':
      return { message: `decoding images ${event.done}/${event.total}`, percent };
    case 'scanning':
      return { message: `scored ${event.done}/${event.total} files`, percent };
    case 'sampling':
      return { message: `sampling row ${event.done}/${event.total}`, percent };
    default:
      return { message: `${event.phase} ${event.done}/${event.total}`, percent };
  }
}
