// End to end in real VS Code (code-server 4.100.3) driven by headless Chromium, against the extension
// installed from the linux-x64 VSIX (`--install-extension`, as a user would): right-click a folder
// → Scan Folder → train a new detector → the panel shows scores and the broken files → export JSON;
// then scan a folder of two sub-folders, mark them inliers and outliers → ROC curve and AUROC.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { validateOutlierExport } from '../../src/engine/export/outlierExport';
import { openBrowser, screenshot } from './support/browser';
import type { CodeServer } from './support/codeServer';
import { startCodeServer } from './support/codeServer';
import { closeRun, explorerRow, openWorkbench, panelFrame, reportFailure, runFromPalette } from './support/workbench';
import type { E2eWorkspace } from './support/workspaceFixture';
import { writeWorkspace } from './support/workspaceFixture';

const IMAGE_COUNT = 300;
/** Images in each of mixed/fashion and mixed/mnist. */
const LABELLED_COUNT = 60;

describe('Outlier Lens in VS Code (code-server)', () => {
  let run: string;
  let workspace: E2eWorkspace;
  let server: CodeServer;
  let browser: Browser;
  let page: Page;
  const refusedLoads: string[] = [];

  before(async () => {
    run = fs.mkdtempSync(path.join(os.tmpdir(), 'outlier-lens-e2e-'));
    workspace = await writeWorkspace(run, IMAGE_COUNT, LABELLED_COUNT);
    server = await startCodeServer(run, workspace.folder);
    ({ browser, page } = await openBrowser());
    // Webview resources load only through asWebviewUri (the CSP allows nothing else): a refused load, or
    // a file missing from the installed package (404), is a bug. ERR_ABORTED is the gallery dropping
    // thumbnails scrolled out of view.
    const webviewResource = /outlier-lens|vscode-remote-resource|vscode-resource/;
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to (load|apply|execute)/.test(message.text())) refusedLoads.push(message.text());
    });
    page.on('requestfailed', (request) => {
      const reason = request.failure()?.errorText ?? 'failed';
      if (webviewResource.test(request.url()) && reason !== 'net::ERR_ABORTED') refusedLoads.push(`${request.url()}: ${reason}`);
    });
    page.on('response', (response) => {
      if (webviewResource.test(response.url()) && response.status() >= 400) refusedLoads.push(`${response.url()}: HTTP ${response.status()}`);
    });
    await openWorkbench(page, server, workspace.folder, 'images');
  });

  after(() => closeRun(browser, server, run));

  afterEach(async function onFailure() {
    if (this.currentTest?.state === 'failed') await reportFailure(page, server, 'failed-', this.currentTest.title);
  });

  it('runs the extension installed from the linux-x64 VSIX, not the source folder', async () => {
    assert.ok(!fs.lstatSync(server.extensionFolder).isSymbolicLink());
    assert.ok(!server.extensionFolder.startsWith(path.resolve(__dirname, '../..')), server.extensionFolder);
    const packaged = JSON.parse(fs.readFileSync(path.join(server.extensionFolder, 'dist', 'target.json'), 'utf8')) as { target: string };
    assert.strictEqual(packaged.target, 'linux-x64');
    assert.ok(!fs.existsSync(path.join(server.extensionFolder, 'src')), 'no sources in the installed extension');
    await screenshot(page, '01-workbench');
  });

  it('offers Scan Folder on the folder\'s context menu and a detector quick pick', async () => {
    await explorerRow(page, 'images').click({ button: 'right' });
    const item = page.getByRole('menuitem', { name: 'Scan Folder' });
    await item.waitFor();
    await item.hover();
    await page.waitForTimeout(300);
    await screenshot(page, '02-explorer-context-menu');
    await item.click();
    const train = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Train a new detector on this folder' });
    await train.waitFor({ timeout: 30_000 });
    await screenshot(page, '03-detector-quick-pick');
    await train.click();
  });

  it('trains in the worker with a progress notification, then streams the scan into the panel', async () => {
    // The notification's message carries the model, epoch, step, loss, bits/dim and ETA.
    await page.locator('.notifications-toasts .notification-toast', { hasText: /epoch 1\/1, step \d+\/\d+/ }).first().waitFor({ timeout: 60_000 });
    await screenshot(page, '04-training-progress');
    await page.locator('.notifications-toasts .notification-toast', { hasText: /images scored/ }).waitFor({ timeout: 180_000 });
    const panel = panelFrame(page);
    await panel.locator('#count-errors').filter({ hasText: '2' }).waitFor({ timeout: 30_000 });
    const count = async (id: string): Promise<number> => Number((await panel.locator(id).textContent())?.replace(/,/g, ''));
    // A calibrated detector (300 images: 30 held out) ranks by the outlier score, flagged above 2: a clean folder flags few, maybe none.
    assert.strictEqual(await panel.locator('#threshold-value').getAttribute('data-value'), '2');
    assert.strictEqual((await count('#count-outliers')) + (await count('#count-inliers')), IMAGE_COUNT);
    assert.ok((await count('#count-outliers')) < IMAGE_COUNT / 4, `${await count('#count-outliers')} outliers at the verdict`);
    // "LLR only" is one click away: the detector's own threshold (the 95th percentile of the LLRs).
    await panel.locator('vscode-single-select#ranking-mode').click();
    await panel.locator('vscode-single-select#ranking-mode').getByText('LLR only', { exact: true }).last().click();
    await panel.locator('vscode-textfield#threshold-percentile[data-value="95"]').waitFor({ timeout: 20_000 });
    const outliers = await count('#count-outliers');
    assert.strictEqual(outliers + (await count('#count-inliers')), IMAGE_COUNT);
    assert.ok(outliers > 0 && outliers < IMAGE_COUNT / 4, `${outliers} outliers at the default threshold`);
    await panel.locator('#gallery .gallery-cell:not(.is-loading) .cell-thumbnail').first().waitFor();
    await screenshot(page, '05-results-panel');
  });

  it('lists the broken files with their reasons', async () => {
    const panel = panelFrame(page);
    await panel.locator('vscode-single-select#filter').click();
    await panel.locator('vscode-single-select#filter').getByText('Errors', { exact: true }).last().click();
    const failed = panel.locator('#gallery .gallery-cell.is-failed');
    await failed.nth(1).waitFor({ timeout: 20_000 });
    const reasons = await failed.locator('.cell-failed-reason').allTextContents();
    assert.strictEqual(reasons.length, 2);
    assert.ok(reasons.every((reason) => reason.trim().length > 5), reasons.join(' | '));
    const names = await failed.evaluateAll((cells) => cells.map((cell) => cell.getAttribute('data-relative-path')));
    assert.deepStrictEqual(names.sort(), [...workspace.broken]);
    await screenshot(page, '06-broken-files');
  });

  it('exports the outliers as JSON through the save dialog, with the threshold set in the panel, to a file that validates', async () => {
    const panel = panelFrame(page);
    const percentileField = panel.locator('vscode-textfield#threshold-percentile input');
    await percentileField.fill('90');
    await percentileField.press('Enter');
    await panel.locator('#count-outliers').filter({ hasText: /^30$/ }).waitFor({ timeout: 20_000 });
    const target = path.join(workspace.folder, 'exports', 'outliers.json');
    fs.mkdirSync(path.dirname(target), { recursive: true });
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.fill('>Outlier Lens: Export Outliers as JSON');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Export Outliers as JSON' }).first().waitFor();
    await page.keyboard.press('Enter');
    // Which rows: every image (the flagged alone is the other choice).
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'All rows' }).first().click();
    // VS Code's simple file dialog: a quick input holding the suggested path (in the workspace's
    // .outlier-lens/exports, named for what it holds); replace it and accept.
    await page.waitForFunction("/\\.outlier-lens\\/exports\\/[^/]+-all-[0-9-]+\\.json$/.test(document.querySelector('.quick-input-widget input')?.value ?? '')", undefined, { timeout: 20_000 });
    await input.fill(target);
    await page.waitForTimeout(300);
    await screenshot(page, '07-save-dialog');
    await page.keyboard.press('Enter');
    await page.locator('.notifications-toasts .notification-toast', { hasText: /exported to outliers\.json/ }).waitFor({ timeout: 20_000 });
    await screenshot(page, '08-exported');
    const exported = JSON.parse(fs.readFileSync(target, 'utf8')) as { threshold: { method: string; percentile?: number }; counts: { images: number; errors: number; outliers: number }; errors: Array<{ path: string }> };
    assert.deepStrictEqual(validateOutlierExport(exported), []);
    assert.strictEqual(exported.threshold.method, 'percentile');
    assert.strictEqual(exported.threshold.percentile, 90);
    assert.strictEqual(exported.counts.outliers, 30);
    assert.strictEqual(exported.counts.images, IMAGE_COUNT);
    assert.deepStrictEqual(exported.errors.map((error) => error.path), [...workspace.broken]);
  });

  it('rescans from the palette with the trained detector, listed with its shape and data, reusing the cached scores', async () => {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.fill('>Outlier Lens: Scan Folder');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Outlier Lens: Scan Folder' }).first().waitFor();
    await page.keyboard.press('Enter');
    // The simple open dialog: type the folder and press its "Scan" button.
    await page.locator('.quick-input-widget', { hasText: 'scan a folder for outliers' }).waitFor({ timeout: 20_000 });
    // The dialog writes its starting folder into the input while it lists it, which may undo what was typed: type until it stays.
    const target = `${workspace.images}/`;
    for (let attempt = 1; ; attempt++) {
      await input.fill(target);
      await page.waitForTimeout(500);
      if ((await input.inputValue()) === target) break;
      if (attempt === 5) assert.strictEqual(await input.inputValue(), target);
    }
    await page.locator('.quick-input-widget .monaco-button', { hasText: 'Scan' }).click();
    const detector = page.locator('.quick-input-widget .monaco-list-row', { hasText: '12×12 gray · 300 images' });
    await detector.waitFor({ timeout: 20_000 });
    await screenshot(page, '10-detector-picker');
    await detector.click();
    await page.locator('.notifications-toasts .notification-toast', { hasText: /300 images scored \(300 from the cache\)/ }).waitFor({ timeout: 60_000 });
  });

  it('shows the detector, counts and threshold in the side view', async () => {
    await page.locator('.activitybar .action-item a[aria-label^="Outlier Lens"]').click();
    const view = page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
    await view.locator('#counts').filter({ hasText: `${IMAGE_COUNT} scored` }).waitFor({ timeout: 30_000 });
    await screenshot(page, '09-side-view');
  });

  it('scans a folder of two sub-folders; marking them inliers and outliers from the Explorer draws the ROC curve and its AUROC', async () => {
    await page.locator('.activitybar .action-item a[aria-label^="Explorer"]').click();
    await clickExplorerMenuItem(page, 'mixed', 'Scan Folder');
    const detector = page.locator('.quick-input-widget .monaco-list-row', { hasText: '12×12 gray · 300 images' });
    await detector.waitFor({ timeout: 20_000 });
    await detector.click();
    const total = 2 * LABELLED_COUNT;
    await page.locator('.notifications-toasts .notification-toast', { hasText: `${total} images scored (0 from the cache)` }).waitFor({ timeout: 60_000 });
    const panel = panelFrame(page);
    await panel.locator('#scan-title').filter({ hasText: /^mixed · / }).waitFor({ timeout: 20_000 });
    // The status line goes once the snapshot that says complete arrives (it follows the message by up to a throttle interval).
    await panel.locator('#scan-status').waitFor({ state: 'hidden', timeout: 20_000 });
    await panel.locator('vscode-tab-header[data-view="scores"]').click();
    await panel.locator('#roc-unavailable').waitFor();

    // Open mixed/ in the Explorer, then mark its sub-folders from their context menus.
    await explorerRow(page, 'mixed').click();
    await explorerRow(page, 'fashion').waitFor();
    await clickExplorerMenuItem(page, 'fashion', 'Mark Folder as Inliers', '11-mark-folder-menu');
    await clickExplorerMenuItem(page, 'mnist', 'Mark Folder as Outliers');

    // The open panel relabels without a rescan: ROC and PR curves, AUROC and the quality at the threshold.
    await panel.locator('#roc-section #roc-chart canvas').waitFor({ timeout: 20_000 });
    await panel.locator('#pr-chart canvas').waitFor();
    const auroc = (await panel.locator('#metric-auroc').textContent()) ?? '';
    assert.match(auroc, /^[01]\.\d{3}$/);
    assert.match((await panel.locator('#metric-f1').textContent()) ?? '', /^[01]\.\d{3}$/);
    const confusion = ((await panel.locator('#metric-confusion').textContent()) ?? '').split(' / ').map(Number);
    assert.strictEqual(confusion.reduce((sum, count) => sum + count, 0), total, `TP / FP / TN / FN ${confusion.join(' / ')}`);
    assert.strictEqual(await panel.locator('#roc-unavailable').count(), 0);
    await runFromPalette(page, 'Notifications: Clear All Notifications'); // the toasts would cover the PR curve
    await page.waitForTimeout(300);
    await screenshot(page, '12-roc-curve');

    // A marked folder offers Clear Label Mark instead of the mark it already has.
    await explorerRow(page, 'mnist').click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Clear Label Mark' }).waitFor();
    assert.strictEqual(await page.getByRole('menuitem', { name: 'Mark Folder as Outliers' }).count(), 0);
    await page.keyboard.press('Escape');

    // The side view shows the same AUROC.
    await page.locator('.activitybar .action-item a[aria-label^="Outlier Lens"]').click();
    const view = page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
    await view.locator('#ground-truth').filter({ hasText: `${LABELLED_COUNT} inliers · ${LABELLED_COUNT} outliers · AUROC ${auroc}` }).waitFor({ timeout: 20_000 });
    await screenshot(page, '13-side-view-auroc');
  });

  it('walks a first-time user through the walkthrough: Get Demo Data writes the demo folder and completes its step', async () => {
    await runFromPalette(page, 'Welcome: Open Walkthrough...');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Find the outliers in an image folder' }).first().click();
    const walkthrough = page.locator('.gettingStartedContainer');
    await walkthrough.getByText('What Outlier Lens does').first().waitFor({ timeout: 20_000 });
    await screenshot(page, '14-walkthrough');
    await walkthrough.getByText('Get demo data', { exact: true }).first().click();
    await walkthrough.getByRole('button', { name: 'Get Demo Data', exact: true }).click();
    await page.locator('.notifications-toasts .notification-toast', { hasText: /outlier-lens-demo holds 1000 Fashion-MNIST images/ }).waitFor({ timeout: 60_000 });
    await explorerRow(page, 'outlier-lens-demo').waitFor({ timeout: 20_000 });
    const demo = path.join(workspace.folder, 'outlier-lens-demo');
    assert.deepStrictEqual(fs.readdirSync(demo).sort(), ['fashion', 'mnist', 'notes.jpg', 'truncated.png']);
    assert.strictEqual(fs.readdirSync(path.join(demo, 'fashion')).length, 1000);
    await walkthrough.locator('.getting-started-step[data-step-id$="#getDemoData"][aria-checked="true"]').waitFor({ timeout: 20_000 });
    await screenshot(page, '15-walkthrough-demo-data');
  });

  it('loaded every webview resource through asWebviewUri: no refused, failed or missing load all along', () => {
    assert.deepStrictEqual(refusedLoads, []);
  });
});

/**
 * Right-clicks an Explorer row and clicks one of its menu items. The menu lists an item only once
 * its `when` clause holds (the extension sets context keys as results arrive): it is opened again
 * until the item shows.
 */
async function clickExplorerMenuItem(page: Page, row: string, name: string, screenshotName?: string): Promise<void> {
  const item = page.getByRole('menuitem', { name, exact: true });
  for (let attempt = 1; ; attempt++) {
    await explorerRow(page, row).click({ button: 'right' });
    try {
      await item.waitFor({ timeout: 3000 });
      break;
    } catch (error) {
      await page.keyboard.press('Escape');
      if (attempt === 3) throw error;
      await page.waitForTimeout(1000);
    }
  }
  // A click right after the menu opens is ignored: hover, wait, click.
  await item.hover();
  await page.waitForTimeout(300);
  if (screenshotName) await screenshot(page, screenshotName);
  await item.click();
}

