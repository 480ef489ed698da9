import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { FromWebviewMessage } from '../../../src/protocol/webview';
import { isolatedContext, launchChromium } from './browser';
import { startWebviewServer, type WebviewServer } from './webviewServer';

// Held apart so that `after` closes whichever started even when the other failed: an open server
// behind a browser that could not launch kept mocha alive after the suite had failed.
let browserStarted: Promise<Browser> | undefined;
let serverStarted: Promise<WebviewServer> | undefined;
const contexts: BrowserContext[] = [];

/** One browser and one server for the whole suite (starting Chromium is the slow part). */
export async function webviewSession(): Promise<{ browser: Browser; server: WebviewServer }> {
  browserStarted ??= launchChromium();
  serverStarted ??= startWebviewServer();
  const [browser, server] = await Promise.all([browserStarted, serverStarted]);
  return { browser, server };
}

/** An open panel: its page and what the page's fake host recorded. */
export interface Panel {
  readonly page: Page;
  readonly context: BrowserContext;
  readonly errors: string[];
}

/** A fresh context and page on `url`, collecting the page's errors. */
async function openPage(url: (server: WebviewServer) => string): Promise<Panel> {
  const { browser, server } = await webviewSession();
  const context = await isolatedContext(browser);
  contexts.push(context);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(url(server));
  return { page, context, errors };
}

/** Open the panel in a fresh context with fake-host options, and wait until the gallery shows images. */
export async function openPanel(parameters: Readonly<Record<string, string | number>> = {}, waitFor = 'body[data-gallery-ready]'): Promise<Panel> {
  const panel = await openPage((server) => server.url(parameters));
  await panel.page.waitForSelector(waitFor, { state: 'attached' });
  return panel;
}

/** Open the side view in a fresh context, once its script has said `ready` and its controls are defined. */
export async function openSideView(): Promise<Panel> {
  const view = await openPage((server) => server.sideViewUrl);
  await view.page.waitForFunction(() => window.__sideViewHost?.posted.some((message) => message.type === 'ready') && customElements.get('vscode-textfield') !== undefined);
  return view;
}

/** Messages the webview posted to the fake host so far. */
export function postedMessages(page: Page): Promise<FromWebviewMessage[]> {
  return page.evaluate(() => window.__fakeHost?.posted ?? []);
}

/** Wait until the webview has posted a message matching `predicate`. */
export async function waitForPosted(page: Page, predicate: (message: FromWebviewMessage) => boolean, timeoutMs = 3000): Promise<FromWebviewMessage> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await postedMessages(page)).find(predicate);
    if (found) return found;
    if (Date.now() > deadline) throw new Error('the webview did not post the expected message');
    await page.waitForTimeout(25);
  }
}

/** Wait for the page's next two animation frames (the webview batches DOM work into one). */
export function settleFrames(page: Page): Promise<void> {
  return page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))));
}

after(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close().catch(() => undefined)));
  const [browser, server] = await Promise.allSettled([browserStarted, serverStarted]);
  browserStarted = serverStarted = undefined;
  await Promise.all([
    browser.status === 'fulfilled' ? browser.value?.close() : undefined,
    server.status === 'fulfilled' ? server.value?.close() : undefined,
  ]);
});
