import assert from 'node:assert/strict';
import type { DidChangeThreshold } from '../../src/protocol/webview';
import { DEFAULT_OPTIONS, generateResultSet } from './fixtures/resultSet';
import { numpyPercentile, outlierCount } from './fixtures/expectations';
import { moveSlider, shownCounts, shownThreshold, typeThresholdScore } from './harness/panelQueries';
import { openPanel, settleFrames, waitForPosted, type Panel } from './harness/session';

const resultSet = generateResultSet(DEFAULT_OPTIONS);
/** Known inliers' float32 scores, ascending (the fixture labels every image). */
const inlierScores = resultSet.scored.filter((image) => image.label === 'inlier').map((image) => Math.fround(image.instanceScore)).sort((a, b) => a - b);

/** numpy.percentile of the known inliers: the threshold at a false-positive rate, as `--fpr` computes it. */
function inlierQuantile(percentile: number): number {
  const position = (percentile / 100) * (inlierScores.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, inlierScores.length - 1);
  return inlierScores[below] + (inlierScores[above] - inlierScores[below]) * (position - below);
}

async function typeInto(panel: Panel, id: string, text: string): Promise<void> {
  const field = panel.page.locator(`vscode-textfield#${id} input`);
  await field.fill(text);
  await field.press('Enter');
  await settleFrames(panel.page);
}

async function message(panel: Panel): Promise<string | null> {
  return (await panel.page.isVisible('#threshold-message')) ? await panel.page.textContent('#threshold-message') : null;
}

describe('webview: threshold inputs (validation, reset, false-positive rate)', () => {
  let panel: Panel;
  beforeEach(async () => {
    panel = await openPanel();
  });

  it('the score field takes any number and the browser calls it valid (no step mismatch)', async () => {
    await typeThresholdScore(panel.page, 12.3456);
    assert.equal((await shownThreshold(panel.page)).value, 12.3456);
    const validity = await panel.page.$eval('vscode-textfield#threshold-value', (host) => {
      const input = host.shadowRoot?.querySelector('input') as HTMLInputElement;
      return { step: input.getAttribute('step'), valid: input.validity.valid, hostInvalid: host.matches(':invalid') || host.hasAttribute('invalid') };
    });
    assert.deepEqual(validity, { step: null, valid: true, hostInvalid: false });
    assert.equal(await message(panel), null);
  });

  it('refuses a percentile of 120 with a message, keeps the threshold, and clears the message on a valid value', async () => {
    const before = await shownThreshold(panel.page);
    await typeInto(panel, 'threshold-percentile', '120');
    assert.match((await message(panel)) ?? '', /percentile must be between 0 and 100, got 120/i);
    assert.equal(await panel.page.getAttribute('vscode-textfield#threshold-percentile', 'invalid'), '');
    assert.deepEqual(await shownThreshold(panel.page), before, 'the threshold did not move');
    assert.equal((await shownCounts(panel.page)).outliers, outlierCount(resultSet, before.value));

    await typeInto(panel, 'threshold-percentile', '90');
    assert.equal(await message(panel), null);
    assert.equal(await panel.page.getAttribute('vscode-textfield#threshold-percentile', 'invalid'), null);
    assert.equal((await shownThreshold(panel.page)).percentile, 90);
  });

  it('refuses a false-positive rate above 100 % and a score that is not a number', async () => {
    await typeInto(panel, 'threshold-fpr', '150');
    assert.match((await message(panel)) ?? '', /false-positive rate must be between 0 and 100 %/i);
    await typeInto(panel, 'threshold-value', '12,5');
    assert.match((await message(panel)) ?? '', /threshold score must be a number, got "12,5"/i);
  });

  it('Reset goes back to the detector’s own threshold (its 95th percentile) and is then disabled', async () => {
    await moveSlider(panel.page, '#threshold-percentile-slider', 50);
    assert.equal(await panel.page.getAttribute('#threshold-reset', 'disabled'), null);
    assert.match((await panel.page.getAttribute('#threshold-reset', 'title')) ?? '', /95th percentile/);
    await panel.page.click('#threshold-reset');
    await settleFrames(panel.page);
    const { value, percentile } = await shownThreshold(panel.page);
    assert.equal(percentile, 95);
    assert.ok(Math.abs(value - numpyPercentile(resultSet, 95)) < 1e-9);
    assert.equal((await shownCounts(panel.page)).outliers, outlierCount(resultSet, value));
    assert.equal(await panel.page.getAttribute('#threshold-reset', 'disabled'), '');
    const posted = (await waitForPosted(panel.page, (entry) => entry.type === 'didChangeThreshold' && entry.threshold.percentile === 95)) as DidChangeThreshold;
    assert.equal(posted.threshold.method, 'percentile');
  });

  it('FPR mode: 5 % sets the threshold at the 95th percentile of the known inliers, and the host hears it as an FPR threshold', async () => {
    await typeInto(panel, 'threshold-fpr', '5');
    const { value } = await shownThreshold(panel.page);
    assert.ok(Math.abs(value - inlierQuantile(95)) < 1e-9, `${value} vs ${inlierQuantile(95)}`);
    const flaggedInliers = inlierScores.filter((score) => score > value).length;
    assert.ok(Math.abs(flaggedInliers / inlierScores.length - 0.05) < 0.002, `${flaggedInliers} of ${inlierScores.length} inliers flagged`);
    const posted = (await waitForPosted(panel.page, (entry) => entry.type === 'didChangeThreshold' && entry.threshold.method === 'fpr')) as DidChangeThreshold;
    assert.equal(posted.threshold.fpr, 0.05);
    assert.ok(Math.abs(posted.threshold.value - value) < 1e-9);
  });

  it('FPR field shows the measured false-positive rate as the slider moves', async () => {
    await moveSlider(panel.page, '#threshold-percentile-slider', 80);
    const { value } = await shownThreshold(panel.page);
    const expected = (100 * inlierScores.filter((score) => score > value).length) / inlierScores.length;
    assert.equal(Number(await panel.page.getAttribute('#threshold-fpr', 'data-value')), expected);
    assert.equal(await panel.page.locator('vscode-textfield#threshold-fpr input').inputValue(), expected.toFixed(1));
  });

  it('offers no FPR field when no image is labelled', async () => {
    const unlabelled = await openPanel({ labels: 0 });
    await settleFrames(unlabelled.page);
    assert.equal(await unlabelled.page.isVisible('#threshold-fpr'), false);
    assert.equal(await panel.page.isVisible('#threshold-fpr'), true);
  });
});
