import type { OutlierReason } from '../../src/protocol/scanResults';
import { REASON_LABELS } from '../../src/protocol/scanResults';
import type { ReasonFilter } from '../../src/protocol/webview';
import { element } from '../dom/element';
import { formatCount } from '../dom/format';

type ValueElement = HTMLElement & { value: string };

/** Every reason in the order the filter lists them (the protocol's label order). */
const REASONS = Object.keys(REASON_LABELS) as OutlierReason[];

/** The option text of a reason filter with its count: "low information (43)". */
export function reasonOptionText(reason: ReasonFilter, count: number): string {
  return `${reason === 'any' ? 'Any reason' : REASON_LABELS[reason]} (${formatCount(count)})`;
}

/**
 * The gallery's reason filter: every image, images with any reason, or one reason, each with the
 * number of images that carry it (reasons no image carries are left out, unless chosen).
 */
export class ReasonFilterSelect {
  /** The select element (id `reason`). */
  readonly root: ValueElement;
  private shownSignature = '';

  constructor(selected: ReasonFilter | '', onChange: (reason: ReasonFilter | '') => void) {
    this.root = element('vscode-single-select', { id: 'reason', attributes: { 'aria-label': 'Reason' } }) as ValueElement;
    this.render({}, selected);
    this.root.addEventListener('change', () => onChange(this.root.value as ReasonFilter | ''));
  }

  /** Show the counts of the current snapshot and the chosen filter. */
  render(counts: Readonly<Partial<Record<ReasonFilter, number>>>, selected: ReasonFilter | ''): void {
    const listed: ReasonFilter[] = ['any', ...REASONS.filter((reason) => (counts[reason] ?? 0) > 0 || reason === selected)];
    const options: (readonly [string, string])[] = [['', 'Any or no reason'], ...listed.map((reason) => [reason, reasonOptionText(reason, counts[reason] ?? 0)] as const)];
    const signature = `${selected}|${options.map(([value, text]) => `${value}=${text}`).join(',')}`;
    if (signature === this.shownSignature) return;
    this.shownSignature = signature;
    this.root.replaceChildren(...options.map(([value, text]) => element('vscode-option', { text, attributes: value === selected ? { value, selected: '' } : { value } })));
    if (this.root.value !== selected) this.root.value = selected;
  }
}
