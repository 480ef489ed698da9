import * as path from 'path';
import * as vscode from 'vscode';
import type { GroundTruthLabel } from '../../protocol/scanResults';
import type { LabelMarks } from './labelMarks';

/** What the Explorer shows on a marked folder: a one-letter badge, its tooltip and its colour. */
export const MARK_BADGES: Readonly<Record<GroundTruthLabel, { readonly badge: string; readonly tooltip: string; readonly color: string }>> = {
  inlier: { badge: 'I', tooltip: 'Outlier Lens: marked as inliers', color: 'testing.iconPassed' },
  outlier: { badge: 'O', tooltip: 'Outlier Lens: marked as outliers', color: 'testing.iconFailed' },
};

/**
 * Badges on the folders marked as inliers or outliers in the Explorer (only the folder itself,
 * not its files: the mark is a rule about the folder). Tells VS Code which folders changed
 * whenever a mark is set or cleared.
 */
export class MarkDecorations implements vscode.FileDecorationProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri[]>();
  /** Fired with the folders whose badge appeared, changed or went. */
  readonly onDidChangeFileDecorations = this.changed.event;
  // Read on VS Code's first question, not at activation, which stays free of storage reads.
  private shown: ReadonlyMap<string, GroundTruthLabel> | null = null;
  private readonly unsubscribe: () => void;

  constructor(private readonly marks: LabelMarks) {
    this.unsubscribe = marks.onDidChange(() => this.update());
  }

  /** The badge of `uri` when it is a marked folder. */
  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    if (uri.scheme !== 'file') return undefined;
    this.shown ??= labelsByFolder(this.marks);
    const label = this.shown.get(path.resolve(uri.fsPath));
    if (!label) return undefined;
    const { badge, tooltip, color } = MARK_BADGES[label];
    return new vscode.FileDecoration(badge, tooltip, new vscode.ThemeColor(color));
  }

  dispose(): void {
    this.unsubscribe();
    this.changed.dispose();
  }

  private update(): void {
    const before = this.shown ?? new Map<string, GroundTruthLabel>();
    const after = labelsByFolder(this.marks);
    this.shown = after;
    const folders = new Set([...before.keys(), ...after.keys()]);
    const changed = [...folders].filter((folder) => before.get(folder) !== after.get(folder));
    if (changed.length > 0) this.changed.fire(changed.map((folder) => vscode.Uri.file(folder)));
  }
}

function labelsByFolder(marks: LabelMarks): ReadonlyMap<string, GroundTruthLabel> {
  return new Map(marks.all().map((mark) => [path.resolve(mark.folder), mark.label]));
}
