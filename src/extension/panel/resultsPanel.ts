import * as path from 'path';
import * as vscode from 'vscode';
import type { FromWebviewMessage, RequestDuplicateGroups, RequestPage, ScanStopped, ScoresSnapshot, ToWebviewMessage } from '../../protocol/webview';
import type { SelectionActions } from '../actions/selectionActions';
import { VIEWS } from '../commands/commandIds';
import type { ResultSet, ScanStop } from '../results/resultSet';
import type { ResultsModel } from '../results/resultsModel';
import { rankingState } from '../results/ranking';
import type { OutputLog } from '../ui/outputLog';
import { duplicateGroupsPage } from './duplicateGroupPages';
import { GalleryPages, scoredFacts, scoredGalleryItem, toGalleryItem } from './galleryPages';
import type { PanelEngine } from './panelEngine';
import { createNonce, panelHtml } from './panelHtml';
import { parseFromWebview } from './webviewMessages';

/** Snapshots while a scan streams: often enough to look live, rarely enough to keep the host idle. */
const SNAPSHOT_INTERVAL_MS = 250;

/** Extensions a webview cannot show by itself: the engine converts them to PNG. */
const CONVERTED_EXTENSIONS = new Set(['.tif', '.tiff']);

/**
 * The host side of the results panel: serves the page, queues messages until the webview's
 * `ready`, streams score snapshots (throttled), answers page, pixel-map and training requests,
 * and takes the user's threshold. Paths the webview names are checked against the scan's results.
 */
export class ResultsPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | null = null;
  private ready = false;
  private queue: ToWebviewMessage[] = [];
  private pages: GalleryPages | null = null;
  private snapshotTimer: NodeJS.Timeout | null = null;
  private lastSnapshotAt = 0;
  private readonly convertedUris = new Map<string, Promise<string>>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly unsubscribe: () => void;
  /** The stop the webview was last told about, so each is posted once (and again after `ready`). */
  private postedStop: ScanStop | null = null;
  private readonly retryRequested = new vscode.EventEmitter<string>();
  /** The user pressed Retry on a stopped scan in the panel; the listener gets its `scanId`. */
  readonly onDidRequestRetry = this.retryRequested.event;
  private readonly retrainRequested = new vscode.EventEmitter<string>();
  /** The user pressed "Retrain without flagged" in the panel; the listener gets the `scanId`. */
  readonly onDidRequestRetrain = this.retrainRequested.event;

  constructor(private readonly extensionUri: vscode.Uri, private readonly model: ResultsModel, private readonly engine: PanelEngine, private readonly log: OutputLog, private readonly actions: SelectionActions) {
    this.disposables.push(actions.onDidChange(() => this.post(actions.state())));
    this.unsubscribe = model.onDidChange((change) => {
      if (change.kind === 'resultSet') {
        this.pages = model.resultSet ? new GalleryPages(model.resultSet) : null;
        this.convertedUris.clear();
        this.updateRoots();
        this.postSnapshotNow();
      } else if (change.kind === 'results') {
        this.scheduleSnapshot();
      } else if (change.kind === 'threshold' && change.source !== 'panel') {
        this.post({ type: 'setThreshold', threshold: model.threshold });
      }
    });
  }

  /** Whether the panel is open. */
  get isOpen(): boolean {
    return this.panel !== null;
  }

  /** The webview panel, while open (tests inspect it). */
  get webviewPanel(): vscode.WebviewPanel | null {
    return this.panel;
  }

  /** Opens the panel, or brings it to the front. */
  show(): void {
    if (this.panel) {
      this.panel.reveal(undefined, true);
      return;
    }
    const panel = vscode.window.createWebviewPanel(VIEWS.resultsPanel, this.title(), { viewColumn: vscode.ViewColumn.Active, preserveFocus: false }, {
      enableScripts: true,
      retainContextWhenHidden: false,
      localResourceRoots: this.roots(),
    });
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'outlier-lens.svg');
    this.panel = panel;
    this.ready = false;
    const nonce = createNonce();
    panel.webview.html = panelHtml({
      cspSource: panel.webview.cspSource,
      nonce,
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview.js')).toString(),
      styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview.css')).toString(),
    });
    this.disposables.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)),
      // A hidden webview is torn down (no retained context): it says `ready` again when shown.
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.ready = false;
      }),
      panel.onDidDispose(() => {
        this.panel = null;
        this.ready = false;
        this.queue = [];
        // Undo is offered while the panel is open: closing it drops the history and the copies it kept.
        void this.actions.clear();
      }),
    );
  }

  dispose(): void {
    this.unsubscribe();
    this.retryRequested.dispose();
    this.retrainRequested.dispose();
    if (this.snapshotTimer) clearTimeout(this.snapshotTimer);
    this.panel?.dispose();
    for (const disposable of this.disposables) disposable.dispose();
  }

  private title(): string {
    const resultSet = this.model.resultSet;
    return resultSet ? `Outlier Lens: ${path.basename(resultSet.folder)}` : 'Outlier Lens';
  }

  private roots(): vscode.Uri[] {
    const roots = [vscode.Uri.joinPath(this.extensionUri, 'dist'), vscode.Uri.joinPath(this.extensionUri, 'media')];
    const folder = this.model.resultSet?.folder;
    return folder ? [...roots, vscode.Uri.file(folder)] : roots;
  }

  private updateRoots(): void {
    if (this.panel) {
      this.panel.webview.options = { enableScripts: true, localResourceRoots: this.roots() };
      this.panel.title = this.title();
    }
  }

  private post(message: ToWebviewMessage): void {
    if (!this.panel) {
      return;
    }
    if (!this.ready) {
      // Only the newest snapshot and action state matter once the webview is ready.
      const latestOnly = message.type === 'scoresSnapshot' || message.type === 'actionState';
      this.queue = latestOnly ? [...this.queue.filter((queued) => queued.type !== message.type), message] : [...this.queue, message];
      return;
    }
    void this.panel.webview.postMessage(message);
  }

  private snapshot(resultSet: ResultSet): ScoresSnapshot {
    const previousRanking = this.model.previousRankings.forResultSet(resultSet);
    return {
      type: 'scoresSnapshot',
      scanId: resultSet.scanId,
      revision: resultSet.revision,
      folderLabel: path.basename(resultSet.folder),
      detectorName: resultSet.detector.manifest.name,
      scores: resultSet.scores(),
      ranking: rankingState(resultSet.detector.manifest.calibration != null, resultSet.ranking, resultSet.tailSignals, resultSet.calibration.current?.source),
      ...(resultSet.groundTruth.isEmpty ? {} : { labels: resultSet.labelCodes() }),
      failedCount: resultSet.failedCount,
      threshold: this.model.threshold,
      ...(this.model.detectorThreshold ? { detectorThreshold: this.model.detectorThreshold } : {}),
      complete: !resultSet.streaming,
      ...(resultSet.expectedCount === null ? {} : { expectedCount: resultSet.expectedCount }),
      reasonCounts: resultSet.reasonCounts(),
      duplicateGroupCount: resultSet.folderFindings.duplicates.exact.length + resultSet.folderFindings.duplicates.near.length,
      ...(resultSet.folderFindings.skipped ? { folderReasonsSkipped: true } : {}),
      ...(previousRanking ? { previousRanking } : {}),
    };
  }

  /** The `scanStopped` message of a stopped result set. */
  private stopMessage(resultSet: ResultSet, stop: ScanStop): ScanStopped {
    return { type: 'scanStopped', scanId: resultSet.scanId, outcome: stop.outcome, reason: stop.reason };
  }

  private postSnapshotNow(): void {
    if (this.snapshotTimer) {
      clearTimeout(this.snapshotTimer);
      this.snapshotTimer = null;
    }
    const resultSet = this.model.resultSet;
    if (resultSet && this.panel) {
      this.lastSnapshotAt = performance.now();
      this.post(this.snapshot(resultSet));
      const stop = resultSet.stopped;
      if (stop && stop !== this.postedStop) this.post(this.stopMessage(resultSet, stop));
      this.postedStop = stop;
    }
  }

  private scheduleSnapshot(): void {
    if (this.snapshotTimer || !this.panel) {
      return;
    }
    const wait = Math.max(0, this.lastSnapshotAt + SNAPSHOT_INTERVAL_MS - performance.now());
    this.snapshotTimer = setTimeout(() => {
      this.snapshotTimer = null;
      this.postSnapshotNow();
    }, wait);
  }

  private async receive(raw: unknown): Promise<void> {
    const message = parseFromWebview(raw);
    if (!message) {
      this.log.warn(`results panel: ignored a malformed message ${JSON.stringify(raw)?.slice(0, 200)}`);
      return;
    }
    try {
      await this.handle(message);
    } catch (error) {
      if ('requestId' in message) {
        this.post({ type: 'requestFailed', inReplyTo: message.requestId, reason: (error as Error).message });
      } else {
        this.log.error(`results panel: ${(error as Error).message}`);
      }
    }
  }

  private async handle(message: FromWebviewMessage): Promise<void> {
    const resultSet = this.model.resultSet;
    switch (message.type) {
      case 'ready': {
        this.ready = true;
        // A queued snapshot may be older than the results (a throttled one is still due): send the current one.
        const queued: ToWebviewMessage[] = [...this.queue.filter((entry) => entry.type !== 'scoresSnapshot' && entry.type !== 'actionState'), this.actions.state()];
        this.queue = [];
        if (resultSet) {
          queued.unshift(this.snapshot(resultSet));
          this.lastSnapshotAt = performance.now();
        }
        // A webview that was hidden lost what it showed: tell it again why the scan stopped.
        const stop = resultSet?.stopped;
        if (resultSet && stop && !queued.some((entry) => entry.type === 'scanStopped')) queued.push(this.stopMessage(resultSet, stop));
        for (const entry of queued) void this.panel?.webview.postMessage(entry);
        return;
      }
      case 'requestPage':
        return this.answerPage(message);
      case 'requestDuplicateGroups':
        return this.answerDuplicateGroups(message);
      case 'requestPixelMaps': {
        const image = resultSet?.scoredImage(message.relativePath);
        if (!resultSet || !image) throw new Error(`${message.relativePath} is not a scored image of this scan`);
        const maps = await this.engine.pixelMaps(resultSet.folder, resultSet.detector, message.relativePath);
        const item = scoredGalleryItem(image, scoredFacts(resultSet, image), await this.imageUri(resultSet, image.relativePath));
        this.post({ type: 'pixelMapsReply', inReplyTo: message.requestId, item, maps });
        return;
      }
      case 'requestTraining': {
        if (!resultSet) throw new Error('no detector: scan a folder first');
        const models = await this.engine.training(resultSet.detector, message.includeSamples);
        this.post({ type: 'trainingReply', inReplyTo: message.requestId, detectorName: resultSet.detector.manifest.name, ...(models ? { models } : {}) });
        return;
      }
      case 'didChangeThreshold':
        this.model.setThreshold(message.threshold, 'panel');
        return;
      case 'didChangeRanking':
        this.model.setRanking(message.ranking);
        return;
      case 'didChangeSelection':
        this.model.setSelection(message.selected);
        return;
      case 'retryScan':
        this.retryRequested.fire(message.scanId);
        return;
      case 'retrainWithoutFlagged':
        this.retrainRequested.fire(message.scanId);
        return;
      case 'actOnSelection':
        return this.actions.act(message.action, message.paths);
      case 'undoLastAction':
        return this.actions.undo();
      case 'openImage':
      case 'revealInExplorer': {
        if (!resultSet || !resultSet.has(message.relativePath)) throw new Error(`${message.relativePath} is not one of this scan's files`);
        const uri = vscode.Uri.file(path.join(resultSet.folder, message.relativePath));
        await vscode.commands.executeCommand(message.type === 'openImage' ? 'vscode.open' : 'revealInExplorer', uri);
        return;
      }
    }
  }

  private async answerPage(message: RequestPage): Promise<void> {
    const resultSet = this.model.resultSet;
    if (!resultSet || !this.pages) {
      this.post({ type: 'pageReply', inReplyTo: message.requestId, revision: 0, offset: message.offset, total: 0, items: [] });
      return;
    }
    const revision = resultSet.revision;
    const { total, entries } = this.pages.page(message.query, message.offset, message.limit);
    const items = await Promise.all(entries.map(async (entry) => toGalleryItem(entry, entry.kind === 'scored' ? await this.imageUri(resultSet, entry.image.relativePath) : '')));
    this.post({ type: 'pageReply', inReplyTo: message.requestId, revision, offset: message.offset, total, items });
  }

  private async answerDuplicateGroups(message: RequestDuplicateGroups): Promise<void> {
    const resultSet = this.model.resultSet;
    if (!resultSet) throw new Error('no results: scan a folder first');
    const revision = resultSet.revision;
    const { total, groups } = duplicateGroupsPage(resultSet, message.offset, message.limit);
    const listed = await Promise.all(groups.map(async (group) => ({
      kind: group.kind,
      items: await Promise.all(group.images.map(async (image) =>
        scoredGalleryItem(image, scoredFacts(resultSet, image), await this.imageUri(resultSet, image.relativePath)),
      )),
    })));
    this.post({ type: 'duplicateGroupsReply', inReplyTo: message.requestId, revision, offset: message.offset, total, groups: listed });
  }

  /** A URI the webview can load: the file itself, or a PNG data URI the engine made for TIFF. */
  private imageUri(resultSet: ResultSet, relativePath: string): Promise<string> {
    const file = path.join(resultSet.folder, relativePath);
    if (!CONVERTED_EXTENSIONS.has(path.extname(file).toLowerCase()) || !this.panel) {
      return Promise.resolve(this.panel ? this.panel.webview.asWebviewUri(vscode.Uri.file(file)).toString() : '');
    }
    let converted = this.convertedUris.get(relativePath);
    if (!converted) {
      converted = this.engine.displayImage(resultSet.folder, relativePath).then(
        (png) => `data:image/png;base64,${Buffer.from(png).toString('base64')}`,
        () => '',
      );
      this.convertedUris.set(relativePath, converted);
    }
    return converted;
  }
}
