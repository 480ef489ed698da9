import type { VsCodeApi } from '../messaging/vscodeApi';
import { DEFAULT_UI_STATE, type AppState, type UiState } from './appState';
import type { Store } from './store';

/** What the panel saves with `setState`. */
export interface PersistedState {
  readonly formatVersion: 1;
  /** The scan the scan-specific settings (threshold, ranking, scroll, marks) belong to. */
  readonly scanId: string | null;
  readonly ui: UiState;
}

/** Saving on every scroll event would post a message to the host per frame. */
const SAVE_DELAY_MS = 120;

/** Restores the UI state after a reload and saves it (debounced) whenever it changes. */
export class UiPersistence {
  private saveTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly api: VsCodeApi<PersistedState>) {}

  /** The saved state merged over the defaults; anything malformed falls back to the default. */
  restore(): { readonly ui: UiState; readonly scanId: string | null } {
    const saved: unknown = this.api.getState();
    if (!isRecord(saved) || saved.formatVersion !== 1 || !isRecord(saved.ui)) {
      return { ui: DEFAULT_UI_STATE, scanId: null };
    }
    const ui: Record<string, unknown> = { ...DEFAULT_UI_STATE };
    for (const [key, fallback] of Object.entries(DEFAULT_UI_STATE)) {
      const value = saved.ui[key];
      if (value !== undefined && sameShape(value, fallback, key)) {
        ui[key] = value;
      }
    }
    return { ui: ui as unknown as UiState, scanId: typeof saved.scanId === 'string' ? saved.scanId : null };
  }

  /** Save the UI part of the store shortly after each change. */
  attach(store: Store<AppState>): void {
    store.subscribe((_state, changed) => {
      if ([...changed].every((key) => key === 'scan' || key === 'stopped' || key === 'actions')) {
        return;
      }
      clearTimeout(this.saveTimer);
      this.saveTimer = setTimeout(() => this.save(store.state), SAVE_DELAY_MS);
    });
    // A reload right after a change must not lose it.
    window.addEventListener('pagehide', () => this.save(store.state));
  }

  private save(state: AppState): void {
    clearTimeout(this.saveTimer);
    // Only the user's settings are saved: the scan, why it stopped and the actions' state come from the host again after a reload.
    const ui = Object.fromEntries(Object.keys(DEFAULT_UI_STATE).map((key) => [key, state[key as keyof UiState]])) as unknown as UiState;
    this.api.setState({ formatVersion: 1, scanId: state.scan ? state.scan.snapshot.scanId : null, ui });
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function sameShape(value: unknown, fallback: unknown, key: string): boolean {
  if (key === 'threshold' || key === 'detailPath') {
    return value === null || (key === 'detailPath' ? typeof value === 'string' : isRecord(value) && typeof value.value === 'number');
  }
  if (key === 'ranking') {
    return value === null || (isRecord(value) && (value.mode === 'verdict' || value.mode === 'llr') && Array.isArray(value.signals) && isRecord(value.cuts));
  }
  if (Array.isArray(fallback)) {
    return Array.isArray(value) && value.every((entry) => typeof entry === 'string');
  }
  return typeof value === typeof fallback;
}
