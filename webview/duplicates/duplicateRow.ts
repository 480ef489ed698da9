import type { DuplicateGroup } from '../../src/protocol/webview';
import { element, setText } from '../dom/element';
import { formatCount } from '../dom/format';

/** Thumbnails shown per group; the rest are counted ("+3 more"). */
export const MAX_THUMBNAILS = 8;

/** What a row shows besides its group. */
export interface RowContext {
  /** The image kept when "Keep one" selects the others. */
  readonly keeperOf: (group: DuplicateGroup) => string;
  readonly selection: ReadonlySet<string>;
}

/**
 * One recycled row of the duplicates view: the group's kind and size, its thumbnails side by side
 * (the one to keep ringed), and the buttons "Keep one" and "Reveal". Clicks are handled by the
 * view through `data-action`, `data-group` and `data-path`.
 */
export class DuplicateRow {
  /** The row element, absolutely positioned in the list. */
  readonly root: HTMLDivElement;
  private readonly title = element('span', { className: 'duplicate-title' });
  private readonly keep: HTMLElement;
  private readonly reveal: HTMLElement;
  private readonly strip = element('div', { className: 'duplicate-strip' });
  private readonly more = element('span', { className: 'duplicate-more' });
  private shown: DuplicateGroup | undefined | null = null;

  constructor() {
    this.keep = element('vscode-button', { text: 'Keep one', attributes: { 'data-action': 'keep', title: 'Select the other images of this group (the ringed one stays out of the selection); click a thumbnail to choose which to keep' } });
    this.reveal = element('vscode-button', { text: 'Reveal', attributes: { secondary: '', 'data-action': 'reveal', title: 'Reveal the ringed image in the Explorer' } });
    this.root = element('div', { className: 'duplicate-row', attributes: { role: 'group' } }, [
      element('div', { className: 'duplicate-header' }, [this.title, this.keep, this.reveal]),
      element('div', { className: 'duplicate-images' }, [this.strip, this.more]),
    ]);
  }

  /** Move the row to `y` px from the top of the list. */
  place(y: number): void {
    this.root.style.transform = `translate(0, ${y}px)`;
  }

  /** Show group `index` (undefined while its page loads). */
  show(group: DuplicateGroup | undefined, index: number, context: RowContext): void {
    if (this.root.hidden) this.root.hidden = false;
    this.root.dataset.group = String(index);
    this.keep.dataset.group = String(index);
    this.reveal.dataset.group = String(index);
    this.root.classList.toggle('is-loading', group === undefined);
    if (group !== this.shown) {
      this.shown = group;
      this.root.dataset.kind = group?.kind ?? '';
      setText(this.title, group ? `${group.kind === 'exact' ? 'Exact duplicates' : 'Near duplicates'} · ${formatCount(group.items.length)} images` : 'Loading…');
      this.root.setAttribute('aria-label', this.title.textContent ?? '');
      this.strip.replaceChildren(...(group?.items.slice(0, MAX_THUMBNAILS) ?? []).map((item) =>
        element('figure', { className: 'duplicate-image', attributes: { 'data-path': item.relativePath, 'data-group': String(index), title: `${item.relativePath}\nscore ${item.score.toFixed(2)} · rank ${item.rank}\nClick: keep this one · double-click: open` } }, [
          element('img', { attributes: { src: item.imageUri, alt: '', draggable: 'false', decoding: 'async' } }),
          element('figcaption', { text: item.relativePath }),
        ]),
      ));
      const hidden = (group?.items.length ?? 0) - MAX_THUMBNAILS;
      setText(this.more, hidden > 0 ? `+${formatCount(hidden)} more` : '');
    }
    if (!group) return;
    const keeper = context.keeperOf(group);
    for (const figure of this.strip.children) {
      const path = (figure as HTMLElement).dataset.path ?? '';
      figure.classList.toggle('is-keeper', path === keeper);
      figure.classList.toggle('is-in-selection', context.selection.has(path));
    }
  }

  /** Hide the row (scrolled out; kept for reuse). */
  hide(): void {
    this.root.hidden = true;
  }
}
