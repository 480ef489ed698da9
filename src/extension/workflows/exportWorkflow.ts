import { promises as fs } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { ExportRows, OutlierExport } from '../../engine/export/outlierExport';
import { countOutliers } from '../../common/threshold/outlierRule';
import { NO_FOLDER_FINDINGS } from '../results/folderFindings';
import type { ResultSet } from '../results/resultSet';
import type { ExtensionServices } from '../services';
import { defaultExportFile } from './exportLocation';
import type { ExportFormat } from './panelExport';
import { writePanelExport } from './panelExport';

export type { ExportFormat } from './panelExport';

/**
 * Exports the shown results with the ranking and threshold the user set (panel or side view): under
 * the verdict ranking each item's outlier score, reasons and flag follow the panel's signals and
 * cuts, and the export's `verdict` says which (signals, cuts, score threshold). Asks which rows
 * (the flagged or all) and where, in the workspace's `.outlier-lens/exports/` by default, unless
 * `target` is given (then all rows unless `rows` says otherwise). Writes atomically (a crash
 * leaves the old file); a ground-truth `label` is written for every labelled image.
 */
export async function exportOutliers(services: ExtensionServices, format: ExportFormat, target?: vscode.Uri, rows?: ExportRows): Promise<vscode.Uri | undefined> {
  const resultSet = services.model.resultSet;
  if (!resultSet) {
    void vscode.window.showInformationMessage('Outlier Lens: nothing to export yet. Scan a folder first.');
    return undefined;
  }
  const threshold = services.model.threshold;
  const chosenRows = rows ?? (target ? 'all' : await pickRows(resultSet, threshold.value));
  if (!chosenRows) {
    return undefined;
  }
  let uri = target;
  if (!uri) {
    const suggested = defaultExportFile(resultSet.folder, chosenRows, format);
    // The dialog opens in the folder only if it exists.
    await fs.mkdir(path.dirname(suggested), { recursive: true }).catch(() => undefined);
    uri = await vscode.window.showSaveDialog({
      title: `Outlier Lens: export ${chosenRows === 'flagged' ? 'the flagged images' : 'all images'} as ${format.toUpperCase()}`,
      saveLabel: 'Export',
      defaultUri: vscode.Uri.file(suggested),
      filters: format === 'json' ? { JSON: ['json'] } : { CSV: ['csv'] },
    });
  }
  if (!uri) {
    return undefined;
  }
  const findings = (await services.model.folderFindingsNow()) ?? NO_FOLDER_FINDINGS;
  let counts: OutlierExport['counts'];
  try {
    await fs.mkdir(path.dirname(uri.fsPath), { recursive: true });
    // Streamed from the results' store to a temporary file renamed into place: a crash leaves the old file.
    counts = await writePanelExport(uri.fsPath, { resultSet, threshold, rows: chosenRows, format, findings });
  } catch (error) {
    void vscode.window.showErrorMessage(`Outlier Lens: could not write ${uri.fsPath}: ${(error as Error).message}`);
    return undefined;
  }
  const written = uri;
  const partial = resultSet.complete ? '' : ' (the scan was still running: partial results)';
  const what = chosenRows === 'flagged' ? `${counts.outliers} flagged images` : `${counts.images} images (${counts.outliers} flagged)`;
  services.log.info(`exported ${what} to ${written.fsPath}${partial}`);
  void vscode.window.showInformationMessage(`Outlier Lens: ${what} exported to ${path.basename(written.fsPath)}${partial}.`, 'Open').then((answer) => {
    if (answer === 'Open') void vscode.commands.executeCommand('vscode.open', written);
  });
  return written;
}

async function pickRows(resultSet: ResultSet, threshold: number): Promise<ExportRows | undefined> {
  const scores = resultSet.scores();
  const flagged = countOutliers(scores, threshold);
  const choices: Array<vscode.QuickPickItem & { rows: ExportRows }> = [
    { label: 'Flagged only', description: `${flagged} images above the threshold`, rows: 'flagged' },
    { label: 'All rows', description: `${scores.length} images, each marked outlier or inlier`, rows: 'all' },
  ];
  const picked = await vscode.window.showQuickPick(choices, { title: 'Outlier Lens: what to export' });
  return picked?.rows;
}
