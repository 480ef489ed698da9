/** What a key press in the gallery asks for. */
export type GalleryKeyAction =
  | { readonly kind: 'select'; readonly index: number }
  | { readonly kind: 'openDetail' }
  | { readonly kind: 'openImage' }
  | { readonly kind: 'reveal' }
  | { readonly kind: 'toggleSelection' };

/** The parts of a KeyboardEvent the gallery looks at. */
export interface KeyPress {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly shiftKey: boolean;
  readonly altKey: boolean;
}

/** Where the selection is and how the grid is laid out. */
export interface GridPosition {
  readonly index: number;
  readonly columns: number;
  readonly total: number;
  readonly rowsPerPage: number;
}

/**
 * The gallery's keys: arrows move in the grid, Home/End/PageUp/PageDown jump, Enter opens the
 * detail view, Ctrl/Cmd+Enter opens the image in an editor, Shift+Alt+R reveals it in the
 * Explorer (VS Code's own binding), Space adds it to the selection or takes it out.
 */
export function galleryKeyAction(press: KeyPress, position: GridPosition): GalleryKeyAction | undefined {
  const { index, columns, total, rowsPerPage } = position;
  if (total === 0) return undefined;
  const clamp = (value: number): number => Math.max(0, Math.min(total - 1, value));
  switch (press.key) {
    case 'ArrowRight':
      return { kind: 'select', index: clamp(index + 1) };
    case 'ArrowLeft':
      return { kind: 'select', index: clamp(index - 1) };
    case 'ArrowDown':
      return { kind: 'select', index: clamp(index + columns) };
    case 'ArrowUp':
      return { kind: 'select', index: clamp(index - columns) };
    case 'PageDown':
      return { kind: 'select', index: clamp(index + columns * rowsPerPage) };
    case 'PageUp':
      return { kind: 'select', index: clamp(index - columns * rowsPerPage) };
    case 'Home':
      return { kind: 'select', index: 0 };
    case 'End':
      return { kind: 'select', index: total - 1 };
    case 'Enter':
      return press.ctrlKey || press.metaKey ? { kind: 'openImage' } : { kind: 'openDetail' };
    case ' ':
      return { kind: 'toggleSelection' };
    case 'R':
    case 'r':
      return press.shiftKey && press.altKey ? { kind: 'reveal' } : undefined;
    default:
      return undefined;
  }
}
