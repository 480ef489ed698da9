import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { ResultSet } from '../results/resultSet';
import type { ResultsModel } from '../results/resultsModel';
import { readSettings } from '../settings/settings';
import type { OutputLog } from '../ui/outputLog';
import { GroundTruthRules, relativeInside } from './groundTruthRules';
import type { LabelMarks } from './labelMarks';
import type { LabelsFileEntry, ParsedLabelsFile } from './labelsFile';
import { parseLabelsFile } from './labelsFile';

/** A labels file larger than this is surely not one (100,000 lines are about 3 MB). */
const MAX_LABELS_FILE_BYTES = 64 * 1024 * 1024;

/** Editors save in bursts (write, rename, touch): read once they settle. */
const REREAD_DELAY_MS = 200;

/** How many bad lines the warning names; the log lists all of them. */
const WARNING_LINES_SHOWN = 3;

/**
 * Keeps the ground truth of the result set shown in step with its sources: the Explorer marks
 * (at once, when they change) and the scanned folder's labels file (read when a scan starts and
 * whenever the file or the `outlierLens.labelsFile` setting changes). The result set then has a
 * new revision, and the panel and side view relabel without a rescan. Bad lines of the labels
 * file are reported (file and line), never fatal.
 */
export class GroundTruthSync implements vscode.Disposable {
  private fileEntries: readonly LabelsFileEntry[] = [];
  /** The labels file `fileEntries` came from. */
  private entriesFile: string | null = null;
  private watcher: vscode.FileSystemWatcher | null = null;
  private watchedFile: string | null = null;
  private rereadTimer: NodeJS.Timeout | null = null;
  private reading: Promise<void> = Promise.resolve();
  private readGeneration = 0;
  /** The last warning shown, so an unchanged file does not warn again on every scan. */
  private lastWarning = '';
  private readonly unsubscribers: Array<() => void>;

  constructor(private readonly model: ResultsModel, private readonly marks: LabelMarks, private readonly log: OutputLog) {
    this.unsubscribers = [
      model.onDidChange((change) => {
        if (change.kind === 'resultSet') this.refresh();
      }),
      marks.onDidChange(() => this.apply()),
    ];
  }

  /** The labels file of the result set shown (what labelling from the panel writes to); null when the setting turns it off. */
  get labelsFile(): string | null {
    return this.watchedFile;
  }

  /** Resolves once the labels file of the result set shown has been read and applied. */
  settled(): Promise<void> {
    return this.reading;
  }

  /** Applies the marks now and reads the labels file again (a new scan, or the setting changed). */
  refresh(): void {
    const resultSet = this.model.resultSet;
    if (!resultSet) return;
    const file = this.labelsFileOf(resultSet.folder);
    if (file !== this.watchedFile) this.watch(file);
    // Marks count from the first result on; the file's lines as soon as it is read.
    this.apply();
    this.reread(resultSet, file);
  }

  dispose(): void {
    for (const unsubscribe of this.unsubscribers) unsubscribe();
    this.watcher?.dispose();
    if (this.rereadTimer) clearTimeout(this.rereadTimer);
  }

  /** The labels file of `folder` as the setting names it; null when the setting is empty or leaves the folder. */
  private labelsFileOf(folder: string): string | null {
    const name = readSettings(vscode.Uri.file(folder)).labelsFile;
    if (name === null) return null;
    const file = path.resolve(folder, name);
    const inside = relativeInside(folder, file);
    if (inside === null || inside === '') {
      this.log.warn(`outlierLens.labelsFile "${name}" is not a file inside the scanned folder ${folder}: no labels file is read`);
      return null;
    }
    return file;
  }

  private watch(file: string | null): void {
    this.watcher?.dispose();
    this.watcher = null;
    this.watchedFile = file;
    if (!file) return;
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(path.dirname(file)), path.basename(file)));
    const schedule = (): void => {
      if (this.rereadTimer) clearTimeout(this.rereadTimer);
      this.rereadTimer = setTimeout(() => {
        this.rereadTimer = null;
        const resultSet = this.model.resultSet;
        if (resultSet && this.watchedFile === file) this.reread(resultSet, file);
      }, REREAD_DELAY_MS);
    };
    watcher.onDidCreate(schedule);
    watcher.onDidChange(schedule);
    watcher.onDidDelete(schedule);
    this.watcher = watcher;
  }

  private reread(resultSet: ResultSet, file: string | null): void {
    const generation = ++this.readGeneration;
    const settle = (entries: readonly LabelsFileEntry[]): boolean => {
      // A newer read (another scan, another save) wins.
      if (generation !== this.readGeneration) return false;
      this.fileEntries = entries;
      this.entriesFile = file;
      this.apply();
      return true;
    };
    this.reading = (file ? readLabelsFile(file) : Promise.resolve(null)).then((parsed) => {
      if (settle(parsed?.entries ?? []) && file && parsed) {
        this.log.info(`${file}: ${parsed.entries.length} labelled paths, ${parsed.warnings.length} lines skipped`);
        this.report(file, parsed);
      }
    }, (error: Error) => {
      if (!settle([])) return;
      this.log.warn(`${file}: ${error.message}`);
      void vscode.window.showWarningMessage(`Outlier Lens: the labels file ${path.basename(file ?? '')} in ${path.basename(resultSet.folder)} was not read: ${error.message}. Explorer marks still count.`);
    });
  }

  private apply(): void {
    const resultSet = this.model.resultSet;
    if (!resultSet) return;
    // Lines read from another folder's file (the scan just changed) do not count.
    const entries = this.entriesFile !== null && this.entriesFile === this.watchedFile ? this.fileEntries : [];
    resultSet.setGroundTruth(GroundTruthRules.forFolder(resultSet.folder, this.marks.all(), entries));
  }

  private report(file: string, parsed: ParsedLabelsFile): void {
    for (const warning of parsed.warnings) this.log.warn(`${file} line ${warning.line}: ${warning.reason} (line skipped)`);
    if (parsed.warnings.length === 0) {
      this.lastWarning = '';
      return;
    }
    const named = parsed.warnings.slice(0, WARNING_LINES_SHOWN).map((warning) => `line ${warning.line}: ${warning.reason}`).join('; ');
    const more = parsed.warnings.length > WARNING_LINES_SHOWN ? `; ${parsed.warnings.length - WARNING_LINES_SHOWN} more in the Outlier Lens log` : '';
    const count = parsed.warnings.length === 1 ? '1 line' : `${parsed.warnings.length} lines`;
    const message = `Outlier Lens: ${path.basename(file)} in ${path.basename(path.dirname(file))}: ${count} skipped (${named}${more}). The other lines count.`;
    if (message === this.lastWarning) return;
    this.lastWarning = message;
    const open = 'Open Labels File';
    void Promise.resolve(vscode.window.showWarningMessage(message, open)).then((answer) => {
      if (answer === open) void vscode.commands.executeCommand('vscode.open', vscode.Uri.file(file));
    });
  }
}

/** The parsed labels file, or null when there is none. */
async function readLabelsFile(file: string): Promise<ParsedLabelsFile | null> {
  let size: number;
  try {
    const stat = await fs.promises.stat(file);
    if (!stat.isFile()) throw new Error('it is not a file');
    size = stat.size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  if (size > MAX_LABELS_FILE_BYTES) throw new Error(`it is ${Math.round(size / 1e6)} MB, more than a labels file can be (${MAX_LABELS_FILE_BYTES / 1024 / 1024} MB)`);
  return parseLabelsFile(await fs.promises.readFile(file, 'utf8'));
}
