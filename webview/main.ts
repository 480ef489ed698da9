// The panel webview's entry: wires the store, the host channel and the views, then says `ready`.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import { applySnapshot } from './app/applySnapshot';
import type { ActionState } from '../src/protocol/webview';
import type { AppState } from './app/appState';
import { FrameScheduler } from './app/frameScheduler';
import { UiPersistence, type PersistedState } from './app/persistence';
import { Store } from './app/store';
import { RankingSync } from './app/rankingSync';
import { ThresholdSync } from './app/thresholdSync';
import { createViewTabs } from './app/viewTabs';
import { ScoresPanel } from './charts/scoresPanel';
import { DetailView } from './detail/detailView';
import { element } from './dom/element';
import { DuplicatesView } from './duplicates/duplicatesView';
import { GalleryController } from './gallery/galleryController';
import { HostChannel } from './messaging/hostChannel';
import { absoluteThreshold } from './scores/thresholdSettings';
import { ScanStatus } from './toolbar/scanStatus';
import { SelectionActionBar } from './toolbar/selectionActionBar';
import { Toolbar } from './toolbar/toolbar';
import { TrainingView } from './training/trainingView';

function main(): void {
  performance.mark('outlier-lens:boot');
  const api = acquireVsCodeApi<PersistedState>();
  const persistence = new UiPersistence(api);
  const restored = persistence.restore();
  const store = new Store<AppState>({ ...restored.ui, scan: null, stopped: null, actions: null });
  const channel = new HostChannel(api, window);
  const scheduler = new FrameScheduler();
  const threshold = new ThresholdSync(store, channel);
  const ranking = new RankingSync(store, channel);

  // The detail view steps through the gallery's list; the gallery opens the detail view.
  const detail: DetailView = new DetailView(store, channel, scheduler, {
    get total() {
      return gallery.total;
    },
    itemAt: (index) => gallery.itemAt(index),
    select: (index) => gallery.select(index),
    showAgain: () => gallery.showAgain(),
  });
  const gallery = new GalleryController(store, channel, scheduler, (item, index) => detail.open(item, index));
  const galleryPanel = element('div', { id: 'gallery-panel', className: 'gallery-panel' }, [gallery.grid.viewport, detail.root]);
  const scores = new ScoresPanel(store, scheduler, (value) => threshold.setByUser(absoluteThreshold(value)));
  const training = new TrainingView(store, channel);
  const duplicates = new DuplicatesView(store, channel, scheduler, { setSelection: (paths) => gallery.setSelection(paths) });
  const toolbar = new Toolbar(store, scheduler, (setting) => threshold.setByUser(setting), {
    selectAllFlagged: () => gallery.selectAllFlagged(),
    clear: () => gallery.setSelection([]),
    retrainWithoutFlagged: () => {
      const scanId = store.state.scan?.snapshot.scanId;
      if (scanId) channel.post({ type: 'retrainWithoutFlagged', scanId });
    },
  }, (settings) => ranking.setByUser(settings));
  const actionBar = new SelectionActionBar(store, scheduler, {
    act: (action, paths) => channel.post({ type: 'actOnSelection', action, paths }),
    undo: () => channel.post({ type: 'undoLastAction' }),
  });
  const scanStatus = new ScanStatus(store, scheduler, (scanId) => channel.post({ type: 'retryScan', scanId }));
  const tabs = createViewTabs(store, { gallery: galleryPanel, duplicates: duplicates.root, scores: scores.root, training: training.root });
  store.subscribe((state, changed) => {
    if (changed.has('activeView') && state.activeView === 'gallery') gallery.showAgain();
  });

  const root = document.getElementById('app') ?? document.body;
  root.replaceChildren(toolbar.root, actionBar.root, scanStatus.root, tabs);

  // An action that moved or deleted images says what the selection is now; a result seen before
  // this page loaded (the first state after a reload) leaves the restored selection alone.
  let seenSequence: number | null = null;
  const adoptActionState = (state: ActionState): void => {
    const result = state.result;
    if (result?.selection && seenSequence !== null && result.sequence > seenSequence) gallery.setSelection(result.selection);
    seenSequence = result?.sequence ?? 0;
    store.update({ actions: state });
  };

  channel.onPush((message) => {
    if (message.type === 'scoresSnapshot') {
      ranking.onSnapshot(message, restored.scanId);
      applySnapshot(store, message, restored.scanId);
    }
    else if (message.type === 'scanStopped') store.update({ stopped: message });
    else if (message.type === 'actionState') adoptActionState(message);
    else threshold.setByHost(message.threshold);
  });
  persistence.attach(store);
  channel.post({ type: 'ready' });
}

main();
