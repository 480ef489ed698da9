import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { FakeTheme } from './fakeHost/fakeHostApi';
import { waitForLoadedCells } from './harness/panelQueries';
import { openPanel, settleFrames } from './harness/session';

const ARTIFACTS = join(__dirname, '..', '..', '.artifacts', 'webview');

describe('webview: themes and screenshots', () => {
  before(() => mkdir(ARTIFACTS, { recursive: true }));

  for (const theme of ['dark', 'light', 'high-contrast'] as const) {
    it(`renders in the ${theme} theme without CSP violations or errors (screenshots)`, async () => {
      const panel = await openPanel({ theme });
      const { page } = panel;
      await waitForLoadedCells(page);
      await page.focus('#gallery');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press(' ');
      await settleFrames(page);
      await page.screenshot({ path: join(ARTIFACTS, `${theme}-gallery.png`) });
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.getElementById('detail-status')?.textContent === '' && !document.getElementById('detail')?.hidden);
      await page.waitForTimeout(100);
      await page.screenshot({ path: join(ARTIFACTS, `${theme}-detail.png`) });
      await page.click('#detail-mode-overlay');
      await page.waitForSelector('#detail-overlay:not([hidden])');
      await settleFrames(page);
      await page.screenshot({ path: join(ARTIFACTS, `${theme}-overlay.png`) });
      await page.click('#detail-back');
      await page.click('vscode-single-select#filter');
      await page.locator('vscode-single-select#filter').getByText('Errors', { exact: true }).last().click();
      await page.waitForSelector('#gallery .gallery-cell.is-failed');
      await settleFrames(page);
      await page.screenshot({ path: join(ARTIFACTS, `${theme}-errors.png`) });
      await page.click('vscode-tab-header[data-view="scores"]');
      await page.waitForSelector('#roc-chart canvas');
      await settleFrames(page);
      await page.screenshot({ path: join(ARTIFACTS, `${theme}-scores.png`) });
      const violations = await page.evaluate(() => window.__fakeHost?.violations ?? []);
      assert.deepEqual(violations, []);
      assert.deepEqual(panel.errors, []);
    });
  }

  it('follows a theme change at run time (body class and variables)', async () => {
    const { page } = await openPanel({ theme: 'dark' });
    await page.click('vscode-tab-header[data-view="scores"]');
    await page.waitForSelector('#histogram canvas');
    const background = (): Promise<string> => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const axisColour = (): Promise<string> => page.$eval('#histogram', (element) => getComputedStyle(element).color);
    assert.equal(await background(), 'rgb(31, 31, 31)');
    const theme: FakeTheme = 'light';
    await page.evaluate((next) => window.__fakeHost?.setTheme(next), theme);
    await settleFrames(page);
    assert.equal(await background(), 'rgb(255, 255, 255)');
    assert.equal(await axisColour(), 'rgb(59, 59, 59)');
    await page.waitForSelector('#histogram canvas');
    await page.screenshot({ path: join(ARTIFACTS, 'dark-to-light-scores.png') });
  });
});
