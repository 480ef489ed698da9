// End to end in real VS Code (code-server 4.100.3, the linux-x64 VSIX installed): scan a small folder,
// select the flagged images, move them to .outliers/, undo, delete one; after each step the files on
// disk are where they should be and the panel's counts and status say the same.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { loadDataset, writeDatasetAsPngFolder } from '../../src/engine/data';
import { openBrowser, screenshot } from './support/browser';
import type { CodeServer } from './support/codeServer';
import { startCodeServer } from './support/codeServer';
import { closeRun, explorerRow, openWorkbench, panelFrame, reportFailure, runFromPalette } from './support/workbench';

const GARMENTS = 150;
const DIGITS = 10;
const TOTAL = GARMENTS + DIGITS;

/** Image files under `folder`, relative, POSIX, sorted (dot folders included when asked). */
function imagesUnder(folder: string, withDotFolders = false): string[] {
  if (!fs.existsSync(folder)) return [];
  return (fs.readdirSync(folder, { recursive: true }) as string[])
    .map((entry) => entry.split(path.sep).join('/'))
    .filter((entry) => entry.endsWith('.png') && (withDotFolders || !entry.split('/').some((segment) => segment.startsWith('.'))))
    .sort();
}

describe('Acting on the flagged images in VS Code (code-server)', () => {
  let run: string;
  let shelf: string;
  let server: CodeServer;
  let browser: Browser;
  let page: Page;
  let flagged: string[] = [];

  before(async () => {
    run = fs.mkdtempSync(path.join(os.tmpdir(), 'outlier-lens-e2e-actions-'));
    const workspace = path.join(run, 'workspace');
    shelf = path.join(workspace, 'shelf');
    const [garments, digits] = await Promise.all([loadDataset('fashion-mnist', 'test', { limit: GARMENTS }), loadDataset('mnist', 'test', { limit: DIGITS })]);
    await Promise.all([writeDatasetAsPngFolder(garments, path.join(shelf, 'garments')), writeDatasetAsPngFolder(digits, path.join(shelf, 'digits'))]);
    fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
    // Tiny training keeps the test quick on two CPU cores.
    const settings = { 'outlierLens.preset': 'fast', 'outlierLens.epochs': 1, 'outlierLens.imageSize': '12x12', 'outlierLens.channels': '1' };
    fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2));
    server = await startCodeServer(run, workspace);
    ({ browser, page } = await openBrowser());
    await openWorkbench(page, server, workspace, 'shelf');
  });

  after(() => closeRun(browser, server, run));

  afterEach(async function onFailure() {
    if (this.currentTest?.state === 'failed') await reportFailure(page, server, 'actions-failed-', this.currentTest.title);
  });

  it('scans the folder with a new detector and selects every flagged image', async () => {
    await explorerRow(page, 'shelf').click({ button: 'right' });
    const item = page.getByRole('menuitem', { name: 'Scan Folder', exact: true });
    await item.waitFor();
    await item.hover();
    await page.waitForTimeout(300);
    await item.click();
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Train a new detector on this folder' }).click({ timeout: 30_000 });
    await page.locator('.notifications-toasts .notification-toast', { hasText: /images scored/ }).waitFor({ timeout: 240_000 });
    const panel = panelFrame(page);
    await panel.locator('#scan-status').waitFor({ state: 'hidden', timeout: 20_000 });
    assert.strictEqual(await shownTotal(panel), TOTAL);
    const outliers = await countOf(panel, '#count-outliers');
    assert.ok(outliers > 0, 'some images are flagged');

    await panel.locator('#select-flagged').click();
    await panel.locator('#selection-summary').filter({ hasText: `${outliers} selected` }).waitFor({ timeout: 20_000 });
    // Score order, highest first: the flagged images are the first cells, each one selected.
    const cells = panel.locator('#gallery .gallery-cell[data-relative-path]');
    for (let attempt = 0; attempt < 100 && (await cells.count()) < outliers; attempt++) await page.waitForTimeout(200);
    const firstCells = (await cells.evaluateAll((found) => found.map((cell) => ({ index: Number(cell.id.replace('gallery-item-', '')), path: cell.getAttribute('data-relative-path') ?? '', selected: cell.getAttribute('aria-selected') === 'true' }))))
      .sort((a, b) => a.index - b.index);
    flagged = firstCells.slice(0, outliers).map((cell) => cell.path);
    assert.deepStrictEqual(firstCells.map((cell) => cell.selected), firstCells.map((_cell, index) => index < outliers), 'exactly the flagged images are selected');
    assert.strictEqual(flagged.length, outliers, 'every flagged image is on the first page');
    await runFromPalette(page, 'Notifications: Clear All Notifications');
    await screenshot(page, 'actions-01-flagged-selected');
  });

  it('moves the selected images into .outliers/, keeping their sub-folders; the panel counts the rest', async () => {
    const panel = panelFrame(page);
    await panel.locator('#action-move-outliers').click();
    await panel.locator('#action-status').filter({ hasText: `Moved ${flagged.length} ${flagged.length === 1 ? 'image' : 'images'} to .outliers/` }).waitFor({ timeout: 30_000 });
    assert.deepStrictEqual(imagesUnder(path.join(shelf, '.outliers')), [...flagged].sort());
    assert.strictEqual(imagesUnder(shelf).length, TOTAL - flagged.length);
    await waitForTotal(panel, TOTAL - flagged.length);
    await panel.locator('#action-undo').filter({ hasText: /Undo move of \d+ images? to \.outliers\// }).waitFor();
    await screenshot(page, 'actions-02-moved');
  });

  it('Undo moves them back and the panel shows every image again', async () => {
    const panel = panelFrame(page);
    await panel.locator('#action-undo').click();
    await panel.locator('#action-status').filter({ hasText: `back from .outliers/` }).waitFor({ timeout: 30_000 });
    assert.strictEqual(imagesUnder(shelf).length, TOTAL);
    assert.ok(flagged.every((relativePath) => fs.existsSync(path.join(shelf, relativePath))));
    assert.ok(!fs.existsSync(path.join(shelf, '.outliers')), 'the .outliers/ folder the move made is gone again');
    await waitForTotal(panel, TOTAL);
    assert.ok(await panel.locator('#action-undo').isHidden());
    await screenshot(page, 'actions-03-undone');
  });

  it('deletes one image after a confirmation; it leaves the folder and the panel', async () => {
    const panel = panelFrame(page);
    const victim = flagged[0];
    await panel.locator(`#gallery .gallery-cell[data-relative-path="${victim}"]`).click();
    await panel.locator('#selection-summary').filter({ hasText: '1 selected' }).waitFor();
    await panel.locator('#action-trash').click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.filter({ hasText: 'Delete 1 image from shelf?' }).waitFor({ timeout: 20_000 });
    await screenshot(page, 'actions-04-delete-confirmation');
    await dialog.getByRole('button', { name: 'Move to Trash' }).click();
    // code-server's file system may have no trash: the extension then asks before deleting for good.
    const status = panel.locator('#action-status').filter({ hasText: /^Deleted 1 image/ });
    const forGood = dialog.filter({ hasText: 'Delete 1 image for good?' });
    await Promise.race([status.waitFor({ timeout: 30_000 }), forGood.waitFor({ timeout: 30_000 })]);
    if (await forGood.isVisible()) {
      await screenshot(page, 'actions-05-no-trash');
      await forGood.getByRole('button', { name: 'Delete Permanently' }).click();
      await status.waitFor({ timeout: 30_000 });
    }
    const said = (await status.textContent()) ?? '';
    process.stdout.write(`      panel: ${said}\n`);
    assert.ok(!fs.existsSync(path.join(shelf, victim)), `${victim} is gone from the folder`);
    assert.strictEqual(imagesUnder(shelf).length, TOTAL - 1);
    await waitForTotal(panel, TOTAL - 1);
    await panel.locator('#action-undo').filter({ hasText: 'Undo deletion of 1 image' }).waitFor();
    await screenshot(page, 'actions-06-deleted');
  });
});

async function countOf(panel: FrameLocator, selector: string): Promise<number> {
  return Number((await panel.locator(selector).textContent())?.replace(/,/g, ''));
}

/** Scored images the panel counts (outliers + inliers). */
async function shownTotal(panel: FrameLocator): Promise<number> {
  return (await countOf(panel, '#count-outliers')) + (await countOf(panel, '#count-inliers'));
}

/** Waits until the panel counts `total` scored images (its snapshot follows a change within a throttle interval). */
async function waitForTotal(panel: FrameLocator, total: number): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if ((await shownTotal(panel)) === total) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  assert.strictEqual(await shownTotal(panel), total);
}
