import assert from 'node:assert/strict';
import { DEFAULT_OPTIONS, generateResultSet, pixelMapsFor } from './fixtures/resultSet';
import { pathsByScoreDescending, percentileOf } from './fixtures/expectations';
import { canvasContent } from './harness/canvasPixels';
import { moveSlider, waitForLoadedCells } from './harness/panelQueries';
import { openPanel, postedMessages, waitForPosted, type Panel } from './harness/session';
import type { PixelMaps } from '../../src/protocol/scanResults';

const resultSet = generateResultSet(DEFAULT_OPTIONS);
const byScore = pathsByScoreDescending(resultSet);
const POSITION = 5;
const path = byScore[POSITION];
const imageIndex = resultSet.scored.findIndex((image) => image.relativePath === path);
const image = resultSet.scored[imageIndex];

describe('webview: detail view of one image', () => {
  let panel: Panel;
  beforeEach(async () => {
    panel = await openPanel();
    await waitForLoadedCells(panel.page);
    await panel.page.dblclick(`#gallery-item-${POSITION}`);
    await panel.page.waitForSelector('#detail:not([hidden])');
    await panel.page.waitForFunction(() => document.getElementById('detail-status')?.textContent === '');
    await panel.page.waitForFunction(() => (document.querySelector('[data-map="image"] .legend-extent')?.textContent ?? '') !== '');
  });

  it('shows the image and the semantic, background and LLR maps as four canvases with pixels', async () => {
    const columns = panel.page.locator('#detail-columns .detail-column');
    assert.deepEqual(await columns.evaluateAll((nodes) => nodes.map((node) => (node as HTMLElement).dataset.map)), ['image', 'semantic', 'background', 'llr']);
    for (const map of ['image', 'semantic', 'background', 'llr']) {
      const content = await canvasContent(panel.page.locator(`[data-map="${map}"] canvas.map-canvas`));
      assert.equal(content.width, 28, map);
      assert.equal(content.height, 28, map);
      assert.ok(content.distinctColours > (map === 'image' ? 1 : 20), `${map}: ${content.distinctColours} colours`);
      assert.equal(content.opaquePixels, 28 * 28, map);
      assert.ok(await panel.page.locator(`[data-map="${map}"]`).isVisible());
    }
  });

  it('labels each map’s colour scale and the data’s min and max on the per-image scale', async () => {
    await panel.page.click('#heatmap-scale-image');
    await panel.page.waitForFunction(() => document.querySelector('[data-map="llr"] .legend-scale')?.textContent === 'Scale: this image’s own range');
    const maps = pixelMapsFor(image, imageIndex);
    const extent = (values: Float32Array): string => `min ${Math.min(...values).toFixed(2)} · max ${Math.max(...values).toFixed(2)} nats`;
    assert.equal(await panel.page.textContent('[data-map="semantic"] .legend-extent'), extent(maps.semanticLogProb));
    assert.equal(await panel.page.textContent('[data-map="background"] .legend-extent'), extent(maps.backgroundLogProb));
    assert.equal(await panel.page.textContent('[data-map="llr"] .legend-extent'), extent(maps.llr));
    assert.equal(await panel.page.textContent('[data-map="semantic"] .legend-low'), Math.min(...maps.semanticLogProb).toFixed(2));
    assert.equal(await panel.page.textContent('[data-map="semantic"] .legend-high'), Math.max(...maps.semanticLogProb).toFixed(2));
    // The LLR scale is symmetric around zero.
    const llrHigh = Number(await panel.page.textContent('[data-map="llr"] .legend-high'));
    assert.equal(Number(await panel.page.textContent('[data-map="llr"] .legend-low')), -llrHigh);
    assert.equal(await panel.page.textContent('[data-map="image"] .legend-extent'), '28 × 28 px');
    assert.equal(await panel.page.locator('[data-map="llr"] canvas.legend-bar').count(), 1);
  });

  it('paints every image on one shared scale by default, the 1st–99th percentile of known inliers’ maps, and says so', async () => {
    await panel.page.waitForFunction(() => (document.querySelector('[data-map="llr"] .legend-scale')?.textContent ?? '').startsWith('Scale: shared'));
    const sampled = (await postedMessages(panel.page)).flatMap((message) => (message.type === 'requestPixelMaps' && message.relativePath !== path ? [message.relativePath] : []));
    assert.equal(sampled.length, 12);
    const sampledImages = sampled.map((relativePath) => resultSet.scored.findIndex((entry) => entry.relativePath === relativePath));
    assert.ok(sampledImages.every((index) => resultSet.scored[index].label === 'inlier'), 'only known inliers set the scale');
    const pooled = (pick: (maps: PixelMaps) => Float32Array): number[] => sampledImages.flatMap((index) => [...pick(pixelMapsFor(resultSet.scored[index], index))]).sort((a, b) => a - b);
    const at = (values: number[], fraction: number): number => values[Math.floor(fraction * (values.length - 1))];
    const semantic = pooled((maps) => maps.semanticLogProb);
    const llr = pooled((maps) => maps.llr);
    const llrMagnitude = Math.max(Math.abs(at(llr, 0.01)), Math.abs(at(llr, 0.99)));
    const legend = async (map: string): Promise<[string | null, string | null]> => [await panel.page.textContent(`[data-map="${map}"] .legend-low`), await panel.page.textContent(`[data-map="${map}"] .legend-high`)];
    assert.deepEqual(await legend('semantic'), [at(semantic, 0.01).toFixed(2), at(semantic, 0.99).toFixed(2)]);
    assert.deepEqual(await legend('llr'), [(-llrMagnitude).toFixed(2), llrMagnitude.toFixed(2)]);
    assert.equal(await panel.page.textContent('[data-map="llr"] .legend-scale'), 'Scale: shared, 1st–99th percentile of 12 known inliers');
    // Another image keeps the same scale (its own min and max differ).
    const before = await legend('semantic');
    const extentBefore = await panel.page.textContent('[data-map="semantic"] .legend-extent');
    await panel.page.click('#detail-next');
    await panel.page.waitForFunction((previous) => {
      const extent = document.querySelector('[data-map="semantic"] .legend-extent')?.textContent ?? '';
      return extent !== '' && extent !== previous;
    }, extentBefore);
    assert.deepEqual(await legend('semantic'), before);
  });

  it('says in words which end of each colour bar is more outlying, and names the score', async () => {
    assert.equal(await panel.page.textContent('[data-map="llr"] figcaption'), 'Outlier score per pixel (−LLR)');
    assert.deepEqual(await panel.page.$$eval('[data-map="llr"] .legend-ends span', (nodes) => nodes.map((node) => node.textContent)), ['◀ like the training data', 'more outlying ▶']);
    assert.deepEqual(await panel.page.$$eval('[data-map="semantic"] .legend-ends span', (nodes) => nodes.map((node) => node.textContent)), ['◀ less likely', 'more likely ▶']);
    assert.equal(await panel.page.textContent('.fact:has(#detail-score) dt'), 'Outlier score');
    assert.match((await panel.page.getAttribute('.fact:has(#detail-score)', 'title')) ?? '', /outlier score = −log-likelihood ratio/);
  });

  it('shows the score, rank and percentile of the image', async () => {
    assert.equal(await panel.page.textContent('#detail-title'), path);
    assert.equal(await panel.page.textContent('#detail-score'), image.instanceScore.toFixed(2));
    assert.equal(await panel.page.textContent('#detail-rank'), `${POSITION + 1} of 2,000`);
    assert.equal(await panel.page.textContent('#detail-percentile'), `${percentileOf(resultSet, Math.fround(image.instanceScore)).toFixed(1)}th`);
    assert.equal(await panel.page.textContent('#detail-verdict'), image.instanceScore > 20 ? 'outlier' : 'inlier');
    assert.equal(await panel.page.textContent('#detail-label'), image.label);
    assert.equal(await panel.page.textContent('#detail-reasons'), image.reasons?.includes('llr') ? 'LLR' : 'none');
  });

  it('overlays the LLR heatmap on the image with the chosen opacity', async () => {
    await panel.page.click('#detail-mode-overlay');
    await panel.page.waitForSelector('#detail-overlay:not([hidden])');
    assert.equal(await panel.page.isHidden('#detail-columns'), true);
    const opacity = (): Promise<string> => panel.page.$eval('#overlay-llr', (element) => getComputedStyle(element).opacity);
    assert.equal(await opacity(), '0.6');
    await moveSlider(panel.page, '#overlay-opacity', 25);
    assert.equal(await opacity(), '0.25');
    assert.equal(await panel.page.textContent('#overlay-opacity-value'), '25%');
    const image = await canvasContent(panel.page.locator('#detail-overlay canvas.overlay-image'));
    const llr = await canvasContent(panel.page.locator('#overlay-llr'));
    assert.ok(image.distinctColours > 1 && llr.distinctColours > 20);
    const stack = await panel.page.$$eval('#detail-overlay .overlay-stack canvas', (nodes) => nodes.map((node) => JSON.stringify(node.getBoundingClientRect())));
    assert.equal(stack[0], stack[1], 'the heatmap lies exactly over the image');
  });

  it('keeps the image’s own contrast in the overlay: a pixel whose score is near zero lets the image through', async () => {
    await panel.page.click('#detail-mode-overlay');
    await panel.page.waitForSelector('#detail-overlay:not([hidden])');
    const maps = pixelMapsFor(image, imageIndex);
    const magnitudes = [...maps.llr].map(Math.abs);
    const quietest = magnitudes.indexOf(Math.min(...magnitudes));
    const loudest = magnitudes.indexOf(Math.max(...magnitudes));
    const alphaAt = (pixel: number): Promise<number> => panel.page.$eval('#overlay-llr', (canvas, index) => {
      const node = canvas as HTMLCanvasElement;
      return node.getContext('2d')?.getImageData(index % node.width, Math.floor(index / node.width), 1, 1).data[3] ?? -1;
    }, pixel);
    assert.ok((await alphaAt(quietest)) <= 8, `alpha ${await alphaAt(quietest)} where the score is ${maps.llr[quietest]}`);
    assert.ok((await alphaAt(loudest)) >= 200, `alpha ${await alphaAt(loudest)} where the score is ${maps.llr[loudest]}`);
  });

  it('asks the host to open the image or reveal it in the Explorer', async () => {
    await panel.page.click('#detail-open');
    await waitForPosted(panel.page, (message) => message.type === 'openImage' && message.relativePath === path);
    await panel.page.click('#detail-reveal');
    await waitForPosted(panel.page, (message) => message.type === 'revealInExplorer' && message.relativePath === path);
  });

  it('steps to the next image and back to the gallery', async () => {
    await panel.page.click('#detail-next');
    await panel.page.waitForFunction((expected) => document.getElementById('detail-title')?.textContent === expected, byScore[POSITION + 1]);
    await waitForPosted(panel.page, (message) => message.type === 'requestPixelMaps' && message.relativePath === byScore[POSITION + 1]);
    await panel.page.click('#detail-back');
    await panel.page.waitForSelector('#detail', { state: 'hidden' });
    assert.ok(await panel.page.isVisible(`#gallery-item-${POSITION + 1}.is-selected`));
  });
});
