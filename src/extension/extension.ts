// The extension's entry. Activation stays light: no TensorFlow.js, no sharp, no engine code that
// pulls them in (only `import type` and the pure export/atomic-write/percentile/manifest modules).
// Everything heavy runs in the engine worker, started on the first job.
import * as path from 'path';
import * as vscode from 'vscode';
import { SelectionActions } from './actions/selectionActions';
import { VIEWS } from './commands/commandIds';
import { registerCommands } from './commands/registerCommands';
import { EngineService } from './engine/engineService';
import { GroundTruthSync } from './groundTruth/groundTruthSync';
import { LabelMarks } from './groundTruth/labelMarks';
import { LabelMenuContext } from './groundTruth/labelMenuContext';
import { MarkDecorations } from './groundTruth/markDecorations';
import { PanelEngine } from './panel/panelEngine';
import { checkPackagedNativeParts } from './platform/nativePartsCheck';
import { ResultsPanel } from './panel/resultsPanel';
import { ResultCache } from './results/resultCache';
import { ResultsModel } from './results/resultsModel';
import type { ExtensionServices } from './services';
import { readSettings } from './settings/settings';
import { SideViewProvider } from './sideView/sideViewProvider';
import { OutputLog } from './ui/outputLog';
import { EngineStatusBar } from './ui/statusBar';
import { retrainWithoutFlagged } from './workflows/retrainWorkflow';
import { retryScan } from './workflows/scanWorkflow';

/** What `activate` returns: the services, for tests and for other extensions that drive Outlier Lens. */
export interface OutlierLensApi {
  readonly services: ExtensionServices;
  readonly sideView: SideViewProvider;
  readonly statusBar: EngineStatusBar;
  /** Folders marked as inliers or outliers in the Explorer. */
  readonly labelMarks: LabelMarks;
  /** Applies marks and the labels file to the results shown. */
  readonly groundTruth: GroundTruthSync;
}

let active: ExtensionServices | null = null;

/** Registers commands, the side view, the status bar and the output channel; starts no process. */
export function activate(context: vscode.ExtensionContext): OutlierLensApi {
  const log = new OutputLog(vscode.window.createOutputChannel('Outlier Lens'));
  const statusBar = new EngineStatusBar();
  const model = new ResultsModel((message) => log.warn(message));
  const storageFolder = (context.storageUri ?? context.globalStorageUri).fsPath;
  const engine = new EngineService({ modulePath: context.asAbsolutePath(path.join('dist', 'engine.js')) }, log, statusBar, model, readSettings().backend);
  const cache = new ResultCache(storageFolder);
  const labelMarks = new LabelMarks(context.workspaceState);
  const groundTruth = new GroundTruthSync(model, labelMarks, log);
  const actions = new SelectionActions({
    model,
    log,
    cache,
    storageFolder,
    labels: {
      file: () => groundTruth.labelsFile,
      relabel: () => {
        groundTruth.refresh();
        return groundTruth.settled();
      },
    },
  });
  const panel = new ResultsPanel(context.extensionUri, model, new PanelEngine(engine, log), log, actions);
  const services: ExtensionServices = {
    engine,
    model,
    log,
    cache,
    panel,
    globalDetectorRoot: path.join(context.globalStorageUri.fsPath, 'detectors'),
    storageFolder,
    toolVersion: String((context.extension.packageJSON as { version?: unknown }).version ?? '0.0.0'),
    backendDescription: () => engine.backendDescription,
  };
  const sideView = new SideViewProvider(context.extensionUri, model, () => engine.backendDescription ?? `${engine.backendChoice} (starts with the first job)`, log);
  const markDecorations = new MarkDecorations(labelMarks);
  statusBar.setChoice(engine.backendChoice);
  context.subscriptions.push(
    { dispose: () => model.dispose() },
    groundTruth,
    new LabelMenuContext(model, labelMarks),
    markDecorations,
    vscode.window.registerFileDecorationProvider(markDecorations),
    panel.onDidRequestRetrain((scanId) => {
      retrainWithoutFlagged(services, scanId, labelMarks.all()).catch((error: Error) => {
        log.error(`retrain: ${error.stack ?? error.message}`);
        void vscode.window.showErrorMessage(`Outlier Lens: could not retrain: ${error.message}`);
      });
    }),
    panel.onDidRequestRetry((scanId) => {
      retryScan(services, scanId).catch((error: Error) => {
        log.error(`retry: ${error.stack ?? error.message}`);
        void vscode.window.showErrorMessage(`Outlier Lens: the scan could not start again: ${error.message}`);
      });
    }),
    statusBar,
    engine,
    panel,
    actions,
    sideView,
    vscode.window.registerWebviewViewProvider(VIEWS.sideView, sideView),
    ...registerCommands(services, labelMarks),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('outlierLens.backend')) {
        engine.backendSettingChanged(readSettings().backend);
        sideView.refresh();
      }
      if (event.affectsConfiguration('outlierLens.labelsFile')) groundTruth.refresh();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => sideView.refresh()),
  );
  active = services;
  log.info(`Outlier Lens ${services.toolVersion} activated`);
  checkPackagedNativeParts(context.extensionUri.fsPath, log);
  return { services, sideView, statusBar, labelMarks, groundTruth };
}

/** Kills the engine worker (it also exits by itself when the host goes away). */
export function deactivate(): void {
  active?.engine.dispose();
  active = null;
}
