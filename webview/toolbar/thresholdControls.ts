import type { ThresholdInputKind } from '../../src/common/threshold/thresholdInput';
import { parseThresholdInput } from '../../src/common/threshold/thresholdInput';
import type { ThresholdSetting } from '../../src/protocol/scanResults';
import type { AppState } from '../app/appState';
import type { ScanModel } from '../app/scanModel';
import type { Store } from '../app/store';
import { element, setText } from '../dom/element';
import {
  absoluteThreshold,
  describeThreshold,
  detectorThreshold,
  displayedFpr,
  displayedPercentile,
  fprThreshold,
  percentileThreshold,
  sameThreshold,
} from '../scores/thresholdSettings';

/** Minimal view of `vscode-textfield` used here (its value is a string like an input's; `invalid` paints the error style). */
type TextField = HTMLElement & { value: string; invalid: boolean };

/** The slider's step in percentile space: 1,000 positions between the lowest and the highest score's rank. */
const PERCENTILE_STEP = '0.1';

/**
 * The threshold, set in rank space: one slider over the percentiles (a drag moves the cut by
 * images, not by score units), and three linked fields, the score it gives, the percentile and,
 * where images are labelled as inliers, the false-positive rate on them. Whichever the user sets,
 * the others follow (through the store, once per frame). A typed value out of range is refused
 * with a sentence saying why; Reset goes back to the detector's own threshold.
 */
export class ThresholdControls {
  /** The controls' group element. */
  readonly root: HTMLElement;
  private readonly percentileSlider: HTMLInputElement;
  private readonly valueField: TextField;
  private readonly percentileField: TextField;
  private readonly fprField: TextField;
  private readonly fprGroup: HTMLElement;
  private readonly resetButton: HTMLElement;
  private readonly message = element('div', { id: 'threshold-message', className: 'threshold-message', attributes: { role: 'alert', 'aria-live': 'assertive' } });
  /** The threshold shown when the message appeared: a new one clears it. */
  private messageFor: ThresholdSetting | null = null;

  constructor(
    private readonly store: Store<AppState>,
    private readonly setByUser: (threshold: ThresholdSetting) => void,
  ) {
    this.percentileSlider = element('input', {
      id: 'threshold-percentile-slider',
      attributes: { type: 'range', min: '0', max: '100', step: PERCENTILE_STEP, 'aria-label': 'Threshold percentile' },
    });
    // Text fields, not number ones: a number input's default step (1) makes the browser call most
    // scores invalid, and vscode-textfield turns step="any" into NaN. `parseThresholdInput` checks
    // what was typed and says why it cannot be used.
    this.valueField = textField('threshold-value', 'Threshold score');
    this.percentileField = textField('threshold-percentile', 'Threshold percentile');
    this.fprField = textField('threshold-fpr', 'False-positive rate on known inliers, per cent');
    this.resetButton = element('vscode-button', { id: 'threshold-reset', text: 'Reset', attributes: { secondary: '' } });
    this.percentileSlider.addEventListener('input', () => this.fromPercentile(Number(this.percentileSlider.value)));
    this.valueField.addEventListener('change', () => this.fromField('score', this.valueField));
    this.percentileField.addEventListener('change', () => this.fromField('percentile', this.percentileField));
    this.fprField.addEventListener('change', () => this.fromField('fprPercent', this.fprField));
    this.resetButton.addEventListener('click', () => this.reset());
    this.fprGroup = element('span', { className: 'threshold-field threshold-fpr', attributes: { title: 'The share of images labelled as inliers that the threshold flags' } }, [
      element('label', { text: 'FPR %', attributes: { for: 'threshold-fpr' } }),
      this.fprField,
    ]);
    this.fprGroup.hidden = true;
    this.message.hidden = true;
    this.root = element('div', { className: 'threshold-controls', attributes: { role: 'group', 'aria-label': 'Outlier threshold' } }, [
      element('label', { text: 'Threshold', attributes: { for: 'threshold-percentile-slider', title: 'Images scoring above the threshold are outliers' } }),
      this.percentileSlider,
      element('span', { className: 'threshold-field', attributes: { title: 'The ranked score (the outlier score, or the LLR under "LLR only") above which an image is an outlier' } }, [
        element('label', { text: 'score >', attributes: { for: 'threshold-value' } }),
        this.valueField,
      ]),
      element('span', { className: 'threshold-field', attributes: { title: 'Share of images scoring at or below the threshold' } }, [
        element('label', { text: 'Percentile', attributes: { for: 'threshold-percentile' } }),
        this.percentileField,
      ]),
      this.fprGroup,
      this.resetButton,
      this.message,
    ]);
  }

  /** Bring slider and fields to the store's threshold (called in a frame). */
  render(): void {
    const { scan, threshold } = this.store.state;
    if (!scan || !threshold) return;
    const percentile = displayedPercentile(threshold, scan.index);
    setIfIdle(this.percentileSlider, String(percentile));
    // Rounded for reading; the exact value is in `data-value`.
    setIfIdle(this.valueField, threshold.value.toFixed(3));
    setIfIdle(this.percentileField, percentile.toFixed(1));
    this.valueField.dataset.value = String(threshold.value);
    this.percentileField.dataset.value = String(percentile);
    this.renderFpr(scan, threshold);
    const own = detectorThreshold(scan.snapshot.detectorThreshold, scan.index);
    const isOwn = sameThreshold(own, threshold);
    this.resetButton.toggleAttribute('disabled', isOwn);
    this.resetButton.title = `${isOwn ? 'This is' : 'Back to'} the detector's threshold: ${describeThreshold(own)}`;
    if (this.messageFor && this.messageFor !== threshold) this.showMessage(null);
  }

  private renderFpr(scan: ScanModel, threshold: ThresholdSetting): void {
    const inliers = scan.knownInliers;
    this.fprGroup.hidden = !inliers;
    if (!inliers) return;
    const fprPercent = 100 * displayedFpr(threshold, inliers);
    setIfIdle(this.fprField, fprPercent.toFixed(1));
    this.fprField.dataset.value = String(fprPercent);
  }

  private fromPercentile(percentile: number): void {
    const scan = this.store.state.scan;
    if (scan && Number.isFinite(percentile)) this.apply(percentileThreshold(scan.index, percentile));
  }

  private fromField(kind: ThresholdInputKind, field: TextField): void {
    const scan = this.store.state.scan;
    if (!scan) return;
    const parsed = parseThresholdInput(kind, field.value);
    if (!parsed.ok) {
      field.invalid = true;
      this.showMessage(parsed.message);
      return;
    }
    if (kind === 'score') this.apply(absoluteThreshold(parsed.value));
    else if (kind === 'percentile') this.apply(percentileThreshold(scan.index, parsed.value));
    else if (scan.knownInliers) this.apply(fprThreshold(scan.knownInliers, parsed.value / 100));
  }

  private reset(): void {
    const scan = this.store.state.scan;
    if (scan) this.apply(detectorThreshold(scan.snapshot.detectorThreshold, scan.index));
  }

  private apply(threshold: ThresholdSetting): void {
    this.showMessage(null);
    this.setByUser(threshold);
  }

  private showMessage(text: string | null): void {
    setText(this.message, text ?? '');
    this.message.hidden = text === null;
    this.messageFor = text === null ? null : this.store.state.threshold;
    if (text === null) {
      for (const field of [this.valueField, this.percentileField, this.fprField]) field.invalid = false;
    }
  }
}

function textField(id: string, label: string): TextField {
  return element('vscode-textfield', { id, attributes: { type: 'text', 'aria-label': label, spellcheck: 'false' } }) as TextField;
}

/** Write a control's value unless the user is typing in it (the caret would jump). */
function setIfIdle(control: HTMLElement & { value: string }, value: string): void {
  if (control.value === value) return;
  if (document.activeElement === control && !(control instanceof HTMLInputElement)) return;
  control.value = value;
}
