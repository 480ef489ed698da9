import type { AppState, ActiveView } from './appState';
import type { Store } from './store';
import { element } from '../dom/element';

const VIEWS: readonly (readonly [ActiveView, string])[] = [
  ['gallery', 'Gallery'],
  ['duplicates', 'Duplicates'],
  ['scores', 'Scores'],
  ['training', 'Training'],
];

/** The panel's tabs (Gallery, Duplicates, Scores, Training) as `vscode-tabs`, kept in step with `activeView`. */
export function createViewTabs(store: Store<AppState>, panels: Readonly<Record<ActiveView, HTMLElement>>): HTMLElement {
  const tabs = element('vscode-tabs', { id: 'views', attributes: { panel: '' } });
  for (const [view, label] of VIEWS) {
    tabs.append(
      // vscode-tabs overwrites the ids of headers and panels (for aria), so they are found by data-view.
      element('vscode-tab-header', { text: label, attributes: { slot: 'header', 'data-view': view } }),
      element('vscode-tab-panel', { attributes: { 'data-view': view } }, [panels[view]]),
    );
  }
  const indexOf = (view: ActiveView): number => VIEWS.findIndex(([candidate]) => candidate === view);
  tabs.selectedIndex = indexOf(store.state.activeView);
  tabs.addEventListener('vsc-tabs-select', (event) => {
    const view = VIEWS[event.detail.selectedIndex]?.[0];
    if (view) store.update({ activeView: view });
  });
  store.subscribe((state, changed) => {
    if (changed.has('activeView') && tabs.selectedIndex !== indexOf(state.activeView)) {
      tabs.selectedIndex = indexOf(state.activeView);
    }
  });
  return tabs;
}
