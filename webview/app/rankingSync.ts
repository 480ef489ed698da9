import { sameSelection } from '../../src/common/verdict/signalSelection';
import type { RankingSettings, ScoresSnapshot } from '../../src/protocol/webview';
import type { HostChannel } from '../messaging/hostChannel';
import type { AppState } from './appState';
import type { Store } from './store';

/** Whether two settings rank the same way. */
export function sameRanking(a: RankingSettings, b: RankingSettings): boolean {
  return a.mode === b.mode && sameSelection(a, b);
}

/**
 * Owns the ranking settings: the user's go to the store and, in one message, to the host, which
 * re-ranks and sends a new snapshot. The host's snapshot is the truth, except for the settings the
 * panel restored for the same scan after a reload: those go to the host again.
 */
export class RankingSync {
  constructor(
    private readonly store: Store<AppState>,
    private readonly channel: HostChannel,
  ) {}

  /** The user switched the ranking, a signal or a cut. */
  setByUser(ranking: RankingSettings): void {
    this.store.update({ ranking });
    this.channel.post({ type: 'didChangeRanking', ranking });
  }

  /**
   * A snapshot arrived (call before `applySnapshot`): a different scan takes the host's settings;
   * the same scan keeps the panel's, telling the host when they differ (a reload, or a snapshot
   * cut before the host took the user's last change).
   */
  onSnapshot(snapshot: ScoresSnapshot, restoredScanId: string | null): void {
    const state = this.store.state;
    const host = snapshot.ranking;
    const shownScanId = state.scan ? state.scan.snapshot.scanId : restoredScanId;
    const own = state.ranking;
    if (!host) {
      if (own !== null) this.store.update({ ranking: null });
      return;
    }
    if (shownScanId === snapshot.scanId && own && host.available.length > 0 && !sameRanking(own, host.settings)) {
      this.channel.post({ type: 'didChangeRanking', ranking: own });
      return;
    }
    if (!own || !sameRanking(own, host.settings)) this.store.update({ ranking: host.settings });
  }
}
