import * as vscode from 'vscode';

/** Why training is off in Restricted Mode. */
export const RESTRICTED_TRAINING = 'Outlier Lens does not train detectors in Restricted Mode: training reads every file of the folder and writes a detector into the workspace. Trust this workspace to train.';

/** Why workspace detectors are not loaded in Restricted Mode. */
export const RESTRICTED_DETECTORS = 'Outlier Lens does not load detectors from an untrusted workspace: a detector folder decides what the engine computes and may have been put there by anyone. Trust the workspace, or choose a detector folder outside it.';

/** Shows why something is off in Restricted Mode, with a way to manage trust. */
export async function explainRestricted(message: string): Promise<void> {
  const manage = 'Manage Workspace Trust';
  if ((await vscode.window.showWarningMessage(message, manage)) === manage) {
    await vscode.commands.executeCommand('workbench.trust.manage');
  }
}
