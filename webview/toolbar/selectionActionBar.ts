import type { ActionState, SelectionActionKind } from '../../src/protocol/webview';
import { SELECTION_ACTIONS } from '../../src/protocol/webview';
import type { AppState } from '../app/appState';
import type { FrameScheduler } from '../app/frameScheduler';
import type { Store } from '../app/store';
import { element, setText } from '../dom/element';

/** What the bar's buttons do: the host runs the actions; the bar only asks. */
export interface SelectionActionCallbacks {
  readonly act: (action: SelectionActionKind, paths: readonly string[]) => void;
  readonly undo: () => void;
}

/** Each action's button: its id suffix, text and tooltip. */
const BUTTONS: Readonly<Record<SelectionActionKind, readonly [string, string, string]>> = {
  moveToOutliers: ['move-outliers', 'Move to .outliers/', 'Move the selected images into .outliers/ in the scanned folder, keeping their sub-folders; scans skip it, so they leave the results. Undo moves them back.'],
  moveTo: ['move-to', 'Move to…', 'Move the selected images into a folder you pick, keeping their sub-folders; a name already taken there gets " (1)".'],
  trash: ['trash', 'Delete…', 'Move the selected images to the trash (asks first); Undo puts them back while this panel is open.'],
  copyPaths: ['copy-paths', 'Copy paths', 'Copy the full paths of the selected images, one a line.'],
  markInliers: ['mark-inliers', 'Label inliers', 'Write the selected images as inliers into the labels file: the ROC and PR curves count them.'],
  markOutliers: ['mark-outliers', 'Label outliers', 'Write the selected images as outliers into the labels file: the ROC and PR curves count them.'],
};

/**
 * The actions on the selected images (move, delete, copy paths, label), Undo of the last one, and
 * a status line that says what runs and how the last action ended. The buttons wait while
 * nothing is selected or an action runs.
 */
export class SelectionActionBar {
  /** The bar's element. */
  readonly root: HTMLElement;
  private readonly buttons: ReadonlyArray<readonly [SelectionActionKind, HTMLElement]>;
  private readonly undoButton = element('vscode-button', { id: 'action-undo', attributes: { secondary: '', icon: 'discard' } });
  private readonly status = element('span', { id: 'action-status', className: 'action-status', attributes: { role: 'status', 'aria-live': 'polite' } });

  constructor(
    private readonly store: Store<AppState>,
    scheduler: FrameScheduler,
    callbacks: SelectionActionCallbacks,
  ) {
    this.buttons = SELECTION_ACTIONS.map((action) => {
      const [id, text, title] = BUTTONS[action];
      const button = element('vscode-button', { id: `action-${id}`, text, attributes: { secondary: '', title } });
      button.addEventListener('click', () => {
        if (!button.hasAttribute('disabled')) callbacks.act(action, this.store.state.selection);
      });
      return [action, button] as const;
    });
    this.undoButton.addEventListener('click', () => {
      if (!this.undoButton.hasAttribute('disabled')) callbacks.undo();
    });
    this.root = element('div', { id: 'selection-actions', className: 'selection-actions', attributes: { role: 'toolbar', 'aria-label': 'Actions on the selected images' } }, [
      ...this.buttons.map(([, button]) => button),
      this.undoButton,
      this.status,
    ]);
    store.subscribe((_state, changed) => {
      if (changed.has('selection') || changed.has('actions')) scheduler.schedule('selectionActions', () => this.render());
    });
    scheduler.schedule('selectionActions', () => this.render());
  }

  /** Enable what can run now and say what happened (called in a frame). */
  render(): void {
    const actions: ActionState | null = this.store.state.actions;
    const busy = actions?.running != null;
    const nothingSelected = this.store.state.selection.length === 0;
    for (const [, button] of this.buttons) button.toggleAttribute('disabled', busy || nothingSelected);
    const undo = actions?.undo ?? null;
    this.undoButton.hidden = undo === null;
    this.undoButton.toggleAttribute('disabled', busy);
    setText(this.undoButton, undo === null ? 'Undo' : `Undo ${undo}`);
    const result = actions?.result ?? null;
    setText(this.status, actions?.running ?? result?.message ?? '');
    this.status.dataset.outcome = busy ? 'running' : (result?.outcome ?? '');
  }
}
