import * as vscode from 'vscode';
import type { BackendChoice } from '../../protocol/detector';
import type { TrainSettings } from '../../protocol/engine';
import { BACKEND_CHOICES } from '../../protocol/engine';
import { DEFAULT_LABELS_FILE } from '../groundTruth/labelsFile';
import { parseChannels, parseImageSize } from './parseSettings';

/** The `outlierLens.*` settings, read and checked. */
export interface OutlierLensSettings {
  readonly backend: BackendChoice;
  readonly train: TrainSettings;
  /** [height, width], or null for "auto" (from the first readable image). */
  readonly imageSize: readonly [number, number] | null;
  readonly channels: 1 | 3 | null;
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  /** Relative to the workspace folder, or absolute. */
  readonly detectorFolder: string;
  /** The labels file's path relative to the scanned folder; null when labels files are off (empty setting). */
  readonly labelsFile: string | null;
}

/** A positive integer override, or undefined when unset (null) or invalid. */
function positiveInteger(value: number | null | undefined): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

/** Reads the settings for `scope` (a folder's URI gives its workspace folder's values); throws on a malformed image size. */
export function readSettings(scope?: vscode.Uri): OutlierLensSettings {
  const config = vscode.workspace.getConfiguration('outlierLens', scope);
  const backend = config.get<string>('backend', 'auto');
  const preset = config.get<string>('preset', 'fast');
  const mutationRate = config.get<number | null>('mutationRate', null);
  const l2Background = config.get<number | null>('l2Background', null);
  return {
    backend: BACKEND_CHOICES.find((choice) => choice === backend) ?? 'auto',
    train: {
      preset: preset === 'seed' ? 'seed' : 'fast',
      epochs: positiveInteger(config.get<number | null>('epochs', null)),
      batchSize: positiveInteger(config.get<number | null>('batchSize', null)),
      mutationRate: typeof mutationRate === 'number' && mutationRate >= 0 && mutationRate <= 1 ? mutationRate : undefined,
      l2Background: typeof l2Background === 'number' && l2Background >= 0 ? l2Background : undefined,
    },
    imageSize: parseImageSize(config.get<string>('imageSize', 'auto')),
    channels: parseChannels(config.get<string | number>('channels', 'auto')),
    include: config.get<string[]>('include', []),
    exclude: config.get<string[]>('exclude', []),
    detectorFolder: config.get<string>('detectorFolder', '.outlier-lens/detectors') || '.outlier-lens/detectors',
    labelsFile: config.get<string>('labelsFile', DEFAULT_LABELS_FILE).trim() || null,
  };
}
