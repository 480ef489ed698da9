import { defaultCut, OUTLIER_ALPHA } from '../../src/common/verdict/outlierVerdict';
import { cutOf } from '../../src/common/verdict/signalSelection';
import type { CalibratedSignal } from '../../src/protocol/scanResults';
import { CALIBRATED_SIGNALS, SIGNAL_LABELS } from '../../src/protocol/scanResults';
import type { RankingMode, RankingSettings, RankingState } from '../../src/protocol/webview';
import type { AppState } from '../app/appState';
import type { Store } from '../app/store';
import { element, setText } from '../dom/element';

type ValueElement = HTMLElement & { value: string };
type TextField = HTMLElement & { value: string; invalid: boolean };

/** What each signal looks at, for its tooltip. */
const SIGNAL_MEANINGS: Readonly<Record<CalibratedSignal, string>> = {
  llr: 'likelihood ratio of the two models (upper tail)',
  typicality: 'log p semantic, too likely or too unlikely (two-sided)',
  brightness: 'mean grey level, dark or light (two-sided)',
  information: 'entropy of the grey levels, low information (lower tail)',
  sharpness: 'variance of the Laplacian, blurry (lower tail)',
};

/** A cut as the field shows it, in per cent: 0.2 for 0.002. */
export function cutPercentText(cut: number): string {
  return String(Number((100 * cut).toPrecision(3)));
}

/** A cut the user typed in per cent, or why it cannot be used. */
export function parseCutPercent(text: string): { ok: true; cut: number } | { ok: false; message: string } {
  const value = Number(text.trim().replace(/%$/, ''));
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0 || value >= 100) {
    return { ok: false, message: `A cut is a tail probability in per cent, above 0 and below 100, got "${text}".` };
  }
  return { ok: true, cut: value / 100 };
}

/**
 * What the panel ranks by: the calibrated outlier score (the most extreme signal, each signal at
 * its own cut) or the LLR alone, one click apart; and under "Signals" a switch and a cut per
 * calibrated signal, with Reset. An uncalibrated detector's scan shows the LLR only and says why.
 */
export class RankingControls {
  /** The controls' group element. */
  readonly root: HTMLElement;
  private readonly mode: ValueElement;
  private readonly details: HTMLDetailsElement;
  private readonly summary: HTMLElement;
  private readonly unavailable = element('span', { id: 'ranking-unavailable', className: 'ranking-unavailable' });
  private readonly calibratedOn = element('p', { id: 'signals-calibration', className: 'signals-note' });
  private readonly message = element('div', { id: 'signals-message', className: 'threshold-message', attributes: { role: 'alert' } });
  private readonly reset: HTMLElement;
  private readonly rows = new Map<CalibratedSignal, { row: HTMLElement; toggle: HTMLInputElement; cut: TextField }>();
  private shown = '';

  constructor(
    private readonly store: Store<AppState>,
    private readonly setByUser: (ranking: RankingSettings) => void,
  ) {
    this.mode = element('vscode-single-select', { id: 'ranking-mode', attributes: { 'aria-label': 'Rank by' } }, [
      element('vscode-option', { text: 'Outlier score', attributes: { value: 'verdict', description: 'the most extreme calibrated signal' } }),
      element('vscode-option', { text: 'LLR only', attributes: { value: 'llr', description: 'the likelihood ratio alone' } }),
    ]) as ValueElement;
    this.mode.addEventListener('change', () => this.change({ mode: this.mode.value as RankingMode }));
    this.reset = element('vscode-button', { id: 'signals-reset', text: 'Reset to defaults', attributes: { secondary: '' } });
    this.reset.addEventListener('click', () => {
      const defaults = this.state()?.defaults;
      if (defaults) this.apply({ ...defaults, mode: 'verdict' });
    });
    const list = element('div', { className: 'signals-list', attributes: { role: 'group', 'aria-label': 'Calibrated signals' } });
    for (const signal of CALIBRATED_SIGNALS) {
      const toggle = element('input', { id: `signal-${signal}`, attributes: { type: 'checkbox' } });
      const cut = element('vscode-textfield', { id: `cut-${signal}`, className: 'signal-cut', attributes: { type: 'text', 'aria-label': `Cut of ${SIGNAL_LABELS[signal]}, per cent`, spellcheck: 'false' } }) as TextField;
      toggle.addEventListener('change', () => this.toggleSignal(signal, toggle.checked));
      cut.addEventListener('change', () => this.setCut(signal, cut));
      const row = element('div', { className: 'signal-row', attributes: { title: SIGNAL_MEANINGS[signal], 'data-signal': signal } }, [
        toggle,
        element('label', { text: SIGNAL_LABELS[signal], attributes: { for: `signal-${signal}` } }),
        element('span', { className: 'signal-cut-label', text: 'p <' }),
        cut,
        element('span', { text: '%' }),
      ]);
      this.rows.set(signal, { row, toggle, cut });
      list.append(row);
    }
    this.summary = element('summary', { id: 'signals-summary', text: 'Signals' });
    this.details = element('details', { id: 'signals', className: 'signals-popover' }, [
      this.summary,
      element('div', { className: 'signals-body' }, [
        element('p', { className: 'signals-note', text: `An image is flagged when a signal's tail probability is below its cut (default ${cutPercentText(OUTLIER_ALPHA)} % ÷ the signals on); its reasons are the signals past their cuts.` }),
        list,
        this.calibratedOn,
        this.message,
        this.reset,
      ]),
    ]);
    this.message.hidden = true;
    this.root = element('div', { id: 'ranking-controls', className: 'ranking-controls', attributes: { role: 'group', 'aria-label': 'Ranking' } }, [
      element('label', { text: 'Rank by', attributes: { for: 'ranking-mode' } }),
      this.mode,
      this.details,
      this.unavailable,
    ]);
  }

  /** Bring the controls to the store's settings and the snapshot's ranking (called in a frame). */
  render(): void {
    const state = this.state();
    const settings = this.store.state.ranking ?? state?.settings ?? null;
    const calibrated = !!state && state.available.length > 0;
    const signature = JSON.stringify([settings, state?.available, state?.unavailable, state?.calibratedOn]);
    if (signature === this.shown) return;
    this.shown = signature;
    this.root.hidden = !state;
    this.mode.toggleAttribute('disabled', !calibrated);
    this.details.hidden = !calibrated;
    this.unavailable.hidden = calibrated || !state?.unavailable;
    // One line in the toolbar; the host's whole sentence in the tooltip.
    setText(this.unavailable, state?.unavailable ? 'LLR only: the detector has no calibration' : '');
    this.unavailable.title = state?.unavailable ?? '';
    setText(this.calibratedOn, state?.calibratedOn ? `Known inliers: ${state.calibratedOn}. Label images inliers to add this folder's.` : '');
    if (!settings) return;
    const mode = calibrated ? settings.mode : 'llr';
    if (this.mode.value !== mode) this.mode.value = mode;
    const on = settings.signals.filter((signal) => state?.available.includes(signal));
    setText(this.summary, mode === 'verdict' ? `Signals (${on.length} of ${state?.available.length ?? 0} on)` : 'Signals (LLR only)');
    for (const [signal, { row, toggle, cut }] of this.rows) {
      row.hidden = !state?.available.includes(signal);
      toggle.checked = settings.signals.includes(signal);
      toggle.disabled = mode !== 'verdict';
      if (document.activeElement !== cut) cut.value = cutPercentText(cutOf(signal, { signals: on, cuts: settings.cuts }));
      cut.toggleAttribute('disabled', mode !== 'verdict' || !toggle.checked);
      cut.title = settings.cuts[signal] === undefined ? `default: ${cutPercentText(OUTLIER_ALPHA)} % ÷ ${on.length} signals` : 'set by you';
    }
    const defaults = state?.defaults;
    this.reset.toggleAttribute('disabled', !defaults || (mode === 'verdict' && JSON.stringify({ ...defaults, mode }) === JSON.stringify(settings)));
  }

  private state(): RankingState | undefined {
    return this.store.state.scan?.snapshot.ranking;
  }

  private current(): RankingSettings | null {
    return this.store.state.ranking ?? this.state()?.settings ?? null;
  }

  private toggleSignal(signal: CalibratedSignal, on: boolean): void {
    const settings = this.current();
    if (!settings) return;
    const signals = CALIBRATED_SIGNALS.filter((each) => (each === signal ? on : settings.signals.includes(each)));
    this.change({ signals });
  }

  private setCut(signal: CalibratedSignal, field: TextField): void {
    const settings = this.current();
    if (!settings) return;
    const parsed = parseCutPercent(field.value);
    if (!parsed.ok) {
      field.invalid = true;
      setText(this.message, parsed.message);
      this.message.hidden = false;
      return;
    }
    const signalsOn = settings.signals.filter((each) => this.state()?.available.includes(each)).length;
    // Typing the default back makes the signal follow the default again (alpha / k as signals switch).
    const isDefault = Math.abs(parsed.cut - defaultCut(signalsOn)) < 1e-12;
    const cuts = Object.fromEntries(CALIBRATED_SIGNALS.flatMap((each) => {
      const cut = each === signal ? (isDefault ? undefined : parsed.cut) : settings.cuts[each];
      return cut === undefined ? [] : [[each, cut]];
    }));
    this.change({ cuts });
  }

  private change(patch: Partial<RankingSettings>): void {
    const settings = this.current();
    if (settings) this.apply({ ...settings, ...patch });
  }

  private apply(settings: RankingSettings): void {
    this.message.hidden = true;
    for (const { cut } of this.rows.values()) cut.invalid = false;
    this.setByUser(settings);
  }
}
