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
  /** Images the user marked in the gallery. */
  readonly marked: number;
  /** Labelled images and the AUROC of the scores against them; null when the scan has no ground truth. */
  readonly groundTruth: GroundTruthSummary | null;
  readonly threshold: ThresholdSetting | null;
  readonly running: boolean;
  readonly trusted: boolean;
  readonly backend: string;
}

/** Side view → host: the script is ready, the user set a threshold, or pressed a button. */
export type FromSideView =
  | { readonly type: 'ready' }
  | { readonly type: 'setThreshold'; readonly method: 'absolute' | 'percentile'; readonly value: number }
  | { readonly type: 'run'; readonly command: CommandId };

/** Commands the side view's buttons may run (nothing else is accepted from it). */
export const SIDE_VIEW_COMMANDS: readonly CommandId[] = [COMMANDS.scanFolder, COMMANDS.openResults, COMMANDS.exportJson, COMMANDS.exportCsv, COMMANDS.showSamples, COMMANDS.cancel, COMMANDS.selectBackend];

/** Checks a side view message (untrusted input). */
export function parseFromSideView(raw: unknown): FromSideView | null {
  const message = raw as Record<string, unknown> | null;
  if (typeof message !== 'object' || message === null) return null;
  if (message.type === 'ready') return { type: 'ready' };
  if (message.type === 'setThreshold' && (message.method === 'absolute' || message.method === 'percentile') && typeof message.value === 'number' && Number.isFinite(message.value)) {
    if (message.method === 'percentile' && (message.value < 0 || message.value > 100)) return null;
    return { type: 'setThreshold', method: message.method, value: message.value };
  }
  if (message.type === 'run' && SIDE_VIEW_COMMANDS.includes(message.command as CommandId)) return { type: 'run', command: message.command as CommandId };
  return null;
}
