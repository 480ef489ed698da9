// What the side view writes, from the host's state: pure, so the texts are tested without a page.
import type { ThresholdMethod, ThresholdSetting } from '../../src/protocol/scanResults';
import type { SideViewState } from '../../src/protocol/sideView';
import type { ThresholdInputKind } from '../../src/common/threshold/thresholdInput';

/** A number as the fields show it: at most four decimals, no trailing zeros. */
export function roundForField(value: number): string {
  return String(Number(value.toFixed(4)));
}

/** How the threshold field of `method` is read (the shared rules in src/common/threshold). */
export function inputKindOf(method: ThresholdMethod): ThresholdInputKind {
  return method === 'absolute' ? 'score' : method === 'percentile' ? 'percentile' : 'fprPercent';
}

/** The threshold in the units of `method`, from the host's readings; '' when there is none to show. */
export function thresholdFieldText(state: SideViewState, method: ThresholdMethod): string {
  const readings = state.thresholdReadings;
  const threshold = state.threshold;
  if (!readings || !threshold) return '';
  if (method === 'percentile') return threshold.method === 'percentile' && threshold.percentile !== undefined ? String(threshold.percentile) : roundForField(readings.percentile);
  if (method === 'fpr') {
    if (threshold.method === 'fpr' && threshold.fpr !== undefined) return roundForField(100 * threshold.fpr);
    return readings.fprPercent === null ? '' : roundForField(readings.fprPercent);
  }
  return roundForField(readings.score);
}

/** A threshold in words, for the Reset button's tooltip. */
export function describeThreshold(setting: ThresholdSetting): string {
  if (setting.method === 'percentile') return `${setting.percentile}th percentile`;
  if (setting.method === 'fpr') return `false-positive rate ${roundForField(100 * (setting.fpr ?? 0))} % on known inliers`;
  return `score ${roundForField(setting.value)}`;
}

/** The scan's counts in one line; '—' before any scan. */
export function countsText(state: SideViewState): string {
  if (!state.folder) return '—';
  const selected = state.selected ? ` · ${state.selected} selected` : '';
  return `${state.scored} scored · ${state.outliers} outliers · ${state.failed} unreadable${selected}`;
}

/** The ground truth's counts and AUROC; '' without ground truth. */
export function groundTruthText(state: SideViewState): string {
  const truth = state.groundTruth;
  if (!truth) return '';
  return `${truth.inliers} inliers · ${truth.outliers} outliers${truth.auroc === null ? '' : ` · AUROC ${truth.auroc.toFixed(3)}`}`;
}

/** The rule under the field, with the measured false-positive rate when inliers are known. */
export function thresholdNote(state: SideViewState): string {
  if (!state.threshold) return '';
  const fprPercent = state.thresholdReadings?.fprPercent ?? null;
  const fpr = fprPercent === null ? '' : ` · FPR ${fprPercent.toFixed(1)} % on known inliers`;
  return `Outlier ⇔ score > ${state.threshold.value.toFixed(3)}${fpr}`;
}

/** Whether the threshold in force is the detector's own (Reset has nothing to do). */
export function isDetectorThreshold(state: SideViewState): boolean {
  const own = state.detectorThreshold;
  return own !== null && state.threshold !== null && own.method === state.threshold.method && own.value === state.threshold.value;
}
