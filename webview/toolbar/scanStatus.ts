import type { ScanStopped } from '../../src/protocol/webview';
import type { AppState } from '../app/appState';
import type { FrameScheduler } from '../app/frameScheduler';
import type { Store } from '../app/store';
import { element, setText } from '../dom/element';
import { formatCount } from '../dom/format';

/** What the line shows: nothing once a scan is complete. */
type ScanStatusKind = 'streaming' | 'failed' | 'cancelled' | 'complete';

const ICONS: Readonly<Record<Exclude<ScanStatusKind, 'complete'>, string>> = {
  streaming: 'codicon codicon-loading codicon-modifier-spin',
  failed: 'codicon codicon-error',
  cancelled: 'codicon codicon-circle-slash',
};

/**
 * The line under the toolbar: "Scanning… 120 of 300 files" while results stream in, and after a
 * scan failed or was cancelled, why, with Retry (the host scans again; cached scores are reused).
 */
export class ScanStatus {
  /** The status line; hidden when the scan is complete. */
  readonly root: HTMLElement;
  private readonly icon = element('span', { attributes: { 'aria-hidden': 'true' } });
  private readonly heading = element('strong', { id: 'scan-status-heading' });
  private readonly text = element('span', { id: 'scan-status-text' });
  private readonly retry = element('vscode-button', { id: 'scan-retry', text: 'Retry', attributes: { secondary: '' } });
  /** The stop whose Retry was pressed: the button stays off until the host answers with another scan. */
  private retried: ScanStopped | null = null;

  constructor(
    private readonly store: Store<AppState>,
    scheduler: FrameScheduler,
    onRetry: (scanId: string) => void,
  ) {
    this.root = element('div', { id: 'scan-status', className: 'scan-status', attributes: { 'aria-live': 'polite' } }, [this.icon, this.heading, this.text, this.retry]);
    this.root.hidden = true;
    this.retry.addEventListener('click', () => {
      const stopped = this.store.state.stopped;
      if (!stopped || this.retried === stopped) return;
      this.retried = stopped;
      onRetry(stopped.scanId);
      this.render();
    });
    store.subscribe((_state, changed) => {
      if (changed.has('scan') || changed.has('stopped')) scheduler.schedule('scan-status', () => this.render());
    });
  }

  private render(): void {
    const { scan, stopped } = this.store.state;
    const kind: ScanStatusKind = stopped && scan?.snapshot.scanId === stopped.scanId ? stopped.outcome : scan && !scan.snapshot.complete ? 'streaming' : 'complete';
    this.root.hidden = kind === 'complete';
    this.root.dataset.state = kind;
    if (kind === 'complete' || !scan) return;
    this.icon.className = ICONS[kind];
    this.root.setAttribute('role', kind === 'streaming' ? 'status' : 'alert');
    this.retry.hidden = kind === 'streaming';
    if (kind === 'streaming') {
      const { snapshot } = scan;
      const done = snapshot.scores.length + snapshot.failedCount;
      setText(this.heading, 'Scanning…');
      setText(this.text, snapshot.expectedCount === undefined ? `${formatCount(done)} files so far` : `${formatCount(done)} of ${formatCount(snapshot.expectedCount)} files`);
      return;
    }
    setText(this.heading, kind === 'failed' ? 'Scan failed.' : 'Scan cancelled.');
    setText(this.text, stopped?.reason ?? '');
    const waiting = this.retried !== null && this.retried === stopped;
    this.retry.toggleAttribute('disabled', waiting);
    setText(this.retry, waiting ? 'Retrying…' : 'Retry');
  }
}
