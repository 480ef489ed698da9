import assert from 'node:assert/strict';
import type { RequestPage } from '../../src/protocol/webview';
import { DEFAULT_OPTIONS, generateResultSet } from './fixtures/resultSet';
import { outlierCount, pathsByScoreDescending } from './fixtures/expectations';
import { chooseOption, shownThreshold, typeThresholdScore, waitForLoadedCells } from './harness/panelQueries';
import { openPanel, postedMessages, type Panel } from './harness/session';

const resultSet = generateResultSet(DEFAULT_OPTIONS);
const byScore = pathsByScoreDescending(resultSet);

describe('webview: gallery', () => {
  let panel: Panel;
  beforeEach(async () => {
    panel = await openPanel();
  });

  it('lists images by score, highest first, with score badges', async () => {
    const cells = await waitForLoadedCells(panel.page);
    assert.deepEqual(cells.map((cell) => cell.relativePath), byScore.slice(0, cells.length));
    const top = resultSet.scored.find((image) => image.relativePath === byScore[0]);
    assert.equal(cells[0].scoreText, top?.instanceScore.toFixed(2));
  });

  it('shows the scan\'s reasons as badges on the thumbnails, duplicates styled as marks', async () => {
    const cells = await waitForLoadedCells(panel.page);
    const shown = await panel.page.$$eval('#gallery .gallery-cell:not([hidden])', (nodes) =>
      nodes.map((node) => ({
        path: (node as HTMLElement).dataset.relativePath ?? '',
        badges: [...node.querySelectorAll('.cell-reasons .reason-badge')].map((badge) => `${badge.textContent}${badge.classList.contains('is-mark') ? '*' : ''}`),
      })),
    );
    const expected = (relativePath: string): string[] => {
      const reasons = resultSet.scored.find((image) => image.relativePath === relativePath)?.reasons ?? [];
      return reasons.map((reason) => ({ llr: 'LLR', 'low-information': 'low information', 'exact-duplicate': 'duplicate*', 'near-duplicate': 'near duplicate*', 'odd-size': 'odd size*' })[reason as string] ?? reason);
    };
    assert.equal(shown.length, cells.length);
    assert.ok(shown.some((cell) => cell.badges.length > 0), 'some cell in view has reasons');
    for (const cell of shown) assert.deepEqual(cell.badges, expected(cell.path), cell.path);
  });

  it('sorts by score ascending and by name', async () => {
    await chooseOption(panel.page, 'sort', 'Score, lowest first');
    let cells = await waitForLoadedCells(panel.page);
    assert.deepEqual(cells.map((cell) => cell.relativePath), [...byScore].reverse().slice(0, cells.length));
    await chooseOption(panel.page, 'sort', 'Name');
    cells = await waitForLoadedCells(panel.page);
    const byName = resultSet.scored.map((image) => image.relativePath).sort();
    assert.deepEqual(cells.map((cell) => cell.relativePath), byName.slice(0, cells.length));
  });

  it('filters outliers and inliers at the current threshold', async () => {
    await typeThresholdScore(panel.page, 30);
    const { value } = await shownThreshold(panel.page);
    const outliers = outlierCount(resultSet, value);
    await chooseOption(panel.page, 'filter', 'Outliers');
    let cells = await waitForLoadedCells(panel.page);
    assert.deepEqual(cells.map((cell) => cell.relativePath), byScore.slice(0, Math.min(cells.length, outliers)));
    assert.ok(cells.every((cell) => cell.isOutlier));
    await chooseOption(panel.page, 'filter', 'Inliers');
    cells = await waitForLoadedCells(panel.page);
    assert.deepEqual(cells.map((cell) => cell.relativePath), byScore.slice(outliers, outliers + cells.length));
    assert.ok(cells.every((cell) => !cell.isOutlier));
    // Moving the threshold re-slices the inliers without a reload of the page.
    await typeThresholdScore(panel.page, 60);
    const moved = outlierCount(resultSet, (await shownThreshold(panel.page)).value);
    cells = await waitForLoadedCells(panel.page);
    assert.deepEqual(cells.map((cell) => cell.relativePath), byScore.slice(moved, moved + cells.length));
  });

  it('searches by name', async () => {
    const field = panel.page.locator('vscode-textfield#search input');
    await field.fill('digit-00012');
    await panel.page.waitForFunction(() => document.querySelector('#gallery .gallery-cell:not([hidden])')?.getAttribute('data-relative-path')?.includes('digit-00012'));
    const cells = await waitForLoadedCells(panel.page);
    const expected = byScore.filter((path) => path.includes('digit-00012'));
    assert.deepEqual(cells.map((cell) => cell.relativePath), expected);
  });

  it('lists the failed files with their reasons under the errors filter', async () => {
    await chooseOption(panel.page, 'filter', 'Errors');
    await panel.page.waitForFunction(() => document.querySelector('#gallery .gallery-cell.is-failed') !== null);
    const cells = await waitForLoadedCells(panel.page);
    assert.deepEqual(
      cells.map((cell) => [cell.relativePath, cell.reason]),
      resultSet.failed.map((file) => [file.relativePath, file.reason]),
    );
    assert.ok(cells.every((cell) => cell.isFailed));
  });

  it('keeps only the rows in view in the DOM and asks the host for pages', async () => {
    const first = await waitForLoadedCells(panel.page);
    const columns = await panel.page.$$eval('#gallery .gallery-cell:not([hidden])', (cells) => new Set(cells.map((cell) => (cell as HTMLElement).style.transform.split(',')[0])).size);
    const viewport = await panel.page.$eval('#gallery', (element) => element.clientHeight);
    const maxRows = Math.ceil(viewport / 160) + 1 + 4; // visible + partial + overscan above and below
    assert.ok(first.length <= maxRows * columns, `${first.length} cells for ${columns} columns`);
    await panel.page.$eval('#gallery', (element) => (element.scrollTop = element.scrollHeight));
    await panel.page.waitForFunction(() => document.querySelector('#gallery .gallery-cell.is-failed') !== null);
    const last = await waitForLoadedCells(panel.page);
    assert.ok(last.length <= maxRows * columns);
    assert.equal(last[last.length - 1].index, resultSet.scored.length + resultSet.failed.length - 1);
    assert.ok(last.slice(-5).every((cell) => cell.isFailed), 'failed files come last in "all"');
    const requests = (await postedMessages(panel.page)).filter((message): message is RequestPage => message.type === 'requestPage');
    assert.ok(requests.length >= 2);
    assert.ok(requests.every((request) => request.limit <= 200), 'pages, never the whole list');
    assert.equal(await panel.page.$$eval('#gallery .gallery-cell', (cells) => cells.length) <= maxRows * columns + columns * 2, true);
    assert.deepEqual(panel.errors, []);
  });
});
