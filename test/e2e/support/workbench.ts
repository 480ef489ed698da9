// The code-server workbench as the e2e suites drive it: opening a folder, the Explorer, the command
// palette, the results panel's frame, and each suite's clean-up.
import * as fs from 'fs';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { screenshot } from './browser';
import type { CodeServer } from './codeServer';

/**
 * Opens `folder` in the workbench and waits until the Explorer shows `firstRow` and Outlier Lens's
 * contributions arrived (the Explorer's menu lists extension commands only then). A machine shared
 * with other jobs may take more than playwright's 30 s to load the workbench the first time.
 */
export async function openWorkbench(page: Page, server: CodeServer, folder: string, firstRow: string): Promise<void> {
  await page.goto(`${server.url}/?folder=${encodeURIComponent(folder)}`, { timeout: 180_000 });
  await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
  await explorerRow(page, firstRow).waitFor({ timeout: 60_000 });
  await page.locator('.activitybar .action-item a[aria-label="Outlier Lens"]').waitFor({ timeout: 60_000 });
}

/** Runs a command from the palette by its title. */
export async function runFromPalette(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget input').fill(`>${title}`);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

/** The Explorer row of a file or folder. */
export function explorerRow(page: Page, name: string): ReturnType<Page['locator']> {
  return page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first();
}

/** The results panel's page: two iframes deep. */
export function panelFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').first().frameLocator('#active-frame');
}

/** Closes a suite's browser and code-server, and removes its run folder unless OUTLIER_LENS_E2E_KEEP=1. */
export async function closeRun(browser: Browser | undefined, server: CodeServer | undefined, run: string): Promise<void> {
  await browser?.close();
  await server?.stop();
  if (server && process.env.OUTLIER_LENS_E2E_KEEP !== '1') fs.rmSync(run, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
}

/** After a failed test: a screenshot named `prefix` + the test's title, and the end of code-server's log on stderr. */
export async function reportFailure(page: Page | undefined, server: CodeServer, prefix: string, title: string): Promise<void> {
  if (!page) return;
  await screenshot(page, `${prefix}${title.replace(/\W+/g, '-').slice(0, 60)}`);
  process.stderr.write(`code-server log: ${server.logFile}\n${fs.readFileSync(server.logFile, 'utf8').slice(-3000)}\n`);
}
