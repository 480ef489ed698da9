import * as vscode from 'vscode';
import type { ExtensionServices } from '../services';
import { SettingError } from '../settings/parseSettings';
import { selectComputeBackend } from '../workflows/backendWorkflow';
import { getDemoData } from '../workflows/demoDataWorkflow';
import { exportOutliers } from '../workflows/exportWorkflow';
import { showSamples } from '../workflows/samplesWorkflow';
import { scanFolderCommand } from '../workflows/scanWorkflow';
import { trainDetector } from '../workflows/trainWorkflow';
import { askForFolder } from '../detectors/detectorPicker';
import type { LabelMarks } from '../groundTruth/labelMarks';
import { clearFolderMarks, markFolders } from '../workflows/labelWorkflow';
import type { CommandId } from './commandIds';
import { COMMANDS } from './commandIds';

/** A command's handler; its result is returned to `executeCommand` callers (tests, other extensions). */
type Handler = (...args: unknown[]) => Promise<unknown>;

/** The first argument as a Uri, when the Explorer passed one. */
function uriArgument(args: unknown[]): vscode.Uri | undefined {
  return args[0] instanceof vscode.Uri ? args[0] : undefined;
}

/** Every command's handler (package.json contributes the same ids). */
function handlers(services: ExtensionServices, marks: LabelMarks): Record<CommandId, Handler> {
  return {
    [COMMANDS.scanFolder]: (...args) => scanFolderCommand(services, uriArgument(args), marks.all().filter((mark) => mark.label === 'inlier').map((mark) => mark.folder)),
    [COMMANDS.trainDetector]: async (...args) => {
      const folder = uriArgument(args) ?? (await askForFolder('Outlier Lens: train a detector on a folder of normal images', 'Train'));
      return folder ? trainDetector(services, folder.fsPath) : undefined;
    },
    [COMMANDS.openResults]: async () => {
      if (!services.model.resultSet) {
        const scan = 'Scan Folder…';
        if ((await vscode.window.showInformationMessage('Outlier Lens: no results yet. Scan a folder first.', scan)) === scan) {
          await vscode.commands.executeCommand(COMMANDS.scanFolder);
        }
        return false;
      }
      services.panel.show();
      return true;
    },
    [COMMANDS.exportJson]: (...args) => exportOutliers(services, 'json', uriArgument(args)),
    [COMMANDS.exportCsv]: (...args) => exportOutliers(services, 'csv', uriArgument(args)),
    [COMMANDS.showSamples]: () => showSamples(services),
    [COMMANDS.selectBackend]: () => selectComputeBackend(),
    [COMMANDS.cancel]: async () => {
      const count = services.engine.cancelAll();
      if (count === 0) {
        void vscode.window.showInformationMessage('Outlier Lens: nothing is running.');
      }
      return count;
    },
    [COMMANDS.markInliers]: (...args) => markFolders(marks, services.model, 'inlier', args),
    [COMMANDS.markOutliers]: (...args) => markFolders(marks, services.model, 'outlier', args),
    [COMMANDS.clearLabelMark]: (...args) => clearFolderMarks(marks, args),
    [COMMANDS.getDemoData]: () => getDemoData(services),
  };
}

/** Registers every command; a settings error is shown as such instead of a stack trace. */
export function registerCommands(services: ExtensionServices, marks: LabelMarks): vscode.Disposable[] {
  return Object.entries(handlers(services, marks)).map(([id, handler]) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await handler(...args);
      } catch (error) {
        const message = error instanceof SettingError ? error.message : `${id}: ${(error as Error).message}`;
        services.log.error(error instanceof SettingError ? message : `${id}: ${(error as Error).stack ?? String(error)}`);
        void vscode.window.showErrorMessage(`Outlier Lens: ${message}`);
        return undefined;
      }
    }),
  );
}
