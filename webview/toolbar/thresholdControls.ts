import type { ThresholdSetting } from '../../src/protocol/scanResults';
import type { AppState } from '../app/appState';
import type { Store } from '../app/store';
import { element } from '../dom/element';
import { absoluteThreshold, displayedPercentile, percentileThreshold } from '../scores/thresholdSettings';

/** Minimal view of `vscode-textfield` used here (its value is a string like an input's). */
type TextField = HTMLElement & { value: string };

/** Steps of the absolute slider across the score range; the text field takes any value. */
const SLIDER_STEPS = 1000;

/**
 * The threshold as an absolute score and as a percentile, each a slider plus a number field,
 * linked: whichever the user moves, the other follows (through the store, once per frame).
 */
export class ThresholdControls {
  /** The controls' group element. */
  readonly root: HTMLElement;
  private readonly valueSlider: HTMLInputElement;
  private readonly valueField: TextField;
  private readonly percentileSlider: HTMLInputElement;
  private readonly percentileField: TextField;
  private rangeOf: AppState['scan'] = null;

  constructor(
    private readonly store: Store<AppState>,
    setByUser: (threshold: ThresholdSetting) => void,
  ) {
    this.valueSlider = element('input', { id: 'threshold-value-slider', attributes: { type: 'range', 'aria-label': 'Threshold score' } });
    this.valueField = element('vscode-textfield', { id: 'threshold-value', attributes: { type: 'number', step: 'any', 'aria-label': 'Threshold score' } });
    this.percentileSlider = element('input', {
      id: 'threshold-percentile-slider',
      attributes: { type: 'range', min: '0', max: '100', step: '0.1', 'aria-label': 'Threshold percentile' },
    });
    this.percentileField = element('vscode-textfield', {
      id: 'threshold-percentile',
      attributes: { type: 'number', min: '0', max: '100', step: '0.1', 'aria-label': 'Threshold percentile' },
    });
    const index = (): NonNullable<AppState['scan']>['index'] | undefined => store.state.scan?.index;
    const fromValue = (text: string): void => {
      const value = Number(text);
      if (text.trim() !== '' && Number.isFinite(value)) setByUser(absoluteThreshold(value));
    };
    const fromPercentile = (text: string): void => {
      const percentile = Number(text);
      const scores = index();
      if (scores && text.trim() !== '' && Number.isFinite(percentile)) setByUser(percentileThreshold(scores, percentile));
    };
    this.valueSlider.addEventListener('input', () => fromValue(this.valueSlider.value));
    this.percentileSlider.addEventListener('input', () => fromPercentile(this.percentileSlider.value));
    this.valueField.addEventListener('change', () => fromValue(this.valueField.value));
    this.percentileField.addEventListener('change', () => fromPercentile(this.percentileField.value));
    this.root = element('div', { className: 'threshold-controls', attributes: { role: 'group', 'aria-label': 'Outlier threshold' } }, [
      element('label', { text: 'Threshold', attributes: { for: 'threshold-value-slider' } }),
      this.valueSlider,
      this.valueField,
      element('label', { text: 'Percentile', attributes: { for: 'threshold-percentile-slider' } }),
      this.percentileSlider,
      this.percentileField,
    ]);
  }

  /** Bring sliders and fields to the store's threshold (called in a frame). */
  render(): void {
    const { scan, threshold } = this.store.state;
    if (!scan || !threshold) return;
    if (scan !== this.rangeOf) {
      this.rangeOf = scan;
      const { min, max } = scan.index;
      this.valueSlider.min = String(min);
      this.valueSlider.max = String(max);
      this.valueSlider.step = String((max - min) / SLIDER_STEPS || 'any');
    }
    const percentile = displayedPercentile(threshold, scan.index);
    setIfIdle(this.valueSlider, String(threshold.value));
    setIfIdle(this.percentileSlider, String(percentile));
    // Rounded for reading; the exact value is in the slider and in `data-value`.
    setIfIdle(this.valueField, threshold.value.toFixed(3));
    setIfIdle(this.percentileField, percentile.toFixed(1));
    this.valueField.dataset.value = String(threshold.value);
    this.percentileField.dataset.value = String(percentile);
  }
}

/** Write a control's value unless the user is typing in it (the caret would jump). */
function setIfIdle(control: HTMLElement & { value: string }, value: string): void {
  if (control.value === value) return;
  if (document.activeElement === control && !(control instanceof HTMLInputElement)) return;
  control.value = value;
}
