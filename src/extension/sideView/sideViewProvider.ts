import * as vscode from 'vscode';
import { VIEWS } from '../commands/commandIds';
import { createNonce } from '../panel/panelHtml';
import type { ResultsModel } from '../results/resultsModel';
import { summariseGroundTruth } from '../groundTruth/groundTruthSummary';
import { countOutliers } from '../../common/threshold/outlierRule';
import { LABEL_CODE } from '../../protocol/webview';
import { thresholdReadings, typedThreshold } from '../results/thresholdPolicy';
import type { OutputLog } from '../ui/outputLog';
import type { SideViewState } from '../../protocol/sideView';
import { parseFromSideView } from './sideViewMessages';
import { sideViewHtml } from './sideViewHtml';

/**
 * The Outlier Lens side view: the current detector and folder, counts, the ground truth and its
 * AUROC when folders are labelled, the threshold (percentile or score, kept in step with the
 * panel) and buttons for scan, results, export and cancel.
 */
export class SideViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  /** The view's id in package.json. */
  static readonly viewId = VIEWS.sideView;
  private view: vscode.WebviewView | null = null;
  private ready = false;
  private stateTimer: NodeJS.Timeout | null = null;
  private readonly unsubscribe: () => void;
  private thresholdError: string | null = null;

  constructor(private readonly extensionUri: vscode.Uri, private readonly model: ResultsModel, private readonly backend: () => string, private readonly log: OutputLog) {
    this.unsubscribe = model.onDidChange((change) => {
      if (change.kind === 'threshold' && change.source !== 'sideView') this.thresholdError = null;
      if (change.kind === 'results') {
        this.scheduleState();
      } else if (!(change.kind === 'threshold' && change.source === 'sideView')) {
        this.postState();
      }
    });
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.ready = false;
    const elements = vscode.Uri.joinPath(this.extensionUri, 'node_modules', '@vscode-elements', 'elements', 'dist');
    view.webview.options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist'), elements] };
    const nonce = createNonce();
    view.webview.html = sideViewHtml({
      cspSource: view.webview.cspSource,
      nonce,
      elementsUri: view.webview.asWebviewUri(vscode.Uri.joinPath(elements, 'bundled.js')).toString(),
      scriptUri: view.webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'sideView.js')).toString(),
    });
    view.webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw));
    view.onDidDispose(() => {
      this.view = null;
      this.ready = false;
    });
  }

  /** The state the view shows now (tests read it). */
  state(): SideViewState {
    const resultSet = this.model.resultSet;
    const scores = resultSet ? resultSet.scores() : new Float32Array(0);
    return {
      type: 'state',
      detector: resultSet?.detector.manifest.name ?? null,
      folder: resultSet?.folder ?? null,
      scored: resultSet?.scoredCount ?? 0,
      failed: resultSet?.failedCount ?? 0,
      outliers: resultSet ? countOutliers(scores, this.model.threshold.value) : 0,
      selected: resultSet?.selected.length ?? 0,
      groundTruth: resultSet && !resultSet.groundTruth.isEmpty ? summariseGroundTruth(scores, resultSet.labelCodes()) : null,
      threshold: resultSet ? this.model.threshold : null,
      detectorThreshold: this.model.detectorThreshold,
      canSetFpr: resultSet !== null && resultSet.labelCodes().includes(LABEL_CODE.inlier),
      thresholdReadings: resultSet ? thresholdReadings(scores, resultSet.groundTruth.isEmpty ? null : resultSet.labelCodes(), this.model.threshold.value) : null,
      thresholdError: this.thresholdError,
      running: this.model.jobRunning,
      trusted: vscode.workspace.isTrusted,
      backend: this.backend(),
    };
  }

  /** Re-sends the state (trust or backend changed). */
  refresh(): void {
    this.postState();
  }

  dispose(): void {
    this.unsubscribe();
    if (this.stateTimer) clearTimeout(this.stateTimer);
  }

  /** Streaming results change the counts many times a second: a few updates a second suffice. */
  private scheduleState(): void {
    if (!this.stateTimer) {
      this.stateTimer = setTimeout(() => {
        this.stateTimer = null;
        this.postState();
      }, 300);
    }
  }

  private postState(): void {
    if (this.view && this.ready) {
      void this.view.webview.postMessage(this.state());
    }
  }

  private async receive(raw: unknown): Promise<void> {
    const message = parseFromSideView(raw);
    if (!message) {
      this.log.warn(`side view: ignored a malformed message ${JSON.stringify(raw)?.slice(0, 200)}`);
      return;
    }
    if (message.type === 'ready') {
      this.ready = true;
      this.postState();
    } else if (message.type === 'setThreshold') {
      const resultSet = this.model.resultSet;
      if (!resultSet) return;
      const typed = typedThreshold(message.method, message.text, resultSet.scores(), resultSet.groundTruth.isEmpty ? null : resultSet.labelCodes());
      this.thresholdError = typed.ok ? null : typed.message;
      if (typed.ok) this.model.setThreshold(typed.setting, 'sideView');
      this.postState();
    } else if (message.type === 'resetThreshold') {
      const own = this.model.detectorThreshold;
      this.thresholdError = null;
      if (own) this.model.setThreshold(own, 'sideView');
      this.postState();
    } else {
      await vscode.commands.executeCommand(message.command);
    }
  }
}
