import assert from 'node:assert/strict';
import type { DidChangeSelection } from '../../src/protocol/webview';
import { DEFAULT_OPTIONS, generateResultSet } from './fixtures/resultSet';
import { pathsByScoreDescending } from './fixtures/expectations';
import { renderedCells, waitForLoadedCells } from './harness/panelQueries';
import { openPanel, postedMessages, settleFrames, waitForPosted, type Panel } from './harness/session';

const byScore = pathsByScoreDescending(generateResultSet(DEFAULT_OPTIONS));

async function selected(panel: Panel): Promise<number> {
  await settleFrames(panel.page);
  const cells = await renderedCells(panel.page);
  const chosen = cells.filter((cell) => cell.isSelected);
  assert.equal(chosen.length, 1, 'exactly one selected cell');
  return chosen[0].index;
}

describe('webview: keyboard in the gallery', () => {
  let panel: Panel;
  let columns: number;
  beforeEach(async () => {
    panel = await openPanel();
    await waitForLoadedCells(panel.page);
    columns = await panel.page.$$eval('#gallery .gallery-cell:not([hidden])', (cells) => new Set(cells.map((cell) => (cell as HTMLElement).style.transform.split(',')[0])).size);
    await panel.page.focus('#gallery');
  });

  it('moves the selection with the arrow keys (by one, and by a row)', async () => {
    assert.equal(await selected(panel), 0);
    await panel.page.keyboard.press('ArrowRight');
    await panel.page.keyboard.press('ArrowRight');
    assert.equal(await selected(panel), 2);
    await panel.page.keyboard.press('ArrowDown');
    assert.equal(await selected(panel), 2 + columns);
    await panel.page.keyboard.press('ArrowLeft');
    await panel.page.keyboard.press('ArrowUp');
    assert.equal(await selected(panel), 1);
    await panel.page.keyboard.press('ArrowUp');
    assert.equal(await selected(panel), 0, 'clamped at the first item');
    assert.equal(await panel.page.getAttribute('#gallery', 'aria-activedescendant'), 'gallery-item-0');
  });

  it('Space adds the current image to the selection and takes it out again, and tells the host', async () => {
    await panel.page.keyboard.press('ArrowRight');
    await panel.page.keyboard.press(' ');
    const added = (await waitForPosted(panel.page, (message) => message.type === 'didChangeSelection')) as DidChangeSelection;
    assert.deepEqual(added, { type: 'didChangeSelection', selected: [byScore[1]] });
    await settleFrames(panel.page);
    assert.deepEqual((await renderedCells(panel.page)).filter((cell) => cell.isInSelection).map((cell) => cell.relativePath), [byScore[1]]);
    await panel.page.keyboard.press('ArrowRight');
    await panel.page.keyboard.press(' ');
    await settleFrames(panel.page);
    assert.deepEqual((await renderedCells(panel.page)).filter((cell) => cell.isInSelection).map((cell) => cell.relativePath), [byScore[1], byScore[2]]);
    await panel.page.keyboard.press(' ');
    await settleFrames(panel.page);
    const changes = (await postedMessages(panel.page)).filter((message): message is DidChangeSelection => message.type === 'didChangeSelection');
    assert.deepEqual(changes.at(-1), { type: 'didChangeSelection', selected: [byScore[1]] });
    assert.equal(await panel.page.textContent('#selection-summary'), '1 selected');
  });

  it('Enter opens the detail view, Enter there asks the host to open the image, Escape returns', async () => {
    await panel.page.keyboard.press('ArrowDown');
    await panel.page.keyboard.press('Enter');
    await panel.page.waitForSelector('#detail:not([hidden])');
    assert.equal(await panel.page.textContent('#detail-title'), byScore[columns]);
    await waitForPosted(panel.page, (message) => message.type === 'requestPixelMaps' && message.relativePath === byScore[columns]);
    await panel.page.keyboard.press('Enter');
    await waitForPosted(panel.page, (message) => message.type === 'openImage' && message.relativePath === byScore[columns]);
    await panel.page.keyboard.press('ArrowRight');
    await panel.page.waitForFunction((expected) => document.getElementById('detail-title')?.textContent === expected, byScore[columns + 1]);
    await panel.page.keyboard.press('Escape');
    await panel.page.waitForSelector('#detail', { state: 'hidden' });
    assert.equal(await selected(panel), columns + 1, 'the gallery selects the image the detail view showed last');
    // The keyboard goes on from there without a click.
    assert.equal(await panel.page.evaluate(() => document.activeElement?.id), 'gallery');
    await panel.page.keyboard.press('ArrowRight');
    assert.equal(await selected(panel), columns + 2);
    await panel.page.keyboard.press('Home');
    assert.equal(await selected(panel), 0);
  });

  it('the Back button returns the focus to the gallery too', async () => {
    await panel.page.keyboard.press('Enter');
    await panel.page.waitForSelector('#detail:not([hidden])');
    await panel.page.click('#detail-back');
    await panel.page.waitForSelector('#detail', { state: 'hidden' });
    await settleFrames(panel.page);
    assert.equal(await panel.page.evaluate(() => document.activeElement?.id), 'gallery');
    await panel.page.keyboard.press('ArrowRight');
    assert.equal(await selected(panel), 1);
  });

  it('Ctrl+Enter opens the image and Shift+Alt+R reveals it in the Explorer', async () => {
    await panel.page.keyboard.press('ArrowRight');
    await panel.page.keyboard.press('Control+Enter');
    await waitForPosted(panel.page, (message) => message.type === 'openImage' && message.relativePath === byScore[1]);
    await panel.page.keyboard.press('Shift+Alt+R');
    await waitForPosted(panel.page, (message) => message.type === 'revealInExplorer' && message.relativePath === byScore[1]);
    assert.equal(await panel.page.isHidden('#detail'), true, 'Ctrl+Enter does not open the detail view');
  });
});
