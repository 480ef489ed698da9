import { isFlagged } from '../../common/verdict/outlierVerdict';
import { selectedScoreColumn } from '../../common/verdict/signalSelection';
import type { DetectorCalibration } from '../../protocol/detector';
import type { OutlierReason, ScoredImage } from '../../protocol/scanResults';
import { MARK_ONLY_REASONS } from '../../protocol/scanResults';
import type { RankingSettings } from '../../protocol/webview';
import { defaultRanking, imageVerdict, rankingScore } from './ranking';
import type { ScoredIndex } from './scoredIndex';
import { SetCalibration } from './setCalibration';

/**
 * How a result set ranks and flags: by the LLR, or by the calibrated verdict of the signals the
 * user switched on at their cuts, against the detector's known inliers and those labelled here.
 * Keeps each slot's outlier score in a column computed from the index's tails (never the store).
 */
export class SetVerdict {
  private settings: RankingSettings;
  /** Each slot's outlier score under the verdict ranking (unused under the LLR's). */
  private scores: Float64Array = new Float64Array(0);
  /** Own reasons of flagged images under the settings in force, read once from their records (cleared when the settings change). */
  private readonly reasonsBySlot = new Map<number, readonly OutlierReason[]>();
  readonly calibration: SetCalibration;

  constructor(private readonly index: ScoredIndex, detectorCalibration: DetectorCalibration | null) {
    this.settings = defaultRanking(detectorCalibration !== null);
    this.calibration = new SetCalibration(detectorCalibration);
  }

  /** What the set ranks, thresholds and flags by. */
  get ranking(): RankingSettings {
    return this.settings;
  }

  /** Ranks by `settings` from now on: every outlier score is recomputed from the tail columns. */
  setRanking(settings: RankingSettings): void {
    this.settings = settings;
    this.reasonsBySlot.clear();
    if (settings.mode !== 'verdict') return;
    const columns = settings.signals.flatMap((signal) => {
      const tails = this.index.tailColumn(signal);
      return tails ? [{ tails, cut: settings.cuts[signal] }] : [];
    });
    this.scores = selectedScoreColumn(columns, this.index.slotCount);
  }

  /** The index just took the image in `slot`: its tails are taken against the calibration in force and its score recomputed. */
  indexed(slot: number): void {
    if (this.calibration.labelledInliers > 0 && this.index.tailsOf(slot) !== undefined) {
      this.index.setTails(slot, this.calibration.tailsOf(this.index.valuesOf(slot), this.index.tailSignals()));
    }
    this.reasonsBySlot.delete(slot);
    if (this.settings.mode !== 'verdict') return;
    if (slot >= this.scores.length) {
      const wider = new Float64Array(Math.max(1024, slot + 1, this.scores.length * 2));
      wider.set(this.scores);
      this.scores = wider;
    }
    this.scores[slot] = rankingScore((signal) => this.index.tailOf(slot, signal), this.settings);
  }

  /**
   * Takes the labelled inliers `inlierSlots` into the calibration; says whether it changed, and
   * then every live image's tails were taken again from the index's measures and re-scored.
   */
  recalibrate(inlierSlots: readonly number[], liveSlots: Int32Array): boolean {
    if (!this.calibration.update(inlierSlots, (slot) => this.index.valuesOf(slot))) return false;
    const signals = this.index.tailSignals();
    for (const slot of liveSlots) {
      if (this.index.tailsOf(slot) !== undefined) this.index.setTails(slot, this.calibration.tailsOf(this.index.valuesOf(slot), signals));
    }
    this.setRanking(this.settings);
    return true;
  }

  /** The ranked score of `slot`: its outlier score under the verdict ranking, else its instance score. */
  scoreOf(slot: number): number {
    return this.settings.mode === 'verdict' ? this.scores[slot] : this.index.scoreOf(slot);
  }

  /** Whether `slot` is flagged by the verdict's own cuts (false under the LLR ranking, whose threshold is the user's). */
  flaggedByCuts(slot: number): boolean {
    return this.settings.mode === 'verdict' && isFlagged(this.scores[slot]);
  }

  /** The image with its outlier score and reasons under the settings and the calibration in force (as it is under the LLR ranking). */
  judged(image: ScoredImage): ScoredImage {
    if (this.settings.mode !== 'verdict' || !image.tailProbabilities) return image;
    // The tails in force (taken again when labels changed the calibration), not the ones the record was written with.
    const slot = this.index.slotOf(image.relativePath);
    const tailProbabilities = (slot === undefined ? undefined : this.index.tailsOf(slot)) ?? image.tailProbabilities;
    const verdict = imageVerdict({ ...image, tailProbabilities }, this.settings, this.calibration.current);
    const marks = image.reasons?.filter((reason) => MARK_ONLY_REASONS.includes(reason)) ?? [];
    return { ...image, tailProbabilities, outlierScore: verdict.outlierScore, reasons: [...verdict.reasons, ...marks] };
  }

  /**
   * The own reasons of the image in `slot`: `stored` (the scan's) under the LLR; under the verdict the
   * signals past their cuts, which the score column tells without I/O — only a flagged image's record
   * is read (`readImage`: a two-sided signal's side needs its measure), once per settings.
   */
  ownReasons(slot: number, stored: readonly OutlierReason[] | undefined, readImage: (slot: number) => ScoredImage): readonly OutlierReason[] | undefined {
    if (this.settings.mode !== 'verdict' || this.index.tailsOf(slot) === undefined) return stored;
    if (!isFlagged(this.scores[slot])) return undefined;
    let reasons = this.reasonsBySlot.get(slot);
    if (!reasons) {
      reasons = this.judged(readImage(slot)).reasons ?? [];
      this.reasonsBySlot.set(slot, reasons);
    }
    return reasons;
  }
}
