import assert from 'node:assert/strict';
import type { DidChangeSelection } from '../../src/protocol/webview';
import { DEFAULT_OPTIONS, generateResultSet } from './fixtures/resultSet';
import { outlierCount, pathsByScoreDescending } from './fixtures/expectations';
import { renderedCells, shownCounts, waitForLoadedCells } from './harness/panelQueries';
import { openPanel, postedMessages, settleFrames, waitForPosted, type Panel } from './harness/session';

const resultSet = generateResultSet(DEFAULT_OPTIONS);
const byScore = pathsByScoreDescending(resultSet);

async function lastSelection(panel: Panel): Promise<readonly string[]> {
  const changes = (await postedMessages(panel.page)).filter((message): message is DidChangeSelection => message.type === 'didChangeSelection');
  return changes.at(-1)?.selected ?? [];
}

describe('webview: selection and count badges', () => {
  let panel: Panel;
  beforeEach(async () => {
    panel = await openPanel();
    await waitForLoadedCells(panel.page);
  });

  it('click selects one image, Ctrl-click adds, Shift-click selects a range; double-click opens the detail', async () => {
    await panel.page.click('#gallery-item-2');
    await settleFrames(panel.page);
    assert.deepEqual(await lastSelection(panel), [byScore[2]]);
    const cells = await renderedCells(panel.page);
    assert.deepEqual(cells.filter((cell) => cell.isInSelection).map((cell) => cell.index), [2]);
    assert.deepEqual(cells.filter((cell) => cell.isSelected).map((cell) => cell.index), [2]);
    assert.equal(await panel.page.isHidden('#detail'), true, 'a click does not open the detail view');

    await panel.page.click('#gallery-item-5', { modifiers: ['Control'] });
    assert.deepEqual(await lastSelection(panel), [byScore[2], byScore[5]]);
    await panel.page.click('#gallery-item-7', { modifiers: ['Shift'] });
    assert.deepEqual(await lastSelection(panel), byScore.slice(5, 8), 'the range runs from the last clicked image');
    await settleFrames(panel.page);
    assert.deepEqual((await renderedCells(panel.page)).filter((cell) => cell.isInSelection).map((cell) => cell.index), [5, 6, 7]);
    assert.equal(await panel.page.textContent('#selection-summary'), '3 selected');
    assert.equal(await panel.page.getAttribute('#gallery-item-6', 'aria-selected'), 'true');

    await panel.page.dblclick('#gallery-item-3');
    await panel.page.waitForSelector('#detail:not([hidden])');
    assert.equal(await panel.page.textContent('#detail-title'), byScore[3]);
  });

  it('says how to select and open while nothing is selected, and on each image’s tooltip', async () => {
    assert.match((await panel.page.textContent('#selection-summary')) ?? '', /Click an image to select it.*double-click or Enter opens its details/);
    assert.equal(await panel.page.isHidden('#selection-clear'), true);
    assert.match((await panel.page.getAttribute('#gallery-item-0', 'title')) ?? '', /Double-click or Enter: details/);
  });

  it('"Select all flagged" selects every image above the threshold, and Clear empties the selection', async () => {
    await panel.page.click('#select-flagged');
    const flagged = outlierCount(resultSet, 20);
    await panel.page.waitForFunction((expected) => document.getElementById('selection-summary')?.textContent === `${expected} selected`, flagged);
    assert.deepEqual(await lastSelection(panel), byScore.slice(0, flagged));
    await panel.page.click('#selection-clear');
    await settleFrames(panel.page);
    assert.deepEqual(await lastSelection(panel), []);
    assert.equal((await renderedCells(panel.page)).filter((cell) => cell.isInSelection).length, 0);
  });

  it('each count badge shows those images; a second click shows all again', async () => {
    const { outliers, inliers } = await shownCounts(panel.page);
    await panel.page.click('#show-outliers');
    let cells = await waitForLoadedCells(panel.page);
    assert.equal(await panel.page.getAttribute('#show-outliers', 'aria-pressed'), 'true');
    assert.deepEqual(cells.map((cell) => cell.relativePath), byScore.slice(0, Math.min(outliers, cells.length)));
    assert.ok(cells.every((cell) => cell.isOutlier));
    assert.equal(await panel.page.$eval('#filter', (select) => (select as HTMLElement & { value: string }).value), 'outliers', 'the Show menu follows');

    await panel.page.click('#show-inliers');
    cells = await waitForLoadedCells(panel.page);
    assert.deepEqual(cells.map((cell) => cell.relativePath), byScore.slice(outliers, outliers + Math.min(inliers, cells.length)));
    await panel.page.click('#show-errors');
    cells = await waitForLoadedCells(panel.page);
    assert.ok(cells.length === DEFAULT_OPTIONS.failedCount && cells.every((cell) => cell.isFailed));
    await panel.page.click('#show-errors');
    cells = await waitForLoadedCells(panel.page);
    assert.equal(await panel.page.getAttribute('#show-errors', 'aria-pressed'), 'false');
    assert.equal(cells[0].relativePath, byScore[0], 'all images again');
  });

  it('"Retrain without flagged" asks the host to retrain for the scan shown', async () => {
    await panel.page.click('#retrain-without-flagged');
    const message = await waitForPosted(panel.page, (entry) => entry.type === 'retrainWithoutFlagged');
    assert.deepEqual(message, { type: 'retrainWithoutFlagged', scanId: `scan-${DEFAULT_OPTIONS.seed}-${DEFAULT_OPTIONS.count}` });
  });
});
