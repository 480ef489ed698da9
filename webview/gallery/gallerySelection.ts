/** How a click or key changes the selection: select only this image, add or remove it, or select the range from the anchor. */
export type SelectionGesture = 'only' | 'toggle' | 'range';

/** The gesture a click with these modifiers makes: Shift = range, Ctrl/Cmd = toggle, plain = only. */
export function gestureOf(event: { readonly shiftKey: boolean; readonly ctrlKey: boolean; readonly metaKey: boolean }): SelectionGesture {
  return event.shiftKey ? 'range' : event.ctrlKey || event.metaKey ? 'toggle' : 'only';
}

/**
 * The selection after a gesture on `clicked`; `range` is the paths from the anchor to the
 * clicked image in list order (used by `range` only). The order of the result is the order the
 * images were selected in, without repeats.
 */
export function nextSelection(current: readonly string[], gesture: SelectionGesture, clicked: string, range: readonly string[]): string[] {
  if (gesture === 'only') return [clicked];
  if (gesture === 'range') return [...new Set(range.length > 0 ? range : [clicked])];
  return current.includes(clicked) ? current.filter((path) => path !== clicked) : [...current, clicked];
}
