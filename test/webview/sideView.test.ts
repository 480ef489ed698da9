import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { FromSideViewMessage, SideViewState } from '../../src/protocol/sideView';
import { openSideView, settleFrames, type Panel } from './harness/session';

/** A scan of 2,000 images at its detector's 95th percentile, with labelled folders. */
const STATE: SideViewState = {
  type: 'state',
  detector: 'fashion-llr',
  folder: 'datasets/fashion-vs-mnist',
  scored: 2000,
  failed: 5,
  outliers: 100,
  selected: 0,
  groundTruth: { inliers: 1700, outliers: 300, auroc: 0.98765 },
  threshold: { value: 21.5, method: 'percentile', percentile: 95 },
  detectorThreshold: { value: 21.5, method: 'percentile', percentile: 95 },
  canSetFpr: true,
  thresholdReadings: { score: 21.5, percentile: 95, fprPercent: 1.25 },
  thresholdError: null,
  running: false,
  trusted: true,
  backend: 'onnx-cpu',
};

async function push(page: Page, state: Partial<SideViewState>): Promise<void> {
  await page.evaluate((message) => window.__sideViewHost?.push(message), { ...STATE, ...state });
  await settleFrames(page);
}

function posted(page: Page): Promise<FromSideViewMessage[]> {
  return page.evaluate(() => window.__sideViewHost?.posted ?? []);
}

async function text(page: Page, selector: string): Promise<string> {
  return (await page.textContent(selector)) ?? '';
}

async function typeThreshold(page: Page, value: string): Promise<void> {
  const input = page.locator('vscode-textfield#threshold-value input');
  await input.fill(value);
  await input.press('Enter');
  await settleFrames(page);
}

async function chooseMethod(page: Page, method: string): Promise<void> {
  await page.$eval('#threshold-method', (select, value) => {
    (select as HTMLElement & { value: string }).value = value;
    select.dispatchEvent(new Event('change'));
  }, method);
  await settleFrames(page);
}

async function fieldValue(page: Page): Promise<string> {
  return page.$eval('#threshold-value', (field) => (field as HTMLElement & { value: string }).value);
}

describe('side view (webview/sideView in the browser, behind the host-built page)', () => {
  let view: Panel;
  beforeEach(async () => {
    view = await openSideView();
  });
  afterEach(async () => {
    assert.deepEqual(await view.page.evaluate(() => window.__sideViewHost?.violations ?? []), [], 'no CSP violation');
    assert.deepEqual(view.errors, []);
  });

  it('says ready, then shows the host’s state: detector, counts, ground truth with AUROC, backend and the threshold', async () => {
    assert.deepEqual((await posted(view.page))[0], { type: 'ready' });
    await push(view.page, { selected: 3 });
    assert.equal(await text(view.page, '#detector'), 'fashion-llr');
    assert.equal(await text(view.page, '#counts'), '2000 scored · 100 outliers · 5 unreadable · 3 selected');
    assert.equal(await text(view.page, '#ground-truth'), '1700 inliers · 300 outliers · AUROC 0.988');
    assert.equal(await view.page.isVisible('#ground-truth'), true);
    assert.equal(await text(view.page, '#backend'), 'onnx-cpu');
    assert.equal(await text(view.page, '#threshold-note'), 'Outlier ⇔ score > 21.500 · FPR 1.3 % on known inliers');
    assert.equal(await fieldValue(view.page), '95');
    assert.equal(await view.page.isVisible('#restricted'), false);
    assert.equal(await view.page.isVisible('#cancel'), false);
    await push(view.page, { groundTruth: null, running: true, trusted: false, folder: null });
    assert.equal(await view.page.isVisible('#ground-truth'), false);
    assert.equal(await view.page.isVisible('#cancel'), true);
    assert.equal(await view.page.isVisible('#restricted'), true);
    assert.equal(await text(view.page, '#counts'), '—');
  });

  it('refuses a percentile of 120 at once with the shared rule’s words and posts nothing; posts 80', async () => {
    await push(view.page, {});
    await typeThreshold(view.page, '120');
    assert.equal(await view.page.isVisible('#threshold-error'), true);
    assert.equal(await text(view.page, '#threshold-error'), 'The percentile must be between 0 and 100, got 120.');
    assert.equal((await posted(view.page)).filter((message) => message.type === 'setThreshold').length, 0);
    // A state pushed meanwhile (a scan streaming) keeps the message and the typed text.
    await push(view.page, { scored: 2001 });
    assert.equal(await view.page.isVisible('#threshold-error'), true);
    assert.equal(await fieldValue(view.page), '120');
    await typeThreshold(view.page, '80');
    assert.equal(await view.page.isVisible('#threshold-error'), false);
    assert.deepEqual((await posted(view.page)).filter((message) => message.type === 'setThreshold'), [{ type: 'setThreshold', method: 'percentile', text: '80' }]);
  });

  it('shows a refusal the host sends (an FPR with no known inliers)', async () => {
    await push(view.page, { thresholdError: 'No image is labelled as an inlier: mark a folder as inliers (Explorer) to set a false-positive rate.' });
    assert.match(await text(view.page, '#threshold-error'), /No image is labelled as an inlier/);
    await push(view.page, { thresholdError: null });
    assert.equal(await view.page.isVisible('#threshold-error'), false);
  });

  it('switching the method shows the same threshold in the new units, and posts nothing until a value is typed', async () => {
    await push(view.page, {});
    await chooseMethod(view.page, 'absolute');
    assert.equal(await fieldValue(view.page), '21.5');
    await chooseMethod(view.page, 'fpr');
    assert.equal(await fieldValue(view.page), '1.25');
    assert.equal((await posted(view.page)).filter((message) => message.type === 'setThreshold').length, 0);
    await typeThreshold(view.page, '5');
    assert.deepEqual((await posted(view.page)).at(-1), { type: 'setThreshold', method: 'fpr', text: '5' });
  });

  it('Reset is off at the detector’s own threshold and posts resetThreshold once the threshold moved', async () => {
    await push(view.page, {});
    assert.equal(await view.page.getAttribute('#threshold-reset', 'disabled'), '');
    await push(view.page, { threshold: { value: 30, method: 'absolute' }, thresholdReadings: { score: 30, percentile: 99, fprPercent: 0 } });
    assert.equal(await view.page.getAttribute('#threshold-reset', 'disabled'), null);
    assert.equal(await view.page.getAttribute('#threshold-reset', 'title'), "The detector's threshold: 95th percentile");
    await view.page.click('#threshold-reset');
    assert.deepEqual((await posted(view.page)).at(-1), { type: 'resetThreshold' });
  });

  it('each button posts its command', async () => {
    await push(view.page, { running: true });
    for (const command of ['outlierLens.scanFolder', 'outlierLens.openResults', 'outlierLens.exportJson', 'outlierLens.exportCsv', 'outlierLens.cancel']) {
      await view.page.click(`[data-command="${command}"]`);
      assert.deepEqual((await posted(view.page)).at(-1), { type: 'run', command });
    }
  });
});
