import assert from 'node:assert/strict';
import { DEFAULT_OPTIONS, generateResultSet, pixelMapsFor } from './fixtures/resultSet';
import { pathsByScoreDescending, percentileOf } from './fixtures/expectations';
import { canvasContent } from './harness/canvasPixels';
import { moveSlider, waitForLoadedCells } from './harness/panelQueries';
import { openPanel, waitForPosted, type Panel } from './harness/session';

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

  it('labels each map’s colour scale and the data’s min and max', async () => {
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
