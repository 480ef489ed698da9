// Host ↔ side view (the Outlier Lens view in the activity bar). The host pushes its whole state;
// the view posts the user's actions, none of which waits for a reply. Grouped by direction, like
// webview.ts for the panel.
import type { ThresholdMethod, ThresholdSetting } from './scanResults';

/** Labelled images and the AUROC of the scores against them. */
export interface SideViewGroundTruth {
  readonly inliers: number;
  readonly outliers: number;
  /** Outliers as positives, ties count half; null without both classes. */
  readonly auroc: number | null;
}

/** The threshold read each way, so switching the field's method shows it in the new units. */
export interface ThresholdReadings {
  readonly score: number;
  /** Share of images not above the threshold, 0–100. */
  readonly percentile: number;
  /** Share of known inliers above it, in per cent; null without known inliers. */
  readonly fprPercent: number | null;
}

// ── Host → side view ─────────────────────────────────────────────────────────────────────────

/** What the side view shows, sent whole on every change (a few times a second at most while a scan streams). */
export interface SideViewState {
  readonly type: 'state';
  readonly detector: string | null;
  readonly folder: string | null;
  readonly scored: number;
  readonly failed: number;
  readonly outliers: number;
  /** Images the user selected in the gallery. */
  readonly selected: number;
  /** Null when the scan has no ground truth. */
  readonly groundTruth: SideViewGroundTruth | null;
  readonly threshold: ThresholdSetting | null;
  /** The detector's own threshold, what Reset goes back to; null with no results. */
  readonly detectorThreshold: ThresholdSetting | null;
  /** Whether images are labelled as inliers, so a false-positive-rate threshold can be set. */
  readonly canSetFpr: boolean;
  readonly thresholdReadings: ThresholdReadings | null;
  /** Why the threshold the user typed last was refused; null once a threshold is accepted. */
  readonly thresholdError: string | null;
  readonly running: boolean;
  readonly trusted: boolean;
  /** The engine's backend, as the status bar names it. */
  readonly backend: string;
}

/** Every message the host sends the side view. */
export type ToSideViewMessage = SideViewState;

// ── Side view → host ─────────────────────────────────────────────────────────────────────────

/** The view's script runs: the host sends the state from now on. */
export interface SideViewReady {
  readonly type: 'ready';
}

/** The user typed a threshold in the units of `method` (checked again by the host, which says why it refuses one). */
export interface SideViewSetThreshold {
  readonly type: 'setThreshold';
  readonly method: ThresholdMethod;
  readonly text: string;
}

/** Go back to the detector's own threshold. */
export interface SideViewResetThreshold {
  readonly type: 'resetThreshold';
}

/** The commands the side view's buttons run (the host accepts no other). */
export const SIDE_VIEW_COMMANDS = [
  'outlierLens.scanFolder',
  'outlierLens.openResults',
  'outlierLens.exportJson',
  'outlierLens.exportCsv',
  'outlierLens.showSamples',
  'outlierLens.cancel',
  'outlierLens.selectBackend',
] as const;

/** One of the side view's commands. */
export type SideViewCommand = (typeof SIDE_VIEW_COMMANDS)[number];

/** A button was pressed: run its command. */
export interface SideViewRunCommand {
  readonly type: 'run';
  readonly command: SideViewCommand;
}

/** Every message the side view sends the host. */
export type FromSideViewMessage = SideViewReady | SideViewSetThreshold | SideViewResetThreshold | SideViewRunCommand;

