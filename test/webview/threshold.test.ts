import assert from 'node:assert/strict';
import type { DidChangeThreshold } from '../../src/protocol/webview';
import { DEFAULT_OPTIONS, generateResultSet } from './fixtures/resultSet';
import { numpyPercentile, outlierCount, percentileOf, scoreOf } from './fixtures/expectations';
import { moveSlider, shownCounts, shownThreshold, waitForLoadedCells } from './harness/panelQueries';
import { openPanel, postedMessages, settleFrames, waitForPosted, type Panel } from './harness/session';

const resultSet = generateResultSet(DEFAULT_OPTIONS);
const total = resultSet.scored.length;

describe('webview: threshold slider, fields and counts', () => {
  let panel: Panel;
  beforeEach(async () => {
    panel = await openPanel();
  });

  it('shows the counts at the threshold the host sent', async () => {
    const counts = await shownCounts(panel.page);
    const expected = outlierCount(resultSet, 20);
    assert.deepEqual(counts, { outliers: expected, inliers: total - expected, errors: DEFAULT_OPTIONS.failedCount });
  });

  it('moving the slider changes the counts and the outlier marks of the cells', async () => {
    for (const target of [10, 50, 97.5]) {
      await moveSlider(panel.page, '#threshold-percentile-slider', target);
      const { value, percentile } = await shownThreshold(panel.page);
      assert.equal(percentile, target);
      const expected = outlierCount(resultSet, value);
      assert.deepEqual(await shownCounts(panel.page), { outliers: expected, inliers: total - expected, errors: 5 });
      const cells = await waitForLoadedCells(panel.page);
      assert.ok(cells.length > 20);
      for (const cell of cells.filter((entry) => !entry.isFailed)) {
        assert.equal(cell.isOutlier, Math.fround(scoreOf(resultSet, cell.relativePath)) > value, `${cell.relativePath} at ${value}`);
      }
    }
  });

  it('the slider moves in rank space: equal moves flag equal numbers of images, wherever the scores are dense or sparse', async () => {
    // The fixture's scores are dense in the middle and sparse in the tail; a score slider would move
    // hundreds of images per step in the middle and a handful in the tail.
    const flaggedBetween = async (from: number, to: number): Promise<number> => {
      await moveSlider(panel.page, '#threshold-percentile-slider', from);
      const before = (await shownCounts(panel.page)).outliers;
      await moveSlider(panel.page, '#threshold-percentile-slider', to);
      return before - (await shownCounts(panel.page)).outliers;
    };
    for (const [from, to] of [[45, 50], [90, 95], [94, 99]]) {
      const moved = await flaggedBetween(from, to);
      assert.ok(Math.abs(moved - total * 0.05) <= 2, `${from} → ${to} percentile moved ${moved} images, not ${total * 0.05}`);
    }
    const spanOfScores = numpyPercentile(resultSet, 99) - numpyPercentile(resultSet, 94);
    const middleSpan = numpyPercentile(resultSet, 50) - numpyPercentile(resultSet, 45);
    assert.ok(spanOfScores > 3 * middleSpan, 'the fixture is dense in the middle and sparse in the tail');
  });

  it('moving the percentile slider moves the score to that percentile of the scores', async () => {
    await moveSlider(panel.page, '#threshold-percentile-slider', 90);
    const { value, percentile } = await shownThreshold(panel.page);
    assert.equal(percentile, 90);
    assert.ok(Math.abs(value - numpyPercentile(resultSet, 90)) < 1e-9, `${value} vs ${numpyPercentile(resultSet, 90)}`);
    assert.equal(await panel.page.locator('vscode-textfield#threshold-value input').inputValue(), value.toFixed(3), 'the score beside the slider followed');
    assert.equal((await shownCounts(panel.page)).outliers, outlierCount(resultSet, value));
    assert.ok(Math.abs(outlierCount(resultSet, value) - total * 0.1) <= 1);
  });

  it('typing a score moves the slider and the percentile to the share of images at or below it', async () => {
    const field = panel.page.locator('vscode-textfield#threshold-value input');
    await field.fill('10');
    await field.press('Enter');
    await settleFrames(panel.page);
    const { value, percentile } = await shownThreshold(panel.page);
    assert.equal(value, 10);
    assert.ok(Math.abs(percentile - percentileOf(resultSet, value)) < 1e-9);
    assert.equal(Number(await panel.page.inputValue('#threshold-percentile-slider')).toFixed(1), percentile.toFixed(1));
    assert.equal(await panel.page.locator('vscode-textfield#threshold-percentile input').inputValue(), percentile.toFixed(1));
  });

  it('arrow keys on the focused slider step the threshold by a tenth of a percentile', async () => {
    await moveSlider(panel.page, '#threshold-percentile-slider', 80);
    const before = await shownThreshold(panel.page);
    await panel.page.focus('#threshold-percentile-slider');
    for (let i = 0; i < 10; i++) await panel.page.keyboard.press('ArrowRight');
    await settleFrames(panel.page);
    const after = await shownThreshold(panel.page);
    assert.ok(Math.abs(after.percentile - (before.percentile + 1)) < 1e-9, `${before.percentile} → ${after.percentile}`);
    assert.ok(after.value > before.value, `${after.value} > ${before.value}`);
    assert.equal((await shownCounts(panel.page)).outliers, outlierCount(resultSet, after.value));
  });

  it('typing a score in the threshold field applies it on Enter', async () => {
    const field = panel.page.locator('vscode-textfield#threshold-value input');
    await field.fill('33.25');
    await field.press('Enter');
    await settleFrames(panel.page);
    const { value } = await shownThreshold(panel.page);
    assert.equal(value, 33.25);
    assert.equal((await shownCounts(panel.page)).outliers, outlierCount(resultSet, 33.25));
  });

  it('tells the host about the user’s threshold, and follows the host’s without echoing it', async () => {
    await moveSlider(panel.page, '#threshold-percentile-slider', 75);
    const message = (await waitForPosted(panel.page, (entry) => entry.type === 'didChangeThreshold' && entry.threshold.percentile === 75)) as DidChangeThreshold;
    assert.equal(message.threshold.method, 'percentile');
    assert.ok(Math.abs(message.threshold.value - numpyPercentile(resultSet, 75)) < 1e-9);

    await panel.page.waitForTimeout(200); // Let any trailing throttled post go out.
    const postedBefore = (await postedMessages(panel.page)).filter((entry) => entry.type === 'didChangeThreshold').length;
    await panel.page.evaluate(() => window.__fakeHost?.push({ type: 'setThreshold', threshold: { value: 55, method: 'absolute' } }));
    await panel.page.waitForFunction(() => document.getElementById('threshold-value')?.dataset.value === '55');
    await settleFrames(panel.page);
    assert.equal((await shownCounts(panel.page)).outliers, outlierCount(resultSet, 55));
    await panel.page.waitForTimeout(250);
    const postedAfter = (await postedMessages(panel.page)).filter((entry) => entry.type === 'didChangeThreshold').length;
    assert.equal(postedAfter, postedBefore, 'a threshold from the host is not sent back');
  });
});
