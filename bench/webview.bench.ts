/**
 * The panel webview at 100,000 results in headless Chromium: slider → counts and visible grid,
 * initial render, JS heap, scroll frame rate. Prints a table and writes bench/results/webview.json.
 * Figures only, no assertions. Run with `npm run bench:webview` (builds dist/webview.* first).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { InitialRender, ScrollResult, SliderSample } from '../test/webview/harness/benchTypes';
import { isolatedContext, launchChromium } from '../test/webview/harness/browser';
import { startWebviewServer } from '../test/webview/harness/webviewServer';

const RESULTS = 100_000;
const FAILED = 50;
const SLIDER_SAMPLES = 200;
const SCROLL_MS = 2000;

interface Summary {
  readonly median: number;
  readonly p95: number;
  readonly max: number;
}

function summarise(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { median: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] };
}

async function heapMegabytes(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  return usedSize / 2 ** 20;
}

async function sliderScenario(page: Page): Promise<{ work: Summary; inputToFrame: Summary; lastOutliers: string }> {
  const samples = (await page.evaluate(`window.__benchProbe.sliderSamples(${SLIDER_SAMPLES})`)) as SliderSample[];
  return {
    work: summarise(samples.map((sample) => sample.workMs)),
    inputToFrame: summarise(samples.map((sample) => sample.inputToFrameMs)),
    lastOutliers: samples[samples.length - 1].outliersShown,
  };
}

async function main(): Promise<void> {
  const [browser, server] = await Promise.all([launchChromium(), startWebviewServer()]);
  try {
    const context = await isolatedContext(browser);
    const parameters = { n: RESULTS, failed: FAILED, bench: 1 };

    // Baseline: the fake host alone (its 100,000 generated results live in the same page heap).
    const bare = await context.newPage();
    await bare.goto(server.url({ ...parameters, bare: 1 }));
    await bare.waitForFunction('window.__fakeHost !== undefined');
    const bareHeap = await heapMegabytes(bare);
    await bare.close();

    const page = await context.newPage();
    await page.goto(server.url(parameters));
    await page.waitForSelector('body[data-gallery-ready]', { state: 'attached', timeout: 60_000 });
    const initial = (await page.evaluate('window.__benchProbe.initialRender()')) as InitialRender;
    await page.waitForTimeout(300);

    const sliderAll = await sliderScenario(page);
    await page.click('vscode-single-select#filter');
    await page.locator('vscode-single-select#filter').getByText('Outliers', { exact: true }).last().click();
    await page.waitForTimeout(300);
    const sliderOutliers = await sliderScenario(page);
    await page.click('vscode-tab-header[data-view="scores"]');
    await page.waitForSelector('#roc-chart canvas');
    await page.waitForTimeout(300);
    const sliderScores = await sliderScenario(page);
    await page.click('vscode-tab-header[data-view="gallery"]');
    await page.click('vscode-single-select#filter');
    await page.locator('vscode-single-select#filter').getByText('All images', { exact: true }).last().click();
    await page.waitForTimeout(300);

    const heap = await heapMegabytes(page);
    const scrollSteady = (await page.evaluate(`window.__benchProbe.scroll(${SCROLL_MS}, 3000)`)) as ScrollResult;
    const scrollFling = (await page.evaluate(`window.__benchProbe.scroll(${SCROLL_MS}, 40000)`)) as ScrollResult;
    const cellsInDom = (await page.evaluate(`document.querySelectorAll('#gallery .gallery-cell').length`)) as number;
    await page.close();

    // The same fling when every host reply takes 5 ms (VS Code's postMessage crosses processes).
    const slowHost = await context.newPage();
    await slowHost.goto(server.url({ ...parameters, latency: 5 }));
    await slowHost.waitForSelector('body[data-gallery-ready]', { state: 'attached', timeout: 60_000 });
    await slowHost.waitForTimeout(300);
    const scrollSlowHost = (await slowHost.evaluate(`window.__benchProbe.scroll(${SCROLL_MS}, 40000)`)) as ScrollResult;

    const results = {
      date: new Date().toISOString(),
      machine: `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'})`,
      browser: `headless Chromium ${browser.version()}`,
      results: RESULTS,
      failed: FAILED,
      initialRender: initial,
      heapMB: { page: heap, fakeHostAlone: bareHeap, webviewEstimate: heap - bareHeap },
      slider: { galleryAll: sliderAll, galleryOutliersFilter: sliderOutliers, scoresTab: sliderScores },
      scroll: { steady3000pxPerSecond: scrollSteady, fling40000pxPerSecond: scrollFling, fling40000pxPerSecondHost5msLatency: scrollSlowHost },
      cellsInDom,
    };
    const ms = (value: number): string => `${value.toFixed(2)} ms`;
    const rows: [string, string][] = [
      ['Chromium', browser.version()],
      ['Results', `${RESULTS.toLocaleString('en-US')} scored + ${FAILED} failed`],
      ['Initial render (webview boot → first gallery images)', ms(initial.bootToGalleryMs)],
      ['Initial render (navigation → first gallery images)', ms(initial.navigationToGalleryMs)],
      ...(['galleryAll', 'galleryOutliersFilter', 'scoresTab'] as const).flatMap((name): [string, string][] => {
        const scenario = results.slider[name];
        return [
          [`Slider → counts + view, work (${name}) median / p95`, `${ms(scenario.work.median)} / ${ms(scenario.work.p95)}`],
          [`Slider → next frame incl. vsync wait (${name}) median / p95`, `${ms(scenario.inputToFrame.median)} / ${ms(scenario.inputToFrame.p95)}`],
        ];
      }),
      ['JS heap after GC: page / fake host alone / webview ≈', `${heap.toFixed(1)} / ${bareHeap.toFixed(1)} / ${(heap - bareHeap).toFixed(1)} MB`],
      ['Scroll 3,000 px/s for 2 s: fps, p95 frame, placeholders', `${scrollSteady.fps.toFixed(1)} fps, ${ms(scrollSteady.p95FrameMs)}, ${(100 * scrollSteady.placeholderShare).toFixed(1)} %`],
      ['Scroll 40,000 px/s for 2 s: fps, p95 frame, placeholders', `${scrollFling.fps.toFixed(1)} fps, ${ms(scrollFling.p95FrameMs)}, ${(100 * scrollFling.placeholderShare).toFixed(1)} %`],
      ['Same fling, host replies after 5 ms: fps, p95 frame, placeholders', `${scrollSlowHost.fps.toFixed(1)} fps, ${ms(scrollSlowHost.p95FrameMs)}, ${(100 * scrollSlowHost.placeholderShare).toFixed(1)} %`],
      ['Gallery cells in the DOM', String(cellsInDom)],
    ];
    const width = Math.max(...rows.map(([label]) => label.length));
    console.log(`\nOutlier Lens webview benchmark — ${results.machine}, ${results.browser}\n`);
    for (const [label, value] of rows) console.log(`${label.padEnd(width)}  ${value}`);
    const outputDirectory = join(__dirname, 'results');
    await mkdir(outputDirectory, { recursive: true });
    await writeFile(join(outputDirectory, 'webview.json'), `${JSON.stringify(results, null, 2)}\n`);
    console.log(`\nwrote ${join('bench', 'results', 'webview.json')}`);
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
