import assert from 'node:assert/strict';
import { DEFAULT_OPTIONS, generateResultSet } from './fixtures/resultSet';
import { numpyPercentile } from './fixtures/expectations';
import { chooseOption, moveSlider, renderedCells, shownThreshold, waitForLoadedCells } from './harness/panelQueries';
import { openPanel, settleFrames } from './harness/session';

const resultSet = generateResultSet(DEFAULT_OPTIONS);
const selectValue = (element: Element): string => (element as HTMLElement & { value: string }).value;

describe('webview: state survives a reload', () => {
  it('restores threshold, filter, sort, scroll position and selection', async () => {
    const { page } = await openPanel();
    await moveSlider(page, '#threshold-percentile-slider', 80);
    await chooseOption(page, 'sort', 'Name');
    await chooseOption(page, 'filter', 'Inliers');
    await waitForLoadedCells(page);
    await page.$eval('#gallery', (element) => (element.scrollTop = 2400));
    const before = await waitForLoadedCells(page);
    const target = before.find((cell) => cell.index > before[0].index + 20) ?? before[0];
    await page.click(`#gallery-item-${target.index}`);
    await settleFrames(page);
    const scrollTop = await page.$eval('#gallery', (element) => element.scrollTop); // The click may have scrolled the cell into view.
    const shown = await waitForLoadedCells(page);
    await page.waitForTimeout(300); // The panel saves state 120 ms after the last change.

    await page.reload();
    await page.waitForSelector('body[data-gallery-ready]', { state: 'attached' });
    const after = await waitForLoadedCells(page);
    const { value, percentile } = await shownThreshold(page);
    assert.equal(percentile, 80);
    assert.ok(Math.abs(value - numpyPercentile(resultSet, 80)) < 1e-9);
    assert.equal(await page.$eval('#filter', selectValue), 'inliers');
    assert.equal(await page.$eval('#sort', selectValue), 'name');
    assert.ok(scrollTop > 1000);
    assert.equal(await page.$eval('#gallery', (element) => element.scrollTop), scrollTop);
    assert.deepEqual(after.map((cell) => cell.relativePath), shown.map((cell) => cell.relativePath));
    assert.deepEqual(after.filter((cell) => cell.isSelected).map((cell) => cell.index), [target.index]);
  });

  it('restores the search, the open detail view and the active tab', async () => {
    const { page } = await openPanel();
    await page.locator('vscode-textfield#search input').fill('item-0004');
    await page.waitForFunction(() => document.querySelector('#gallery .gallery-cell:not([hidden])')?.getAttribute('data-relative-path')?.includes('item-0004'));
    await waitForLoadedCells(page);
    await page.dblclick('#gallery-item-2');
    await page.waitForSelector('#detail:not([hidden])');
    const title = await page.textContent('#detail-title');
    await page.waitForTimeout(300);
    await page.reload();
    await page.waitForSelector('#detail:not([hidden])');
    await page.waitForFunction((expected) => document.getElementById('detail-title')?.textContent === expected, title);
    await page.waitForFunction(() => document.getElementById('detail-score')?.textContent !== '');
    assert.equal(await page.locator('vscode-textfield#search input').inputValue(), 'item-0004');

    await page.click('#detail-back');
    await page.click('vscode-tab-header[data-view="training"]');
    await page.waitForTimeout(300);
    await page.reload();
    await page.waitForSelector('#training-loss canvas');
    assert.ok(await page.isVisible('#training-panel'));
    assert.ok(await page.isHidden('#gallery'));
    const cells = await renderedCells(page);
    assert.ok(cells.every((cell) => cell.relativePath.includes('item-0004')));
  });
});
