import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { requireChromiumPath } from '../../support/chromiumPath';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Launch headless Chromium (Playwright gives each launch a fresh temporary user-data-dir). */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: requireChromiumPath(), args: ARGS, headless: true });
}

/** A fresh context (own sessionStorage: the fake host's saved state) that can reach only 127.0.0.1 and inline data. */
export async function isolatedContext(browser: Browser, viewport = { width: 1280, height: 860 }): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    const local = /^(https?:\/\/127\.0\.0\.1[:/]|file:|data:|blob:)/.test(url);
    return local ? route.continue() : route.abort();
  });
  return context;
}
