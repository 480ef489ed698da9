import type { AppState } from '../app/appState';
import type { Store } from '../app/store';
import { element, setText } from '../dom/element';
import { formatCount } from '../dom/format';

/** What the selection's buttons do (the gallery owns the selection). */
export interface SelectionActions {
  /** Select every image above the threshold; resolves how many. */
  readonly selectAllFlagged: () => Promise<number>;
  readonly clear: () => void;
  /** Train a new detector without the flagged images, then scan again. */
  readonly retrainWithoutFlagged: () => void;
}

/** Says how to select and open while nothing is selected. */
const HINT = 'Click an image to select it · Ctrl/Cmd-click or Space adds · Shift-click a range · double-click or Enter opens its details';

/**
 * How many images are selected, with "Select all flagged" and "Clear"; while nothing is, a line
 * that says how to select and open images.
 */
export class SelectionSummary {
  /** The summary's element. */
  readonly root: HTMLElement;
  private readonly text = element('span', { id: 'selection-summary', className: 'selection-text', attributes: { role: 'status' } });
  private readonly clearButton: HTMLElement;

  constructor(
    private readonly store: Store<AppState>,
    actions: SelectionActions,
  ) {
    const selectFlagged = element('vscode-button', { id: 'select-flagged', text: 'Select all flagged', attributes: { secondary: '', title: 'Select every image above the threshold' } });
    selectFlagged.addEventListener('click', () => void actions.selectAllFlagged());
    this.clearButton = element('vscode-button', { id: 'selection-clear', text: 'Clear selection', attributes: { secondary: '' } });
    this.clearButton.addEventListener('click', () => actions.clear());
    const retrain = element('vscode-button', {
      id: 'retrain-without-flagged',
      text: 'Retrain without flagged',
      attributes: { secondary: '', title: 'Train a new detector on this folder without the images above the threshold and the folders marked as outliers (same settings; the old detector stays), then scan again' },
    });
    retrain.addEventListener('click', () => actions.retrainWithoutFlagged());
    this.root = element('div', { className: 'selection', attributes: { role: 'group', 'aria-label': 'Selection' } }, [this.text, selectFlagged, this.clearButton, retrain]);
  }

  /** Show the selection's size (called in a frame). */
  render(): void {
    const count = this.store.state.selection.length;
    setText(this.text, count === 0 ? HINT : `${formatCount(count)} selected`);
    this.text.classList.toggle('is-hint', count === 0);
    this.clearButton.hidden = count === 0;
  }
}
