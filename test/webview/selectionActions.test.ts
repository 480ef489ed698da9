import assert from 'node:assert/strict';
import type { ActOnSelection, ActionState } from '../../src/protocol/webview';
import { DEFAULT_OPTIONS, generateResultSet } from './fixtures/resultSet';
import { pathsByScoreDescending } from './fixtures/expectations';
import { renderedCells, waitForLoadedCells } from './harness/panelQueries';
import { openPanel, postedMessages, settleFrames, waitForPosted, type Panel } from './harness/session';

const byScore = pathsByScoreDescending(generateResultSet(DEFAULT_OPTIONS));

/** Plays the host: pushes an action state to the panel. */
async function pushState(panel: Panel, state: Omit<ActionState, 'type'>): Promise<void> {
  await panel.page.evaluate((message) => window.__fakeHost?.push(message), { type: 'actionState', ...state } as ActionState);
  await panel.page.waitForTimeout(50);
  await settleFrames(panel.page);
}

const isDisabled = (panel: Panel, selector: string): Promise<boolean> => panel.page.$eval(selector, (button) => button.hasAttribute('disabled'));

describe('webview: actions on the selected images', () => {
  let panel: Panel;
  beforeEach(async () => {
    panel = await openPanel();
    await waitForLoadedCells(panel.page);
  });

  it('waits for a selection, then asks the host to act on exactly the selected paths', async () => {
    assert.equal(await isDisabled(panel, '#action-move-outliers'), true, 'nothing selected: nothing to act on');
    assert.equal(await panel.page.isHidden('#action-undo'), true);
    await panel.page.click('#gallery-item-1');
    await panel.page.click('#gallery-item-4', { modifiers: ['Control'] });
    await settleFrames(panel.page);
    assert.equal(await isDisabled(panel, '#action-move-outliers'), false);
    await panel.page.click('#action-move-outliers');
    const move = (await waitForPosted(panel.page, (message) => message.type === 'actOnSelection')) as ActOnSelection;
    assert.deepEqual(move, { type: 'actOnSelection', action: 'moveToOutliers', paths: [byScore[1], byScore[4]] });
    for (const [id, action] of [['#action-trash', 'trash'], ['#action-copy-paths', 'copyPaths'], ['#action-mark-outliers', 'markOutliers']] as const) {
      await panel.page.click(id);
      const posted = await waitForPosted(panel.page, (message) => message.type === 'actOnSelection' && message.action === action);
      assert.deepEqual((posted as ActOnSelection).paths, [byScore[1], byScore[4]]);
    }
  });

  it('disables the buttons while an action runs and says what runs; then shows the result, takes the selection the host gives, and offers Undo', async () => {
    await panel.page.click('#gallery-item-2');
    await pushState(panel, { running: 'Moving 1 image…', undo: null, result: null });
    assert.equal(await isDisabled(panel, '#action-move-outliers'), true);
    assert.equal(await panel.page.textContent('#action-status'), 'Moving 1 image…');

    const moved = `kept/${byScore[2]}`;
    await pushState(panel, { running: null, undo: 'move of 1 image to kept/', result: { sequence: 1, outcome: 'done', message: 'Moved 1 image to kept/ (they keep their scores under their new paths).', selection: [moved] } });
    assert.equal(await panel.page.textContent('#action-status'), 'Moved 1 image to kept/ (they keep their scores under their new paths).');
    assert.equal(await panel.page.isHidden('#action-undo'), false);
    assert.equal(await panel.page.textContent('#action-undo'), 'Undo move of 1 image to kept/');
    const selections = (await postedMessages(panel.page)).filter((message) => message.type === 'didChangeSelection');
    assert.deepEqual(selections.at(-1), { type: 'didChangeSelection', selected: [moved] }, 'the selection follows the moved image');

    await panel.page.click('#action-undo');
    await waitForPosted(panel.page, (message) => message.type === 'undoLastAction');
    await pushState(panel, { running: null, undo: null, result: { sequence: 2, outcome: 'failed', message: 'Nothing to undo.' } });
    assert.equal(await panel.page.isHidden('#action-undo'), true);
    assert.equal(await panel.page.getAttribute('#action-status', 'data-outcome'), 'failed');
  });

  it('does not replace the restored selection with an older result after a reload', async () => {
    await panel.page.click('#gallery-item-3');
    await settleFrames(panel.page);
    // The first state after the page loads carries a result from before: the selection stays.
    await pushState(panel, { running: null, undo: null, result: { sequence: 7, outcome: 'done', message: 'Deleted 1 image to the trash; they leave the results.', selection: [] } });
    assert.deepEqual((await renderedCells(panel.page)).filter((cell) => cell.isInSelection).map((cell) => cell.index), [3]);
    assert.equal(await panel.page.textContent('#action-status'), 'Deleted 1 image to the trash; they leave the results.');
    assert.deepEqual(panel.errors, []);
  });
});
