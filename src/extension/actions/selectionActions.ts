import { randomUUID } from 'crypto';
import * as path from 'path';
import * as vscode from 'vscode';
import type { GroundTruthLabel } from '../../protocol/scanResults';
import type { ActionResult, ActionState, SelectionActionKind } from '../../protocol/webview';
import type { ResultCache } from '../results/resultCache';
import type { ResultSet } from '../results/resultSet';
import type { ResultsModel } from '../results/resultsModel';
import type { OutputLog } from '../ui/outputLog';
import { describeFolder, failureSentence, images, renameSentence } from './actionMessages';
import { deleteImages, dropHoldFolder, restoreImages } from './deleteImages';
import { labelImages, undoLabelChange } from './labelImages';
import { moveImages, moveImagesBack, OUTLIERS_FOLDER } from './moveImages';
import { followMoves, restoreResults, saveResults } from './resultsFollow';
import type { TakenResults } from './resultsFollow';

/** What the actions need from the rest of the extension. */
export interface SelectionActionServices {
  readonly model: ResultsModel;
  readonly log: OutputLog;
  readonly cache: ResultCache;
  /** The extension's storage: deleted images are held under `<storage>/undo/` until the panel closes. */
  readonly storageFolder: string;
  /** The labels file of the results shown (null when the setting turns it off), and a re-read of it. */
  readonly labels: { file(): string | null; relabel(): Promise<void> };
}

/** An action that can be undone while the panel is open. */
interface UndoEntry {
  /** "move of 5 images to .outliers/". */
  readonly label: string;
  /** Undoes it; resolves with the sentence for the panel. */
  readonly undo: () => Promise<string>;
  /** Drops what the undo would need (held copies); the action stays done. */
  readonly discard: () => Promise<void>;
}

/** Thrown for an action that cannot run; its message is the sentence the panel shows. */
class ActionRefused extends Error {}

const LABEL_ACTIONS: Readonly<Partial<Record<SelectionActionKind, GroundTruthLabel>>> = { markInliers: 'inlier', markOutliers: 'outlier' };

/**
 * The panel's actions on the selected images — move, delete, copy paths, label — and their undo.
 * Every file operation goes through `vscode.workspace.fs`, never replaces a file and is logged;
 * the results (and their cache on disk) follow moved and deleted files. The undo history lives as
 * long as the panel and the scan shown: closing the panel or a new scan drops it (and the copies
 * kept of deleted images).
 */
export class SelectionActions implements vscode.Disposable {
  private history: UndoEntry[] = [];
  private running: string | null = null;
  private result: ActionResult | null = null;
  private sequence = 0;
  private readonly changed = new vscode.EventEmitter<void>();
  /** The state changed: an action started or ended, or the history changed. */
  readonly onDidChange = this.changed.event;
  private readonly unsubscribe: () => void;
  private readonly holdRoot: string;

  constructor(private readonly services: SelectionActionServices) {
    this.holdRoot = path.join(services.storageFolder, 'undo');
    // Copies held by an earlier session can no longer be restored from a panel: drop them.
    void dropHoldFolder(this.holdRoot);
    this.unsubscribe = services.model.onDidChange((change) => {
      if (change.kind === 'resultSet') void this.clear();
    });
  }

  /** What the panel shows: the running action, what Undo would undo, the last result. */
  state(): ActionState {
    return { type: 'actionState', running: this.running, undo: this.history.at(-1)?.label ?? null, result: this.result };
  }

  /** Runs `action` on `paths` (checked against the results shown); the outcome comes through `state()`. */
  async act(action: SelectionActionKind, paths: readonly string[]): Promise<void> {
    await this.runExclusively(`${ACTION_VERBS[action]} ${images(paths.length)}…`, async () => {
      const resultSet = this.services.model.resultSet;
      if (!resultSet) throw new ActionRefused('No results are shown.');
      const valid = [...new Set(paths)].filter((relativePath) => resultSet.has(relativePath));
      if (valid.length === 0) throw new ActionRefused('Select images first: none of the selected paths is one of this scan\'s results.');
      if (paths.length !== valid.length) this.services.log.warn(`actions: ${paths.length - valid.length} selected paths are not results of this scan and were left out`);
      const label = LABEL_ACTIONS[action];
      if (label) return this.label(resultSet, valid, label);
      switch (action) {
        case 'copyPaths':
          return this.copyPaths(resultSet, valid);
        case 'moveToOutliers':
          return this.move(resultSet, valid, path.join(resultSet.folder, OUTLIERS_FOLDER));
        case 'moveTo': {
          const picked = await vscode.window.showOpenDialog({ title: `Outlier Lens: move ${images(valid.length)} to`, openLabel: 'Move Here', canSelectFolders: true, canSelectFiles: false, defaultUri: vscode.Uri.file(resultSet.folder) });
          return picked?.[0] ? this.move(resultSet, valid, picked[0].fsPath) : null;
        }
        default:
          return this.deleteSelected(resultSet, valid);
      }
    });
  }

  /** Undoes the last action. */
  async undo(): Promise<void> {
    const entry = this.history.at(-1);
    await this.runExclusively(`Undoing the ${entry?.label ?? 'last action'}…`, async () => {
      if (!entry) throw new ActionRefused('Nothing to undo.');
      this.history.pop();
      return { message: await entry.undo() };
    });
  }

  /** Drops the undo history and the copies it kept (the panel closed, or another scan is shown). */
  async clear(): Promise<void> {
    const dropped = this.history;
    this.history = [];
    this.result = null;
    this.changed.fire();
    for (const entry of dropped.reverse()) await entry.discard();
  }

  dispose(): void {
    this.unsubscribe();
    void this.clear();
    this.changed.dispose();
  }

  /** Runs one action at a time, turning its outcome (or refusal, or error) into the result the panel shows. */
  private async runExclusively(running: string, work: () => Promise<{ message: string; selection?: readonly string[] } | null>): Promise<void> {
    if (this.running) {
      this.finish({ outcome: 'failed', message: `Wait: ${this.running.replace(/…$/, '')} is not finished.` }, false);
      return;
    }
    this.running = running;
    this.changed.fire();
    try {
      const done = await work();
      this.finish(done ? { outcome: 'done', ...done } : { outcome: 'cancelled', message: 'Cancelled: nothing changed.' });
    } catch (error) {
      if (!(error instanceof ActionRefused)) this.services.log.error(`actions: ${(error as Error).stack ?? String(error)}`);
      this.finish({ outcome: 'failed', message: (error as Error).message });
    }
  }

  private finish(result: Omit<ActionResult, 'sequence'>, endsRun = true): void {
    if (endsRun) this.running = null;
    this.result = { sequence: ++this.sequence, ...result };
    this.services.log.info(`actions: ${result.message}`);
    this.changed.fire();
  }

  private async move(resultSet: ResultSet, relativePaths: readonly string[], destination: string): Promise<{ message: string; selection: readonly string[] }> {
    this.refuseWhileStreaming(resultSet);
    const where = describeFolder(resultSet.folder, destination);
    const outcome = await moveImages(resultSet.folder, relativePaths, destination);
    for (const move of outcome.moved) this.services.log.info(`move: ${move.from} → ${move.to}`);
    for (const failure of outcome.failures) this.services.log.warn(`move: ${failure.relativePath} not moved: ${failure.reason}`);
    const before = followMoves(resultSet, outcome.moved);
    const kept = outcome.moved.map((move) => pathOf(resultSet, move.to)).filter((relativePath): relativePath is string => relativePath !== null);
    await this.save(resultSet);
    if (outcome.moved.length > 0) {
      this.history.push({
        label: `move of ${images(outcome.moved.length)} to ${where}`,
        undo: async () => {
          const back = await moveImagesBack(outcome.moved, outcome.createdFolders);
          for (const move of back.restored) this.services.log.info(`undo move: ${move.to} → ${move.from}`);
          restoreResults(resultSet, back.restored.map((move) => pathOf(resultSet, move.to)).filter((p): p is string => p !== null), only(before, back.restored.map((move) => move.relativePath)));
          await this.save(resultSet);
          return `Moved ${images(back.restored.length)} back from ${where}.${failureSentence('moved back', back.failures)}`;
        },
        discard: async () => undefined,
      });
    }
    const fate = kept.length === outcome.moved.length ? 'they keep their scores under their new paths' : kept.length === 0 ? 'they leave the results' : `${kept.length} keep their scores under their new paths, the others leave the results`;
    const message = `Moved ${images(outcome.moved.length)} to ${where} (${fate}).${renameSentence(outcome.moved, destination)}${failureSentence('moved', outcome.failures)}`;
    return { message, selection: kept };
  }

  private async deleteSelected(resultSet: ResultSet, relativePaths: readonly string[]): Promise<{ message: string; selection: readonly string[] } | null> {
    this.refuseWhileStreaming(resultSet);
    const confirm = 'Move to Trash';
    const answer = await vscode.window.showWarningMessage(`Delete ${images(relativePaths.length)} from ${path.basename(resultSet.folder)}? They go to the trash; Undo in the Outlier Lens panel puts them back while the panel stays open.`, { modal: true }, confirm);
    if (answer !== confirm) return null;
    const holdFolder = path.join(this.holdRoot, randomUUID());
    const permanently = 'Delete Permanently';
    const outcome = await deleteImages(resultSet.folder, relativePaths, holdFolder, async (reason) => {
      this.services.log.warn(`delete: the trash refused (${reason})`);
      const choice = await vscode.window.showWarningMessage(`This file system has no trash (${reason}). Delete ${images(relativePaths.length)} for good? Undo in the Outlier Lens panel can still restore them while the panel stays open.`, { modal: true }, permanently);
      return choice === permanently;
    });
    if (outcome.declined) {
      await dropHoldFolder(holdFolder);
      return null;
    }
    const where = outcome.mode === 'trash' ? 'to the trash' : 'for good (no trash here)';
    for (const file of outcome.deleted) this.services.log.info(`delete ${where}: ${file.original} (copy kept for Undo at ${file.held})`);
    for (const failure of outcome.failures) this.services.log.warn(`delete: ${failure.relativePath} not deleted: ${failure.reason}`);
    const deletedPaths = outcome.deleted.map((file) => file.relativePath);
    const before = resultSet.remove(deletedPaths);
    await this.save(resultSet);
    if (outcome.deleted.length > 0) {
      this.history.push({
        label: `deletion of ${images(outcome.deleted.length)}`,
        undo: async () => {
          const back = await restoreImages(outcome.deleted);
          for (const file of back.restored) this.services.log.info(`undo delete: ${file.held} → ${file.original}`);
          const restoredPaths = back.restored.map((file) => file.relativePath);
          restoreResults(resultSet, [], await withFreshStats(resultSet.folder, only(before, restoredPaths)));
          await this.save(resultSet);
          await dropHoldFolder(holdFolder);
          const trashNote = outcome.mode === 'trash' ? ' (the trash still holds a copy)' : '';
          return `Restored ${images(back.restored.length)}${trashNote}.${failureSentence('restored', back.failures)}`;
        },
        discard: () => dropHoldFolder(holdFolder),
      });
    } else {
      await dropHoldFolder(holdFolder);
    }
    return { message: `Deleted ${images(outcome.deleted.length)} ${where}; they leave the results.${failureSentence('deleted', outcome.failures)}`, selection: [] };
  }

  private async label(resultSet: ResultSet, relativePaths: readonly string[], label: GroundTruthLabel): Promise<{ message: string }> {
    const file = this.services.labels.file();
    if (!file) throw new ActionRefused('No labels file: the setting outlierLens.labelsFile is empty or points outside the scanned folder.');
    const change = await labelImages(file, relativePaths, label);
    this.services.log.info(`label: ${relativePaths.length} paths written as ${label} to ${file}`);
    await this.services.labels.relabel();
    const name = path.basename(file);
    this.history.push({
      label: `labelling of ${images(relativePaths.length)} as ${label}s`,
      undo: async () => {
        await undoLabelChange(change);
        this.services.log.info(`undo label: ${file} put back as it was`);
        await this.services.labels.relabel();
        return `${name} is back as it was before ${images(relativePaths.length)} were labelled ${label}s.`;
      },
      discard: async () => undefined,
    });
    return { message: `Labelled ${images(relativePaths.length)} as ${label}s in ${name} (${path.basename(resultSet.folder)}); the ROC and PR curves count them.` };
  }

  private async copyPaths(resultSet: ResultSet, relativePaths: readonly string[]): Promise<{ message: string }> {
    await vscode.env.clipboard.writeText(relativePaths.map((relativePath) => path.join(resultSet.folder, relativePath)).join('\n'));
    return { message: `Copied the paths of ${images(relativePaths.length)}, one a line.` };
  }

  private refuseWhileStreaming(resultSet: ResultSet): void {
    if (resultSet.streaming) throw new ActionRefused('The scan is still running: wait for it to finish, or cancel it, before moving or deleting images.');
  }

  private async save(resultSet: ResultSet): Promise<void> {
    await saveResults(this.services.cache, resultSet).catch((error: Error) => this.services.log.warn(`results cache not written: ${error.message}`));
  }
}

/** What the panel's status line says while each action runs. */
const ACTION_VERBS: Readonly<Record<SelectionActionKind, string>> = {
  moveToOutliers: 'Moving',
  moveTo: 'Moving',
  trash: 'Deleting',
  copyPaths: 'Copying the paths of',
  markInliers: 'Labelling',
  markOutliers: 'Labelling',
};

function pathOf(resultSet: ResultSet, fsPath: string): string | null {
  const relative = path.relative(resultSet.folder, fsPath).split(path.sep).join('/');
  return resultSet.has(relative) ? relative : null;
}

/** The taken results of `paths` only (an undo that could restore some files but not all). */
function only(taken: TakenResults, paths: readonly string[]): TakenResults {
  const wanted = new Set(paths);
  return { scored: taken.scored.filter((image) => wanted.has(image.relativePath)), failed: taken.failed.filter((failure) => wanted.has(failure.relativePath)) };
}

/** Restored copies have new modification times: the cache keys them by what is on disk now (same bytes, same scores). */
async function withFreshStats(folder: string, taken: TakenResults): Promise<TakenResults> {
  const scored = await Promise.all(taken.scored.map(async (image) => {
    const stat = await vscode.workspace.fs.stat(vscode.Uri.file(path.join(folder, image.relativePath)));
    return { ...image, size: stat.size, mtimeMs: stat.mtime };
  }));
  return { scored, failed: taken.failed };
}
