import { randomUUID } from 'crypto';
import * as path from 'path';
import * as vscode from 'vscode';
import type { GroundTruthLabel } from '../../protocol/scanResults';
import { withLabels } from '../groundTruth/labelsFileEdit';
import { exists } from './workspaceFiles';

/** A labels file before and after the panel wrote it: what Undo puts back, and how it knows nobody edited it since. */
export interface LabelsFileChange {
  readonly file: string;
  /** Null when the file did not exist. */
  readonly before: string | null;
  readonly after: string;
}

/** Labels `relativePaths` in the labels file `file` (created with a header when missing); written atomically. */
export async function labelImages(file: string, relativePaths: readonly string[], label: GroundTruthLabel): Promise<LabelsFileChange> {
  const before = (await exists(file)) ? await readText(file) : null;
  const after = withLabels(before ?? '', relativePaths, label);
  await writeTextAtomic(file, after);
  return { file, before, after };
}

/** Puts the labels file back as it was; refuses when it changed since the panel wrote it (someone edited it). */
export async function undoLabelChange(change: LabelsFileChange): Promise<void> {
  const now = (await exists(change.file)) ? await readText(change.file) : null;
  if (now !== change.after) throw new Error(`${path.basename(change.file)} changed since it was written; edit it by hand`);
  if (change.before === null) await vscode.workspace.fs.delete(vscode.Uri.file(change.file), { recursive: false, useTrash: false });
  else await writeTextAtomic(change.file, change.before);
}

async function readText(file: string): Promise<string> {
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.file(file)));
}

/** Writes a temporary file beside `file` and renames it over `file`: a reader sees the old text or the new, never half. */
async function writeTextAtomic(file: string, text: string): Promise<void> {
  const temporary = vscode.Uri.file(path.join(path.dirname(file), `.${path.basename(file)}.${randomUUID().slice(0, 8)}.tmp`));
  await vscode.workspace.fs.writeFile(temporary, new TextEncoder().encode(text));
  try {
    await vscode.workspace.fs.rename(temporary, vscode.Uri.file(file), { overwrite: true });
  } catch (error) {
    await vscode.workspace.fs.delete(temporary, { recursive: false, useTrash: false }).then(undefined, () => undefined);
    throw error;
  }
}
