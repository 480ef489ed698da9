import assert from 'node:assert/strict';
import { DEFAULT_OPTIONS, generateResultSet } from './fixtures/resultSet';
import { outlierCount, rankSumAuroc, snapshotScores } from './fixtures/expectations';
import { typeThresholdScore } from './harness/panelQueries';
import { openPanel, settleFrames, type Panel } from './harness/session';

const resultSet = generateResultSet(DEFAULT_OPTIONS);
const PREVIOUS_THRESHOLD = 25;
/** The old detector's scores: the fixture's, blurred by a deterministic noise (a worse ranking), one image it did not score. */
const previousScores = resultSet.scored.map((image, i) => (i === 0 ? Number.NaN : Math.fround(image.instanceScore * 0.5 + ((i * 7919) % 101) - 50)));

/** AUROC by counting pairs (ties half), over the images with a score. */
function pairwiseAuroc(scores: readonly number[]): number {
  const outliers = scores.filter((score, i) => !Number.isNaN(score) && resultSet.scored[i].label === 'outlier');
  const inliers = scores.filter((score, i) => !Number.isNaN(score) && resultSet.scored[i].label !== 'outlier');
  let wins = 0;
  for (const a of outliers) for (const b of inliers) wins += a > b ? 1 : a === b ? 0.5 : 0;
  return wins / (outliers.length * inliers.length);
}

const flaggedOutliers = (scores: readonly number[], threshold: number): number => scores.filter((score, i) => score > threshold && resultSet.scored[i].label === 'outlier').length;

async function openWithPrevious(labelled = true): Promise<Panel> {
  const panel = await openPanel(labelled ? {} : { labels: 0 });
  await panel.page.evaluate(({ scores, threshold }) => {
    window.__fakeHost?.pushSnapshot({
      revision: 2,
      previousRanking: { detectorName: 'fashion-llr-old', scores: Float32Array.from(scores), threshold, trainingImages: { previous: 2700, retrained: 2550 } },
    });
  }, { scores: previousScores, threshold: PREVIOUS_THRESHOLD });
  await panel.page.click('vscode-tab-header[data-view="scores"]');
  await panel.page.waitForSelector('#retrain-comparison:not([hidden])');
  await settleFrames(panel.page);
  return panel;
}

const cell = async (panel: Panel, id: string): Promise<string> => (await panel.page.textContent(`#comparison-${id}`)) ?? '';

describe('webview: the old and the retrained detector side by side', () => {
  it('shows no comparison for a scan whose detector replaced none', async () => {
    const panel = await openPanel();
    await panel.page.click('vscode-tab-header[data-view="scores"]');
    await panel.page.waitForSelector('#histogram .u-over');
    assert.equal(await panel.page.isVisible('#retrain-comparison'), false);
  });

  it('compares training images, AUROC, flagged images and labelled outliers flagged, each ranking on its own threshold', async () => {
    const panel = await openWithPrevious();
    assert.equal(await cell(panel, 'previous-name'), 'fashion-llr-old (before)');
    assert.equal(await cell(panel, 'retrained-name'), 'fashion-llr (retrained)');
    assert.equal(await cell(panel, 'previous-training'), '2,700');
    assert.equal(await cell(panel, 'retrained-training'), '2,550');
    assert.equal(await cell(panel, 'previous-auroc'), pairwiseAuroc(previousScores).toFixed(3));
    assert.equal(await cell(panel, 'retrained-auroc'), rankSumAuroc(resultSet).toFixed(3));
    assert.notEqual(await cell(panel, 'previous-auroc'), await cell(panel, 'retrained-auroc'), 'the fixture ranks differently');
    assert.equal(await cell(panel, 'previous-flagged'), previousScores.filter((score) => score > PREVIOUS_THRESHOLD).length.toLocaleString('en-US'));
    assert.equal(await cell(panel, 'retrained-flagged'), outlierCount(resultSet, 20).toLocaleString('en-US'));
    assert.equal(await cell(panel, 'previous-outliers'), String(flaggedOutliers(previousScores, PREVIOUS_THRESHOLD)));
    assert.equal(await cell(panel, 'retrained-outliers'), String(flaggedOutliers(snapshotScores(resultSet), 20)));
  });

  it('follows the threshold for the retrained detector only', async () => {
    const panel = await openWithPrevious();
    const previousFlagged = await cell(panel, 'previous-flagged');
    await typeThresholdScore(panel.page, 40);
    await settleFrames(panel.page);
    assert.equal(await cell(panel, 'retrained-flagged'), outlierCount(resultSet, 40).toLocaleString('en-US'));
    assert.equal(await cell(panel, 'retrained-outliers'), String(flaggedOutliers(snapshotScores(resultSet), 40)));
    assert.equal(await cell(panel, 'previous-flagged'), previousFlagged);
  });

  it('without labels compares training images and flagged counts, and hides the AUROC rows', async () => {
    const panel = await openWithPrevious(false);
    assert.equal(await cell(panel, 'previous-training'), '2,700');
    assert.equal(await panel.page.isVisible('#comparison-row-auroc'), false);
    assert.equal(await panel.page.isVisible('#comparison-row-outliers'), false);
    assert.ok(await panel.page.isVisible('#comparison-row-flagged'));
  });
});
