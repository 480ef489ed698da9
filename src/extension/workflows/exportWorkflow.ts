import * as path from 'path';
import * as vscode from 'vscode';
import { buildOutlierExport, toCsv } from '../../engine/export/outlierExport';
import { writeFileAtomic } from '../../engine/store/atomicWrite';
import type { ExtensionServices } from '../services';

/** The two export formats. */
export type ExportFormat = 'json' | 'csv';

/**
 * Exports the shown results with the threshold the user set (panel or side view): asks where with
 * a save dialog unless `target` is given, and writes atomically (a crash leaves the old file).
 */
export async function exportOutliers(services: ExtensionServices, format: ExportFormat, target?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const resultSet = services.model.resultSet;
  if (!resultSet) {
    void vscode.window.showInformationMessage('Outlier Lens: nothing to export yet. Scan a folder first.');
    return undefined;
  }
  const uri = target ?? (await vscode.window.showSaveDialog({
    title: `Outlier Lens: export outliers as ${format.toUpperCase()}`,
    saveLabel: 'Export',
    defaultUri: vscode.Uri.file(path.join(resultSet.folder, `outliers.${format}`)),
    filters: format === 'json' ? { JSON: ['json'] } : { CSV: ['csv'] },
  }));
  if (!uri) {
    return undefined;
  }
  const exported = buildOutlierExport({
    detector: { name: resultSet.detector.manifest.name, manifestSha256: resultSet.detector.manifestSha256 },
    folder: resultSet.folder,
    threshold: services.model.threshold,
    items: resultSet.scoredByScore(),
    failures: resultSet.failuresByPath(),
  });
  const text = format === 'json' ? `${JSON.stringify(exported, null, 2)}\n` : toCsv(exported);
  try {
    await writeFileAtomic(uri.fsPath, text);
  } catch (error) {
    void vscode.window.showErrorMessage(`Outlier Lens: could not write ${uri.fsPath}: ${(error as Error).message}`);
    return undefined;
  }
  const partial = resultSet.complete ? '' : ' (the scan was still running: partial results)';
  services.log.info(`exported ${exported.counts.outliers} outliers of ${exported.counts.images} images to ${uri.fsPath}${partial}`);
  void vscode.window.showInformationMessage(`Outlier Lens: ${exported.counts.outliers} outliers of ${exported.counts.images} images exported to ${path.basename(uri.fsPath)}${partial}.`, 'Open').then((answer) => {
    if (answer === 'Open') void vscode.commands.executeCommand('vscode.open', uri);
  });
  return uri;
}
