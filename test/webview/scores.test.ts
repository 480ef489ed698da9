import assert from 'node:assert/strict';
import { LABEL_CODE } from '../../src/protocol/webview';
import { DEFAULT_OPTIONS, generateResultSet } from './fixtures/resultSet';
import { f1At, outlierCount, rankSumAuroc, snapshotScores } from './fixtures/expectations';
import { shownCounts, shownThreshold, typeThresholdScore } from './harness/panelQueries';
import { openPanel, settleFrames, type Panel } from './harness/session';

const resultSet = generateResultSet(DEFAULT_OPTIONS);

async function openScores(panel: Panel): Promise<void> {
  await panel.page.click('vscode-tab-header[data-view="scores"]');
  await panel.page.waitForSelector('#histogram .u-over');
  await settleFrames(panel.page);
}

describe('webview: histogram, ROC and PR', () => {
  it('draws the score histogram with the threshold line, and dragging in it sets the threshold', async () => {
    const panel = await openPanel();
    await openScores(panel);
    const over = await panel.page.locator('#histogram .u-over').boundingBox();
    assert.ok(over);
    const scores = snapshotScores(resultSet);
    const min = Math.min(...scores);
    const max = Math.max(...scores);
    const half = (max - min) / 80 / 2;
    const valueAt = (x: number): number => min - half + ((x - over.x) / over.width) * (max - min + 2 * half);
    const lineX = async (): Promise<number> => (await panel.page.locator('#histogram-threshold').boundingBox())?.x ?? NaN;
    const pixel = (over.width / (max - min + 2 * half));
    assert.ok(Math.abs((await lineX()) + 1 - (over.x + (20 - (min - half)) * pixel)) < 2, 'line at the initial threshold (20)');

    const startX = over.x + over.width * 0.4;
    const endX = over.x + over.width * 0.7;
    await panel.page.mouse.move(startX, over.y + over.height / 2);
    await panel.page.mouse.down();
    await panel.page.mouse.move(endX, over.y + over.height / 2, { steps: 8 });
    await panel.page.mouse.up();
    await settleFrames(panel.page);
    const { value } = await shownThreshold(panel.page);
    assert.ok(Math.abs(value - valueAt(endX)) < 2 / pixel, `dragged to ${value}, expected about ${valueAt(endX)}`);
    assert.equal((await shownCounts(panel.page)).outliers, outlierCount(resultSet, value));
    assert.ok(Math.abs((await lineX()) + 1 - endX) < 2, 'the line follows the pointer');
  });

  it('shows ROC and PR curves with AUROC and the quality at the threshold when labels are known', async () => {
    const panel = await openPanel();
    await openScores(panel);
    await panel.page.waitForSelector('#roc-section #roc-chart canvas');
    assert.ok(await panel.page.isVisible('#pr-chart canvas'));
    assert.equal(await panel.page.textContent('#metric-auroc'), rankSumAuroc(resultSet).toFixed(3));
    assert.equal(await panel.page.textContent('#metric-f1'), f1At(resultSet, 20).toFixed(3));
    await typeThresholdScore(panel.page, 40);
    const { value } = await shownThreshold(panel.page);
    assert.equal(await panel.page.textContent('#metric-f1'), f1At(resultSet, value).toFixed(3));
    assert.equal(await panel.page.locator('#roc-unavailable').count(), 0);
  });

  it('has no ROC section when no labels are known', async () => {
    const panel = await openPanel({ labels: 0 });
    await openScores(panel);
    assert.equal(await panel.page.locator('#roc-section').count(), 0);
    assert.ok(await panel.page.isVisible('#roc-unavailable'));
    assert.ok(await panel.page.isVisible('#histogram canvas'));
  });

  it('says which class is missing when only inliers are labelled, and how to label the other', async () => {
    const panel = await openPanel({ labels: 0 });
    const { page } = panel;
    await openScores(panel);
    assert.match(await page.textContent('#roc-unavailable') ?? '', /appear once images are labelled as inliers and outliers: right-click a folder in the Explorer → Outlier Lens: Mark Folder as Inliers \/ Outliers, or list paths in outlier-lens\.labels\.csv/);
    await page.evaluate((code) => window.__fakeHost?.pushSnapshot({ revision: 2, labels: new Uint8Array(2000).fill(code) }), LABEL_CODE.inlier);
    await page.waitForFunction(() => /only inliers are labelled \(2000\)/.test(document.getElementById('roc-unavailable')?.textContent ?? ''));
    assert.equal(await page.locator('#roc-section').count(), 0);
  });
});

describe('webview: histogram count axis and threshold label', () => {
  const countScale = (panel: Panel): Promise<string | null> => panel.page.getAttribute('#histogram', 'data-count-scale');

  it('uses a log count axis by default when the flagged tail holds under 5 % of the images, linear otherwise', async () => {
    const scores = snapshotScores(resultSet);
    const tailShare = (threshold: number): number => scores.filter((score) => score > threshold).length / scores.length;
    assert.ok(tailShare(20) > 0.05 && tailShare(80) < 0.05, `${tailShare(20)} and ${tailShare(80)}`);
    const wide = await openPanel({ threshold: 20 });
    await openScores(wide);
    assert.equal(await countScale(wide), 'linear');
    assert.equal(await wide.page.isChecked('#histogram-log-counts'), false);
    const narrow = await openPanel({ threshold: 80 });
    await openScores(narrow);
    assert.equal(await countScale(narrow), 'log');
    assert.equal(await narrow.page.isChecked('#histogram-log-counts'), true);
  });

  it('switches the axis on the user’s word and keeps it after a reload', async () => {
    const panel = await openPanel({ threshold: 20 });
    await openScores(panel);
    await panel.page.check('#histogram-log-counts');
    await settleFrames(panel.page);
    assert.equal(await countScale(panel), 'log');
    await panel.page.waitForSelector('#histogram .u-over');
    await panel.page.waitForTimeout(200); // The debounced save.
    await panel.page.reload();
    // The Scores tab is restored as the active one.
    await panel.page.waitForSelector('#histogram .u-over');
    assert.equal(await countScale(panel), 'log');
    assert.equal(await panel.page.isChecked('#histogram-log-counts'), true);
  });

  it('labels the threshold line with its score and how many images it flags, on both axes', async () => {
    const panel = await openPanel({ threshold: 20 });
    await openScores(panel);
    const expected = `score > 20.00: ${outlierCount(resultSet, 20)} flagged`;
    assert.equal(await panel.page.textContent('#histogram-threshold-label'), expected);
    assert.ok(await panel.page.isVisible('#histogram-threshold-label'));
    await panel.page.check('#histogram-log-counts');
    await settleFrames(panel.page);
    assert.equal(await panel.page.textContent('#histogram-threshold-label'), expected);
    assert.ok(await panel.page.isVisible('#histogram-threshold'));
  });
});
