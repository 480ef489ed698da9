import assert from 'node:assert/strict';
import { canvasContent } from './harness/canvasPixels';
import { openPanel, postedMessages, waitForPosted } from './harness/session';

describe('webview: training view', () => {
  it('shows loss and bits/dim per epoch for both models and their samples', async () => {
    const { page } = await openPanel();
    await page.click('vscode-tab-header[data-view="training"]');
    await waitForPosted(page, (message) => message.type === 'requestTraining');
    await page.waitForSelector('#training-loss canvas');
    await page.waitForSelector('#training-bpd canvas');
    const legend = await page.textContent('#training-loss .u-legend');
    assert.match(legend ?? '', /Semantic/);
    assert.match(legend ?? '', /Background/);
    assert.match((await page.textContent('#training-bpd .u-legend')) ?? '', /held out/);
    const samples = page.locator('#samples-semantic canvas.sample');
    assert.equal(await samples.count(), 16);
    assert.ok((await canvasContent(samples.first())).distinctColours > 10);
    assert.equal(await page.locator('#samples-background img.sample').count(), 16);
  });

  it('shows the curves at once and the samples when the engine has drawn them, with a word on the background model', async () => {
    const { page } = await openPanel({ sampleDelay: 1500 });
    await page.click('vscode-tab-header[data-view="training"]');
    const started = Date.now();
    await page.waitForSelector('#training-bpd canvas');
    assert.ok(Date.now() - started < 1000, `curves after ${Date.now() - started} ms`);
    assert.equal(await page.textContent('#samples-status'), 'Drawing samples from both models…');
    assert.equal(await page.locator('#samples-semantic').count(), 0);
    assert.match((await page.textContent('#training-background-note')) ?? '', /background model is trained and measured on perturbed copies/);
    await page.waitForSelector('#samples-semantic canvas.sample');
    assert.equal(await page.locator('#samples-status').count(), 0);
    const asked = (await postedMessages(page)).filter((message) => message.type === 'requestTraining');
    assert.deepEqual(asked.map((message) => message.type === 'requestTraining' && message.includeSamples), [false, true]);
  });

  it('says so when the detector kept no training curves', async () => {
    const { page } = await openPanel({ training: 0 });
    await page.click('vscode-tab-header[data-view="training"]');
    await page.waitForFunction(() => /keeps no training curves/.test(document.getElementById('training-status')?.textContent ?? ''));
    assert.equal(await page.locator('#training-loss').count(), 0);
  });
});
