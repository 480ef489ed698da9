import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { CalibratedSignal } from '../../src/protocol/scanResults';
import type { DidChangeRanking } from '../../src/protocol/webview';
import { DEFAULT_OPTIONS, generateResultSet, type FixtureImage } from './fixtures/resultSet';
import { chooseOption, shownCounts, shownThreshold, waitForLoadedCells } from './harness/panelQueries';
import { openPanel, postedMessages, settleFrames, waitForPosted, type Panel } from './harness/session';

const ARTIFACTS = join(__dirname, '..', '..', '.artifacts', 'webview');
const resultSet = generateResultSet(DEFAULT_OPTIONS);
const ALL: readonly CalibratedSignal[] = ['llr', 'typicality', 'brightness', 'information', 'sharpness'];

/** The outlier score by plain arithmetic: the most extreme of the signals on, each p times 1 % / its cut (default 1 % / k), as −log10. */
function verdictScore(image: FixtureImage, signals: readonly CalibratedSignal[], cuts: Partial<Record<CalibratedSignal, number>> = {}): number {
  let most = 0;
  for (const signal of signals) {
    const factor = cuts[signal] === undefined ? signals.length : 0.01 / (cuts[signal] as number);
    most = Math.max(most, -Math.log10(Math.min(1, factor * image.tailProbabilities[signal])));
  }
  return most;
}

/** Paths in the order a score ranks them (ties by LLR, then path). */
function orderBy(score: (image: FixtureImage) => number): string[] {
  return [...resultSet.scored]
    .sort((a, b) => score(b) - score(a) || b.instanceScore - a.instanceScore || (a.relativePath < b.relativePath ? -1 : 1))
    .map((image) => image.relativePath);
}

const flaggedCount = (score: (image: FixtureImage) => number, threshold: number): number => resultSet.scored.filter((image) => Math.fround(score(image)) > threshold).length;

async function listed(panel: Panel): Promise<string[]> {
  return (await waitForLoadedCells(panel.page)).map((cell) => cell.relativePath);
}

/** The last ranking the webview sent the host. */
async function lastRanking(panel: Panel): Promise<DidChangeRanking['ranking'] | undefined> {
  return (await postedMessages(panel.page)).filter((message): message is DidChangeRanking => message.type === 'didChangeRanking').pop()?.ranking;
}

/** Waits until the gallery's first cells are `expected`'s first. */
async function waitForOrder(panel: Panel, expected: readonly string[]): Promise<string[]> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const cells = await listed(panel);
    if (cells.every((path, i) => path === expected[i]) || Date.now() > deadline) return cells;
    await panel.page.waitForTimeout(50);
  }
}

describe('webview: ranking by the outlier score or the LLR, and the signals', () => {
  before(() => mkdir(ARTIFACTS, { recursive: true }));

  it('ranks a calibrated scan by the outlier score and flags above 2 (corrected p < 1 %)', async () => {
    const panel = await openPanel({ calibrated: 1 });
    const expected = orderBy((image) => verdictScore(image, ALL));
    const cells = await waitForOrder(panel, expected);
    assert.deepEqual(cells, expected.slice(0, cells.length));
    assert.equal((await shownThreshold(panel.page)).value, 2);
    assert.equal((await shownCounts(panel.page)).outliers, flaggedCount((image) => verdictScore(image, ALL), 2));
    assert.equal(await panel.page.textContent('#signals-summary'), 'Signals (5 of 5 on)');
    assert.equal(await panel.page.inputValue('#cut-llr input').catch(() => panel.page.$eval('#cut-llr', (field) => (field as HTMLElement & { value: string }).value)), '0.2');
    await panel.page.click('#signals-summary');
    await settleFrames(panel.page);
    assert.equal(await panel.page.textContent('#signals-calibration'), 'Known inliers: training hold-out and 40 images labelled inliers in this folder. Label images inliers to add this folder\'s.');
    await panel.page.screenshot({ path: join(ARTIFACTS, 'ranking-signals.png') });
    assert.ok(panel.errors.length === 0, panel.errors.join('\n'));
  });

  it('switching a signal off re-ranks the gallery and re-flags: the blank garments lose "low information"', async () => {
    const panel = await openPanel({ calibrated: 1 });
    await waitForLoadedCells(panel.page);
    await panel.page.click('#signals-summary');
    await panel.page.click('#signal-information');
    await waitForPosted(panel.page, (message) => message.type === 'didChangeRanking');
    const four = ALL.filter((signal) => signal !== 'information');
    assert.deepEqual(await lastRanking(panel), { mode: 'verdict', signals: four, cuts: {} });
    const expected = orderBy((image) => verdictScore(image, four));
    assert.notDeepEqual(expected.slice(0, 40), orderBy((image) => verdictScore(image, ALL)).slice(0, 40));
    const cells = await waitForOrder(panel, expected);
    assert.deepEqual(cells, expected.slice(0, cells.length));
    await panel.page.waitForFunction((count) => document.getElementById('count-outliers')?.textContent === count.toLocaleString('en-US'), flaggedCount((image) => verdictScore(image, four), 2));
    const badges = await panel.page.$$eval('#gallery .reason-badge', (nodes) => nodes.map((node) => node.textContent ?? ''));
    assert.ok(!badges.includes('low information'), badges.join());
    assert.equal(await panel.page.textContent('#signals-summary'), 'Signals (4 of 5 on)');
  });

  it('a cut typed for one signal flags every image past it; Reset goes back to the defaults', async () => {
    const panel = await openPanel({ calibrated: 1 });
    await waitForLoadedCells(panel.page);
    await panel.page.click('#signals-summary');
    const field = panel.page.locator('vscode-textfield#cut-sharpness input');
    await field.fill('5');
    await field.press('Enter');
    await waitForPosted(panel.page, (message) => message.type === 'didChangeRanking');
    assert.deepEqual(await lastRanking(panel), { mode: 'verdict', signals: ALL, cuts: { sharpness: 0.05 } });
    const score = (image: FixtureImage): number => verdictScore(image, ALL, { sharpness: 0.05 });
    const expectedCount = flaggedCount(score, 2);
    assert.ok(expectedCount > flaggedCount((image) => verdictScore(image, ALL), 2) + 50);
    await panel.page.waitForFunction((count) => document.getElementById('count-outliers')?.textContent === count.toLocaleString('en-US'), expectedCount);
    await field.fill('200');
    await field.press('Enter');
    await panel.page.waitForSelector('#signals-message:not([hidden])');
    assert.match((await panel.page.textContent('#signals-message')) ?? '', /above 0 and below 100/);
    await panel.page.click('#signals-reset');
    await panel.page.waitForFunction(() => document.getElementById('signals-reset')?.hasAttribute('disabled'));
    assert.deepEqual(await lastRanking(panel), { mode: 'verdict', signals: ALL, cuts: {} });
  });

  it('"LLR only" is one click away: today\'s order and the LLR threshold, and back', async () => {
    const panel = await openPanel({ calibrated: 1 });
    await waitForLoadedCells(panel.page);
    await chooseOption(panel.page, 'ranking-mode', 'LLR only');
    const byLlr = orderBy((image) => image.instanceScore);
    const cells = await waitForOrder(panel, byLlr);
    assert.deepEqual(cells, byLlr.slice(0, cells.length));
    await panel.page.waitForFunction(() => document.getElementById('threshold-value')?.dataset.value === '20');
    assert.equal((await shownCounts(panel.page)).outliers, flaggedCount((image) => image.instanceScore, 20));
    await chooseOption(panel.page, 'ranking-mode', 'Outlier score');
    await panel.page.waitForFunction(() => document.getElementById('threshold-value')?.dataset.value === '2');
    const back = await waitForOrder(panel, orderBy((image) => verdictScore(image, ALL)));
    assert.deepEqual(back, orderBy((image) => verdictScore(image, ALL)).slice(0, back.length));
  });

  it('keeps the signals across a reload and tells the host again', async () => {
    const panel = await openPanel({ calibrated: 1 });
    await waitForLoadedCells(panel.page);
    await panel.page.click('#signals-summary');
    await panel.page.click('#signal-llr');
    await waitForPosted(panel.page, (message) => message.type === 'didChangeRanking');
    await panel.page.waitForTimeout(300); // the state is saved shortly after a change
    await panel.page.reload();
    await panel.page.waitForSelector('body[data-gallery-ready]', { state: 'attached' });
    // The fake host starts again from its defaults; the panel restores its own and sends them.
    await waitForPosted(panel.page, (message) => message.type === 'didChangeRanking');
    const withoutLlr = ALL.filter((signal) => signal !== 'llr');
    assert.deepEqual(await lastRanking(panel), { mode: 'verdict', signals: withoutLlr, cuts: {} });
    const expected = orderBy((image) => verdictScore(image, withoutLlr));
    const cells = await waitForOrder(panel, expected);
    assert.deepEqual(cells, expected.slice(0, cells.length));
  });

  it('shows each signal\'s tail probability in the detail view, and whether it is past its cut', async () => {
    const panel = await openPanel({ calibrated: 1 });
    await waitForLoadedCells(panel.page);
    await panel.page.focus('#gallery');
    await panel.page.keyboard.press('Enter');
    await panel.page.waitForSelector('#detail-signals li');
    const top = resultSet.scored.find((image) => image.relativePath === orderBy((each) => verdictScore(each, ALL))[0]) as FixtureImage;
    const rows = await panel.page.$$eval('#detail-signals li', (items) => items.map((item) => ({ signal: (item as HTMLElement).dataset.signal, past: item.classList.contains('is-past'), text: item.textContent ?? '' })));
    assert.deepEqual(rows.map((row) => row.signal), ALL);
    for (const row of rows) assert.equal(row.past, top.tailProbabilities[row.signal as CalibratedSignal] < 0.002, row.text);
    assert.ok(rows.some((row) => row.past));
    assert.equal(await panel.page.textContent('#detail-score'), verdictScore(top, ALL).toFixed(2));
    await panel.page.screenshot({ path: join(ARTIFACTS, 'ranking-detail.png') });
  });

  it('an uncalibrated detector ranks by the LLR only and says why', async () => {
    const panel = await openPanel();
    await waitForLoadedCells(panel.page);
    await settleFrames(panel.page);
    assert.equal(await panel.page.getAttribute('#ranking-mode', 'disabled'), '');
    assert.equal(await panel.page.isVisible('#signals'), false);
    assert.equal(await panel.page.textContent('#ranking-unavailable'), 'LLR only: the detector has no calibration');
    assert.match((await panel.page.getAttribute('#ranking-unavailable', 'title')) ?? '', /trained before calibrated signals existed/);
    assert.equal(await panel.page.isVisible('#ranking-unavailable'), true);
    await panel.page.screenshot({ path: join(ARTIFACTS, 'ranking-uncalibrated.png') });
  });
});
