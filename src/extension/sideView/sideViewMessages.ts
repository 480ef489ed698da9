import type { ThresholdSetting } from '../../protocol/scanResults';
import type { CommandId } from '../commands/commandIds';
import type { GroundTruthSummary } from '../groundTruth/groundTruthSummary';
import { COMMANDS } from '../commands/commandIds';

/** What the side view shows (host → side view, `media/sideView.js` renders it). */
export interface SideViewState {
  readonly type: 'state';
  readonly detector: string | null;
  readonly folder: string | null;
  readonly scored: number;
  readonly failed: number;
  readonly outliers: number;
  /** Images the user selected in the gallery. */
  readonly selected: number;
  /** Labelled images and the AUROC of the scores against them; null when the scan has no ground truth. */
  readonly groundTruth: GroundTruthSummary | null;
  readonly threshold: ThresholdSetting | null;
  /** The detector's own threshold, what Reset goes back to; null with no results. */
  readonly detectorThreshold: ThresholdSetting | null;
  /** Whether images are labelled as inliers, so a false-positive-rate threshold can be set. */
  readonly canSetFpr: boolean;
  /** The threshold read each way, so switching the field's method shows it in the new units: score, percentile (0–100), FPR % (null without known inliers). */
  readonly thresholdReadings: { readonly score: number; readonly percentile: number; readonly fprPercent: number | null } | null;
  /** Why the threshold the user typed last was refused; null once a threshold is accepted. */
  readonly thresholdError: string | null;
  readonly running: boolean;
  readonly trusted: boolean;
  readonly backend: string;
}

/** How the side view's threshold field is read: a score, a percentile (0–100) or a false-positive rate in per cent. */
export type SideViewThresholdMethod = 'absolute' | 'percentile' | 'fpr';

/** Side view → host: the script is ready, the user typed a threshold (checked by the host), reset it, or pressed a button. */
export type FromSideView =
  | { readonly type: 'ready' }
  | { readonly type: 'setThreshold'; readonly method: SideViewThresholdMethod; readonly text: string }
  | { readonly type: 'resetThreshold' }
  | { readonly type: 'run'; readonly command: CommandId };

/** Commands the side view's buttons may run (nothing else is accepted from it). */
export const SIDE_VIEW_COMMANDS: readonly CommandId[] = [COMMANDS.scanFolder, COMMANDS.openResults, COMMANDS.exportJson, COMMANDS.exportCsv, COMMANDS.showSamples, COMMANDS.cancel, COMMANDS.selectBackend];

/** Checks a side view message (untrusted input). */
export function parseFromSideView(raw: unknown): FromSideView | null {
  const message = raw as Record<string, unknown> | null;
  if (typeof message !== 'object' || message === null) return null;
  if (message.type === 'ready') return { type: 'ready' };
  if (message.type === 'setThreshold' && (message.method === 'absolute' || message.method === 'percentile' || message.method === 'fpr') && typeof message.text === 'string') {
    return { type: 'setThreshold', method: message.method, text: message.text.slice(0, 100) };
  }
  if (message.type === 'resetThreshold') return { type: 'resetThreshold' };
  if (message.type === 'run' && SIDE_VIEW_COMMANDS.includes(message.command as CommandId)) return { type: 'run', command: message.command as CommandId };
  return null;
}
