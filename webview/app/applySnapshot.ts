import type { ScoresSnapshot } from '../../src/protocol/webview';
import { percentileThreshold } from '../scores/thresholdSettings';
import type { AppState } from './appState';
import { buildScanModel } from './scanModel';
import type { Store } from './store';

/**
 * Take in a new result set. A new revision of the scan the panel already shows (or restored
 * state for) keeps the user's threshold, scroll, selection and marks; a different scan starts
 * from the host's threshold, and so does a new ranking mode. A percentile threshold follows the new scores. A stop notice ends
 * with another scan, or when this one streams again.
 */
export function applySnapshot(store: Store<AppState>, snapshot: ScoresSnapshot, restoredScanId: string | null): void {
  const scan = buildScanModel(snapshot);
  const state = store.state;
  const stopped = state.stopped && state.stopped.scanId === snapshot.scanId && snapshot.complete ? state.stopped : null;
  const shownScanId = state.scan ? state.scan.snapshot.scanId : restoredScanId;
  // A new ranking mode (outlier score ⇄ LLR) has scores in other units: it starts from the host's threshold for it.
  const previousMode = state.scan?.snapshot.ranking?.settings.mode ?? 'llr';
  const modeChanged = state.scan !== null && previousMode !== (snapshot.ranking?.settings.mode ?? 'llr');
  if (shownScanId === snapshot.scanId && modeChanged) {
    store.update({ scan, stopped, threshold: snapshot.threshold });
    return;
  }
  if (shownScanId === snapshot.scanId && state.threshold) {
    const threshold =
      state.threshold.method === 'percentile' && state.threshold.percentile !== undefined
        ? percentileThreshold(scan.index, state.threshold.percentile)
        : state.threshold;
    store.update({ scan, threshold, stopped });
    return;
  }
  store.update({ scan, stopped, threshold: snapshot.threshold, scrollTop: 0, selectedIndex: 0, selection: [], detailPath: null });
}
