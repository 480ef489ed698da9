import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { DEFAULT_OPTIONS } from './fixtures/resultSet';
import { openPanel, settleFrames, waitForPosted } from './harness/session';

const ARTIFACTS = join(__dirname, '..', '..', '.artifacts', 'webview');
const SCAN_ID = `scan-${DEFAULT_OPTIONS.seed}-${DEFAULT_OPTIONS.count}`;
const FILES = DEFAULT_OPTIONS.count + DEFAULT_OPTIONS.failedCount;
/** The status line as read: heading and text (the Retry button aside). */
const statusText = async (page: Page): Promise<string> => `${await page.textContent('#scan-status-heading')} ${await page.textContent('#scan-status-text')}`;

describe('webview: scan status (streaming, stopped, Retry)', () => {
  before(() => mkdir(ARTIFACTS, { recursive: true }));

  it('says "Scanning… n of N files" while results stream in, and nothing once the scan is complete', async () => {
    const { page, errors } = await openPanel({ streaming: 1, expected: 9000 });
    await page.waitForSelector('#scan-status[data-state="streaming"]:not([hidden])');
    assert.equal(await statusText(page), `Scanning… ${FILES.toLocaleString('en-US')} of 9,000 files`);
    assert.equal(await page.getAttribute('#scan-status', 'role'), 'status');
    assert.ok(await page.isHidden('#scan-retry'));
    await page.screenshot({ path: join(ARTIFACTS, 'dark-scanning.png') });
    await page.evaluate(() => window.__fakeHost?.pushSnapshot({ revision: 2, complete: true, expectedCount: 9000 }));
    await page.waitForSelector('#scan-status', { state: 'hidden' });
    assert.equal(await page.getAttribute('#scan-status', 'data-state'), 'complete');
    assert.deepEqual(errors, []);
  });

  it('counts only the files so far when the host does not know N yet', async () => {
    const { page } = await openPanel({ streaming: 1 });
    await page.waitForSelector('#scan-status[data-state="streaming"]:not([hidden])');
    assert.match(await statusText(page), new RegExp(`^Scanning… ${FILES.toLocaleString('en-US')} files so far`));
  });

  it('shows why the scan failed, with Retry asking the host to scan again, until another scan arrives', async () => {
    const { page, errors } = await openPanel();
    assert.ok(await page.isHidden('#scan-status'));
    const reason = 'The Outlier Lens engine stopped: it was killed (SIGKILL — often the system running out of memory).';
    await page.evaluate(([scanId, text]) => window.__fakeHost?.push({ type: 'scanStopped', scanId, outcome: 'failed', reason: text }), [SCAN_ID, reason] as const);
    await page.waitForSelector('#scan-status[data-state="failed"]:not([hidden])');
    assert.equal(await page.getAttribute('#scan-status', 'role'), 'alert');
    assert.equal(await page.textContent('#scan-status-heading'), 'Scan failed.');
    assert.equal(await page.textContent('#scan-status-text'), reason);
    await page.screenshot({ path: join(ARTIFACTS, 'dark-scan-failed.png') });
    await page.click('#scan-retry');
    const retry = await waitForPosted(page, (message) => message.type === 'retryScan');
    assert.deepEqual(retry, { type: 'retryScan', scanId: SCAN_ID });
    await settleFrames(page);
    assert.equal(await page.getAttribute('#scan-retry', 'disabled'), '');
    assert.equal(await page.textContent('#scan-retry'), 'Retrying…');
    await page.click('#scan-retry', { force: true });
    await page.waitForTimeout(100);
    const retries = (await page.evaluate(() => window.__fakeHost?.posted ?? [])).filter((message) => message.type === 'retryScan');
    assert.equal(retries.length, 1, 'one retry per stop');
    // The host's answer: a new scan, streaming.
    await page.evaluate(() => window.__fakeHost?.pushSnapshot({ scanId: 'scan-retried', revision: 1, complete: false, expectedCount: 9000 }));
    await page.waitForSelector('#scan-status[data-state="streaming"]');
    assert.deepEqual(errors, []);
  });

  it('says a cancelled scan stopped; the same scan streaming again (a retry on CPU) clears it', async () => {
    const { page } = await openPanel();
    await page.evaluate((scanId) => window.__fakeHost?.push({ type: 'scanStopped', scanId, outcome: 'cancelled', reason: 'Stopped after 120 of 2,005 files; their results are shown.' }), SCAN_ID);
    await page.waitForSelector('#scan-status[data-state="cancelled"]:not([hidden])');
    assert.equal(await statusText(page), 'Scan cancelled. Stopped after 120 of 2,005 files; their results are shown.');
    assert.ok(await page.isVisible('#scan-retry'));
    await page.evaluate(() => window.__fakeHost?.pushSnapshot({ revision: 2, complete: false }));
    await page.waitForSelector('#scan-status[data-state="streaming"]');
  });

  it('ignores a stop of a scan it does not show, and keeps stops out of the saved state', async () => {
    const { page } = await openPanel();
    await page.evaluate(() => window.__fakeHost?.push({ type: 'scanStopped', scanId: 'another-scan', outcome: 'failed', reason: 'elsewhere' }));
    await page.waitForTimeout(100);
    await settleFrames(page);
    assert.ok(await page.isHidden('#scan-status'));
    await page.evaluate((scanId) => window.__fakeHost?.push({ type: 'scanStopped', scanId, outcome: 'failed', reason: 'here' }), SCAN_ID);
    await page.waitForSelector('#scan-status[data-state="failed"]');
    await page.click('vscode-tab-header[data-view="scores"]'); // a UI change, so the panel saves its state
    await page.waitForTimeout(300);
    const saved = (await page.evaluate(() => window.__fakeHost?.savedState())) as { ui: Record<string, unknown> };
    assert.equal(saved.ui.activeView, 'scores');
    assert.ok(!('stopped' in saved.ui) && !('scan' in saved.ui), Object.keys(saved.ui).join(', '));
  });
});
