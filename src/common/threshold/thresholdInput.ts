// What a person may type as a threshold, checked in one place for the panel, the side view and the host.

/** How a typed threshold is meant: a score, a percentile of the scores (0–100) or a false-positive rate in per cent (0–100). */
export type ThresholdInputKind = 'score' | 'percentile' | 'fprPercent';

/** A typed threshold: its number, or a sentence saying why it cannot be used. */
export type ParsedThresholdInput = { readonly ok: true; readonly value: number } | { readonly ok: false; readonly message: string };

const NAMES: Readonly<Record<ThresholdInputKind, string>> = {
  score: 'The threshold score',
  percentile: 'The percentile',
  fprPercent: 'The false-positive rate',
};

/** Checks what the user typed: a finite number, and for a percentile or a rate one in 0–100. */
export function parseThresholdInput(kind: ThresholdInputKind, text: string): ParsedThresholdInput {
  const trimmed = text.trim();
  const value = Number(trimmed);
  if (trimmed === '' || !Number.isFinite(value)) {
    return { ok: false, message: `${NAMES[kind]} must be a number${trimmed === '' ? '' : `, got "${trimmed.slice(0, 40)}"`}.` };
  }
  if (kind !== 'score' && (value < 0 || value > 100)) {
    const unit = kind === 'fprPercent' ? ' %' : '';
    return { ok: false, message: `${NAMES[kind]} must be between 0 and 100${unit}, got ${trimmed}${unit}.` };
  }
  return { ok: true, value };
}
