import * as path from 'path';
import type * as vscode from 'vscode';
import type { GroundTruthLabel } from '../../protocol/scanResults';
import type { FolderMark } from './groundTruthRules';

/** The workspaceState key of the marks. */
const STATE_KEY = 'outlierLens.labelMarks';

/**
 * Folders the user marked as inliers or outliers in the Explorer, kept per workspace
 * (`workspaceState`) so they survive reloads. A folder has at most one mark; marking it again
 * replaces it. Listeners hear every change.
 */
export class LabelMarks {
  private readonly listeners = new Set<() => void>();

  constructor(private readonly state: vscode.Memento) {}

  /** Every mark, by folder path. */
  all(): readonly FolderMark[] {
    const stored = this.state.get<unknown>(STATE_KEY);
    if (typeof stored !== 'object' || stored === null) return [];
    return Object.entries(stored as Record<string, unknown>)
      .filter((entry): entry is [string, GroundTruthLabel] => entry[1] === 'inlier' || entry[1] === 'outlier')
      .map(([folder, label]) => ({ folder, label }))
      .sort((a, b) => (a.folder < b.folder ? -1 : a.folder > b.folder ? 1 : 0));
  }

  /** Marks `folders` with `label` (null clears their marks); resolves once stored. */
  async set(folders: readonly string[], label: GroundTruthLabel | null): Promise<void> {
    const next: Record<string, GroundTruthLabel> = Object.fromEntries(this.all().map((mark) => [mark.folder, mark.label]));
    for (const folder of folders) {
      const key = path.resolve(folder);
      if (label) next[key] = label;
      else delete next[key];
    }
    await this.state.update(STATE_KEY, next);
    for (const listener of this.listeners) listener();
  }

  /** Listens to changes; returns the unsubscribe function. */
  onDidChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
