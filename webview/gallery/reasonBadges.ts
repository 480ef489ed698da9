import type { OutlierReason } from '../../src/protocol/scanResults';
import { MARK_ONLY_REASONS, REASON_LABELS } from '../../src/protocol/scanResults';
import { element } from '../dom/element';

/** One small badge per reason (`reason-badge reason-<name>`; marks such as duplicates styled apart from flags). */
export function reasonBadges(reasons: readonly OutlierReason[] | undefined): HTMLSpanElement[] {
  return (reasons ?? []).map((reason) =>
    element('span', { className: `reason-badge reason-${reason}${MARK_ONLY_REASONS.includes(reason) ? ' is-mark' : ''}`, text: REASON_LABELS[reason] }),
  );
}

/** The reasons as one line of text (tooltips). */
export function reasonText(reasons: readonly OutlierReason[]): string {
  return reasons.map((reason) => REASON_LABELS[reason]).join(', ');
}
