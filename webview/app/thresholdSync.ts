import type { ThresholdSetting } from '../../src/protocol/scanResults';
import type { HostChannel } from '../messaging/hostChannel';
import type { AppState } from './appState';
import type { Store } from './store';

/** While dragging, tell the host at most this often; the final value is always sent. */
const HOST_UPDATE_INTERVAL_MS = 150;

/**
 * Owns threshold changes: the user's go to the store at once and to the host throttled
 * (`DidChangeThreshold`); the host's (`SetThreshold`) go to the store only, so nothing echoes.
 */
export class ThresholdSync {
  private lastPostedAt = 0;
  private trailingTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly store: Store<AppState>,
    private readonly channel: HostChannel,
  ) {}

  /** The user moved a slider, typed a value or dragged the histogram line. */
  setByUser(threshold: ThresholdSetting): void {
    this.store.update({ threshold });
    clearTimeout(this.trailingTimer);
    const sinceLastPost = performance.now() - this.lastPostedAt;
    if (sinceLastPost >= HOST_UPDATE_INTERVAL_MS) {
      this.postToHost();
    } else {
      this.trailingTimer = setTimeout(() => this.postToHost(), HOST_UPDATE_INTERVAL_MS - sinceLastPost);
    }
  }

  /** The host set the threshold (side view, command). */
  setByHost(threshold: ThresholdSetting): void {
    clearTimeout(this.trailingTimer);
    this.store.update({ threshold });
  }

  private postToHost(): void {
    const threshold = this.store.state.threshold;
    if (threshold) {
      this.lastPostedAt = performance.now();
      this.channel.post({ type: 'didChangeThreshold', threshold });
    }
  }
}
