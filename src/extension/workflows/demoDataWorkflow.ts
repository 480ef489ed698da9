import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { WriteDemoDataResult } from '../../protocol/engine';
import type { ExtensionServices } from '../services';

/** The demo folder's name inside the first workspace folder. */
export const DEMO_FOLDER_NAME = 'outlier-lens-demo';

/**
 * The walkthrough's "Get Demo Data": the engine writes Fashion-MNIST images (inliers), MNIST
 * digits (outliers) and two broken files into `<workspace>/outlier-lens-demo` (or `-2`, `-3`… when
 * taken), and the Explorer shows it. Returns what was written, undefined without a workspace.
 */
export async function getDemoData(services: ExtensionServices): Promise<WriteDemoDataResult | undefined> {
  const workspace = vscode.workspace.workspaceFolders?.[0];
  if (!workspace) {
    void vscode.window.showErrorMessage('Outlier Lens: open a folder first; the demo data is written into it.');
    return undefined;
  }
  const folder = freeFolder(workspace.uri.fsPath);
  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Outlier Lens: writing demo data into ${path.basename(folder)}…` }, async () => {
    const job = services.engine.request({ type: 'writeDemoData', folder });
    return job.result;
  });
  services.log.info(`demo data: ${result.inliers.count} ${result.inliers.folder}/, ${result.outliers.count} ${result.outliers.folder}/, broken ${result.broken.join(', ')} in ${folder}`);
  await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(folder));
  void vscode.window.showInformationMessage(
    `Outlier Lens: ${path.basename(folder)} holds ${result.inliers.count} Fashion-MNIST images (${result.inliers.folder}/), ${result.outliers.count} MNIST digits (${result.outliers.folder}/) and ${result.broken.length} broken files. Next: right-click it → Scan Folder.`,
  );
  return result;
}

function freeFolder(workspace: string): string {
  for (let suffix = 1; ; suffix++) {
    const candidate = path.join(workspace, suffix === 1 ? DEMO_FOLDER_NAME : `${DEMO_FOLDER_NAME}-${suffix}`);
    if (!fs.existsSync(candidate)) return candidate;
  }
}
