// Headless Debian Chromium driven by playwright-core: the user of the end-to-end test. Needs no display.
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { requireChromiumPath } from '../../support/chromiumPath';

/** Where screenshots go (kept as CI artifacts). */
export const SCREENSHOTS = path.resolve(__dirname, '../../../.artifacts/e2e');

/** Launches Chromium offline: every request that is not to the local code-server is aborted. */
export async function openBrowser(): Promise<{ browser: Browser; page: Page }> {
  const browser = await chromium.launch({
    executablePath: requireChromiumPath(),
    headless: true,
    // Playwright gives every launch a fresh temporary profile (and passes --headless itself).
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    return url.hostname === '127.0.0.1' || url.protocol === 'data:' || url.protocol === 'blob:' ? route.continue() : route.abort();
  });
  const page = await context.newPage();
  return { browser, page };
}

/** Saves a screenshot of what the user sees as `.artifacts/e2e/<name>.png`. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}
