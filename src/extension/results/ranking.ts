import type { OutlierVerdict } from '../../common/verdict/outlierVerdict';
import type { NamedSignalTail } from '../../common/verdict/signalSelection';
import { isValidCut, sameSelection, selectedScore, selectedVerdict } from '../../common/verdict/signalSelection';
import { smallerTail } from '../../common/verdict/tailProbability';
import type { CalibrationReference, DetectorCalibration } from '../../protocol/detector';
import type { CalibratedSignal, OutlierReason, ScoredImage } from '../../protocol/scanResults';
import { CALIBRATED_SIGNALS, SIGNAL_REASONS } from '../../protocol/scanResults';
import type { RankingSettings, RankingState } from '../../protocol/webview';

/** The LLR ranking: today's order by instance score, and the only one without calibration. */
export const LLR_RANKING: RankingSettings = { mode: 'llr', signals: CALIBRATED_SIGNALS, cuts: {} };

/** What a scan ranks by at first: the calibrated verdict (every signal at alpha/k) when the detector is calibrated, else the LLR. */
export function defaultRanking(calibrated: boolean): RankingSettings {
  return calibrated ? { mode: 'verdict', signals: CALIBRATED_SIGNALS, cuts: {} } : LLR_RANKING;
}

/** Why an uncalibrated detector's scan ranks by the LLR alone, in a sentence for the panel. */
export const UNCALIBRATED_REASON = 'This detector has no calibration (it was trained before calibrated signals existed): only the LLR ranks. Train it again to get the other signals.';

/** Settings as they may be used for a scan: signals in the panel's order, valid cuts only, the LLR where there is no calibration. */
export function usableRanking(settings: RankingSettings, calibrated: boolean): RankingSettings {
  const signals = CALIBRATED_SIGNALS.filter((signal) => settings.signals.includes(signal));
  const cuts = Object.fromEntries(signals.flatMap((signal) => (isValidCut(settings.cuts[signal]) ? [[signal, settings.cuts[signal]]] : []))) as RankingSettings['cuts'];
  return { mode: calibrated ? settings.mode : 'llr', signals, cuts };
}

/** Whether two settings rank the same way. */
export function sameRanking(a: RankingSettings, b: RankingSettings): boolean {
  return a.mode === b.mode && sameSelection(a, b);
}

/** The outlier score of an image from its tails by signal (NaN: none), under the settings: the ranking's number. */
export function rankingScore(tailOf: (signal: CalibratedSignal) => number, settings: RankingSettings): number {
  return selectedScore(tailOf, settings);
}

/** The measure of a two-sided signal and its inliers' reference, to tell its side. */
function twoSidedValue(signal: CalibratedSignal, image: ScoredImage, reference: CalibrationReference): { value: number; sorted: readonly number[] } | null {
  if (signal === 'typicality') return { value: image.semanticLogProb, sorted: reference.semanticLogProb };
  if (signal === 'brightness' && image.measures) return { value: image.measures.brightness, sorted: reference.brightness };
  return null;
}

/**
 * The reason a signal gives for an image: a one-sided signal's own; for a two-sided one the side
 * its measure lies on against the known inliers (the engine's rule, `smallerTail`), else the side
 * the scan wrote, else the lower side.
 */
export function signalReason(signal: CalibratedSignal, image: ScoredImage, calibration: DetectorCalibration | null): OutlierReason {
  const reasons = SIGNAL_REASONS[signal];
  if (reasons.length === 1) return reasons[0];
  const measured = calibration ? twoSidedValue(signal, image, calibration.reference) : null;
  if (measured) return smallerTail(measured.sorted, measured.value) === 'lower' ? reasons[0] : reasons[1];
  return image.reasons?.includes(reasons[1]) ? reasons[1] : reasons[0];
}

/** An image's verdict under the settings: its calibrated reasons past their own cuts, most extreme first, and its outlier score. */
export function imageVerdict(image: ScoredImage, settings: RankingSettings, calibration: DetectorCalibration | null): OutlierVerdict<OutlierReason> {
  const tails: NamedSignalTail<CalibratedSignal, OutlierReason>[] = [];
  for (const signal of CALIBRATED_SIGNALS) {
    const p = image.tailProbabilities?.[signal];
    if (p !== undefined) tails.push({ signal, reason: signalReason(signal, image, calibration), p });
  }
  return selectedVerdict(tails, settings);
}

/** A scan's ranking as the panel's snapshot says it: in force, possible (the signals its images carry), default, and why only the LLR where so. */
export function rankingState(calibrated: boolean, settings: RankingSettings, tailSignals: readonly CalibratedSignal[], calibratedOn?: string): RankingState {
  return {
    ...(calibrated && calibratedOn ? { calibratedOn } : {}),
    settings,
    available: calibrated ? tailSignals : [],
    defaults: defaultRanking(calibrated),
    ...(calibrated ? {} : { unavailable: UNCALIBRATED_REASON }),
  };
}
