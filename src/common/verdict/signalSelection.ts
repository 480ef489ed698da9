import type { CutTail, OutlierVerdict } from './outlierVerdict';
import { cutVerdict, defaultCut, OUTLIER_ALPHA, signalCorrection, signalScore, SMALLEST_TAIL } from './outlierVerdict';

/** Which calibrated signals a verdict uses, and each one's own cut (a tail probability; absent = the default alpha/k). */
export interface SignalSelection<Signal extends string = string> {
  readonly signals: readonly Signal[];
  readonly cuts: Readonly<Partial<Record<Signal, number>>>;
}

/** One image's tail of one signal, with the reason it gives past its cut. */
export interface NamedSignalTail<Signal extends string, Reason extends string> {
  readonly signal: Signal;
  readonly reason: Reason;
  readonly p: number;
}

/**
 * The verdict of an image's tails under a selection: signals switched off take no part, nor do
 * those the image has no tail for (k counts the rest). With every signal on at its default cut
 * this is the engine's `outlierVerdict`, bit for bit.
 */
export function selectedVerdict<Signal extends string, Reason extends string>(
  tails: readonly NamedSignalTail<Signal, Reason>[],
  selection: SignalSelection<Signal>,
  alpha: number = OUTLIER_ALPHA,
): OutlierVerdict<Reason> {
  const used: CutTail<Reason>[] = tails.filter((tail) => selection.signals.includes(tail.signal)).map((tail) => ({ reason: tail.reason, p: tail.p, cut: selection.cuts[tail.signal] }));
  return cutVerdict(used, alpha);
}

/**
 * The outlier score of one image from its tails by signal (NaN: no tail), under a selection: the
 * same number as `selectedVerdict(…).outlierScore`, without objects, for ranking 100,000 images
 * whenever a switch or a cut changes.
 */
export function selectedScore<Signal extends string>(tailOf: (signal: Signal) => number, selection: SignalSelection<Signal>, alpha: number = OUTLIER_ALPHA): number {
  let count = 0;
  for (const signal of selection.signals) if (!Number.isNaN(tailOf(signal))) count++;
  let most = 0;
  for (const signal of selection.signals) {
    const p = tailOf(signal);
    if (!Number.isNaN(p)) most = Math.max(most, signalScore(p, signalCorrection(selection.cuts[signal], count, alpha)));
  }
  return most;
}

/** One signal's tail probabilities over many images (NaN: none) and its own cut (absent: alpha/k). */
export interface TailColumn {
  readonly tails: ArrayLike<number>;
  readonly cut?: number;
}

/**
 * The outlier scores of `count` images at once, column by column (the signals switched on): the
 * same numbers as `selectedScore`, since −log10 of the smallest corrected tail is the largest
 * −log10, at one logarithm an image. What re-ranks 100,000 images when a switch or a cut changes.
 */
export function selectedScoreColumn(columns: readonly TailColumn[], count: number, alpha: number = OUTLIER_ALPHA): Float64Array {
  const signalCount = new Uint8Array(count);
  for (const { tails } of columns) {
    for (let i = 0; i < count; i++) if (!Number.isNaN(tails[i])) signalCount[i]++;
  }
  const smallest = new Float64Array(count).fill(1);
  for (const { tails, cut } of columns) {
    const ownCorrection = cut === undefined ? 0 : signalCorrection(cut, 0, alpha);
    for (let i = 0; i < count; i++) {
      const p = tails[i];
      if (Number.isNaN(p)) continue;
      const corrected = Math.min(1, (cut === undefined ? signalCount[i] : ownCorrection) * Math.max(p, SMALLEST_TAIL));
      if (corrected < smallest[i]) smallest[i] = corrected;
    }
  }
  for (let i = 0; i < count; i++) smallest[i] = -Math.log10(smallest[i]) + 0;
  return smallest;
}

/** The cut a signal has under a selection: its own, else alpha/k over the signals switched on. */
export function cutOf<Signal extends string>(signal: Signal, selection: SignalSelection<Signal>, alpha: number = OUTLIER_ALPHA): number {
  return selection.cuts[signal] ?? defaultCut(selection.signals.length, alpha);
}

/** Whether two selections switch on the same signals, in the same order, with the same cuts. */
export function sameSelection<Signal extends string>(a: SignalSelection<Signal>, b: SignalSelection<Signal>): boolean {
  const cuts = new Set<Signal>([...(Object.keys(a.cuts) as Signal[]), ...(Object.keys(b.cuts) as Signal[])]);
  return a.signals.join() === b.signals.join() && [...cuts].every((signal) => a.cuts[signal] === b.cuts[signal]);
}

/** A cut the user may set: a tail probability strictly between 0 and 1. */
export function isValidCut(cut: unknown): cut is number {
  return typeof cut === 'number' && Number.isFinite(cut) && cut > 0 && cut < 1;
}
