import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { OutlierReason } from '../../src/protocol/scanResults';
import { REASON_LABELS } from '../../src/protocol/scanResults';
import type { RequestPage } from '../../src/protocol/webview';
import { DEFAULT_OPTIONS, generateResultSet } from './fixtures/resultSet';
import { pathsByScoreDescending } from './fixtures/expectations';
import { chooseOption, shownThreshold, typeThresholdScore, waitForLoadedCells } from './harness/panelQueries';
import { openPanel, postedMessages, settleFrames, type Panel } from './harness/session';

const ARTIFACTS = join(__dirname, '..', '..', '.artifacts', 'webview');
const resultSet = generateResultSet(DEFAULT_OPTIONS);
const byScore = pathsByScoreDescending(resultSet);
const reasonsOf = new Map(resultSet.scored.map((image) => [image.relativePath, image.reasons ?? []]));
/** Expected counts, by plain loops over the fixture. */
const countOf = (reason: OutlierReason): number => resultSet.scored.filter((image) => image.reasons?.includes(reason)).length;
const anyCount = resultSet.scored.filter((image) => (image.reasons ?? []).length > 0).length;

/** The reason select's options as the user reads them. */
function reasonOptions(panel: Panel): Promise<string[]> {
  return panel.page.$$eval('vscode-single-select#reason vscode-option', (options) => options.map((option) => option.textContent ?? ''));
}

/** The paths of the gallery's loaded cells, in list order. */
async function listedPaths(panel: Panel): Promise<string[]> {
  return (await waitForLoadedCells(panel.page)).map((cell) => cell.relativePath);
}

describe('webview: filter by reason', () => {
  let panel: Panel;
  beforeEach(async () => {
    panel = await openPanel();
  });

  it('lists every reason the scan found with its count, and "any reason"', async () => {
    const options = await reasonOptions(panel);
    const expected = ['Any or no reason', `Any reason (${anyCount.toLocaleString('en-US')})`];
    for (const reason of Object.keys(REASON_LABELS) as OutlierReason[]) {
      if (countOf(reason) > 0) expected.push(`${REASON_LABELS[reason]} (${countOf(reason)})`);
    }
    assert.ok(expected.length >= 6, 'the fixture has several reasons');
    assert.deepEqual(options, expected);
  });

  it('shows only the images with the chosen reason, in score order, and all of them', async () => {
    await chooseOption(panel.page, 'reason', `near duplicate (${countOf('near-duplicate')})`);
    const cells = await listedPaths(panel);
    const expected = byScore.filter((path) => reasonsOf.get(path)?.includes('near-duplicate'));
    assert.deepEqual(cells, expected.slice(0, cells.length));
    // The list ends with the last image that carries the reason (End goes to the list's last item).
    await panel.page.focus('#gallery');
    await panel.page.keyboard.press('End');
    const atEnd = await waitForLoadedCells(panel.page);
    const last = atEnd[atEnd.length - 1];
    assert.equal(last.relativePath, expected[expected.length - 1]);
    assert.equal(last.index, expected.length - 1);
    const request = (await postedMessages(panel.page)).filter((message): message is RequestPage => message.type === 'requestPage').pop();
    assert.equal(request?.query.reason, 'near-duplicate');
    assert.ok(panel.errors.length === 0, panel.errors.join('\n'));
  });

  it('combines "any reason" with the outliers filter, the threshold and the sort', async () => {
    await typeThresholdScore(panel.page, 30);
    const { value } = await shownThreshold(panel.page);
    await chooseOption(panel.page, 'filter', 'Outliers');
    await chooseOption(panel.page, 'reason', `Any reason (${anyCount.toLocaleString('en-US')})`);
    let cells = await listedPaths(panel);
    const scoreOf = new Map(resultSet.scored.map((image) => [image.relativePath, Math.fround(image.instanceScore)]));
    const expected = byScore.filter((path) => (reasonsOf.get(path) ?? []).length > 0 && (scoreOf.get(path) ?? 0) > value);
    assert.ok(expected.length > 0);
    assert.deepEqual(cells, expected.slice(0, cells.length));
    await chooseOption(panel.page, 'sort', 'Score, lowest first');
    cells = await listedPaths(panel);
    assert.deepEqual(cells, [...expected].reverse().slice(0, cells.length));
    // Back to every image: the gallery lists all of them again, failed files last.
    await chooseOption(panel.page, 'reason', 'Any or no reason');
    await chooseOption(panel.page, 'filter', 'All images');
    await chooseOption(panel.page, 'sort', 'Score, highest first');
    cells = await listedPaths(panel);
    assert.deepEqual(cells, byScore.slice(0, cells.length));
  });

  it('keeps the reason filter across a reload (screenshot)', async () => {
    await chooseOption(panel.page, 'reason', `low information (${countOf('low-information')})`);
    await listedPaths(panel);
    await panel.page.reload();
    await panel.page.waitForSelector('body[data-gallery-ready]', { state: 'attached' });
    const cells = await listedPaths(panel);
    assert.ok(cells.every((path) => reasonsOf.get(path)?.includes('low-information')));
    assert.equal(cells.length, Math.min(cells.length, countOf('low-information')));
    await mkdir(ARTIFACTS, { recursive: true });
    await settleFrames(panel.page);
    await panel.page.screenshot({ path: join(ARTIFACTS, 'dark-reason-filter.png') });
  });
});
