import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { DidChangeSelection, RequestDuplicateGroups, RevealInExplorer } from '../../src/protocol/webview';
import { DEFAULT_OPTIONS, fixtureDuplicateGroups, generateResultSet } from './fixtures/resultSet';
import { pathsByScoreDescending } from './fixtures/expectations';
import { openPanel, postedMessages, settleFrames, waitForPosted, type Panel } from './harness/session';

const ARTIFACTS = join(__dirname, '..', '..', '.artifacts', 'webview');
const resultSet = generateResultSet(DEFAULT_OPTIONS);
const rank = new Map(pathsByScoreDescending(resultSet).map((path, index) => [path, index]));
/** The groups as the host lists them, computed here by plain sorts: exact first, each in score order. */
const expectedGroups = (['exact', 'near'] as const).flatMap((kind) =>
  fixtureDuplicateGroups(resultSet)
    .filter((group) => group.kind === kind)
    .map((group) => ({ kind, paths: [...group.paths].sort((a, b) => (rank.get(a) ?? 0) - (rank.get(b) ?? 0)) }))
    .sort((a, b) => (rank.get(a.paths[0]) ?? 0) - (rank.get(b.paths[0]) ?? 0)),
);

interface ShownRow {
  readonly index: number;
  readonly title: string;
  readonly paths: string[];
  readonly keeper: string;
}

/** The rows in the DOM, in list order, once their groups have arrived. */
async function shownRows(panel: Panel): Promise<ShownRow[]> {
  await settleFrames(panel.page);
  await panel.page.waitForFunction(() => document.querySelectorAll('#duplicates .duplicate-row:not([hidden])').length > 0 && !document.querySelector('#duplicates .duplicate-row.is-loading:not([hidden])'));
  return panel.page.$$eval('#duplicates .duplicate-row:not([hidden])', (rows) =>
    rows
      .map((row) => ({
        index: Number((row as HTMLElement).dataset.group),
        title: row.querySelector('.duplicate-title')?.textContent ?? '',
        paths: [...row.querySelectorAll<HTMLElement>('.duplicate-image')].map((figure) => figure.dataset.path ?? ''),
        keeper: row.querySelector<HTMLElement>('.duplicate-image.is-keeper')?.dataset.path ?? '',
      }))
      .sort((a, b) => a.index - b.index),
  );
}

async function openDuplicates(panel: Panel): Promise<ShownRow[]> {
  await panel.page.click('vscode-tab-header[data-view="duplicates"]');
  return shownRows(panel);
}

describe('webview: duplicates view', () => {
  let panel: Panel;
  beforeEach(async () => {
    panel = await openPanel();
  });

  it('shows the groups side by side, exact first, each with its kind and size (screenshot)', async () => {
    const rows = await openDuplicates(panel);
    assert.ok(expectedGroups.length > 20, 'the fixture has many groups');
    assert.ok(rows.length > 1 && rows.length < expectedGroups.length, `only the rows in view are in the DOM (${rows.length})`);
    for (const row of rows) {
      const group = expectedGroups[row.index];
      assert.deepEqual(row.paths, group.paths);
      assert.equal(row.title, `${group.kind === 'exact' ? 'Exact duplicates' : 'Near duplicates'} · ${group.paths.length} images`);
      assert.equal(row.keeper, group.paths[0], 'the first image is kept by default');
    }
    const summary = await panel.page.textContent('#duplicates-summary');
    assert.match(summary ?? '', new RegExp(`^${expectedGroups.length} groups · ${expectedGroups.reduce((sum, group) => sum + group.paths.length, 0)} images`));
    await mkdir(ARTIFACTS, { recursive: true });
    await panel.page.screenshot({ path: join(ARTIFACTS, 'dark-duplicates.png') });
    assert.deepEqual(panel.errors, []);
    assert.deepEqual(await panel.page.evaluate(() => window.__fakeHost?.violations ?? []), []);
  });

  it('"Keep one" selects the group\'s other images, keeping the one clicked; "Reveal" reveals it', async () => {
    const [first] = await openDuplicates(panel);
    const keeper = first.paths[1];
    await panel.page.click(`#duplicates .duplicate-image[data-path="${keeper}"]`);
    await panel.page.click('#duplicates .duplicate-row[data-group="0"] vscode-button[data-action="keep"]');
    const selected = (await waitForPosted(panel.page, (message) => message.type === 'didChangeSelection')) as DidChangeSelection;
    assert.deepEqual(selected.selected, first.paths.filter((path) => path !== keeper));
    await settleFrames(panel.page);
    const marked = await panel.page.$$eval('#duplicates .duplicate-row[data-group="0"] .duplicate-image.is-in-selection', (figures) => figures.map((figure) => (figure as HTMLElement).dataset.path));
    assert.deepEqual(marked, selected.selected);
    assert.equal(await panel.page.textContent('#selection-summary'), `${selected.selected.length} selected`);
    await panel.page.click('#duplicates .duplicate-row[data-group="0"] vscode-button[data-action="reveal"]');
    const revealed = (await waitForPosted(panel.page, (message) => message.type === 'revealInExplorer')) as RevealInExplorer;
    assert.equal(revealed.relativePath, keeper);
    await settleFrames(panel.page);
    await panel.page.screenshot({ path: join(ARTIFACTS, 'dark-duplicates-keep-one.png') });
  });

  it('"Keep one of each" selects every image but the first of every group, fetching all pages', async () => {
    await openDuplicates(panel);
    await panel.page.click('#duplicates-keep-all');
    const selected = (await waitForPosted(panel.page, (message) => message.type === 'didChangeSelection')) as DidChangeSelection;
    assert.deepEqual([...selected.selected].sort(), expectedGroups.flatMap((group) => group.paths.slice(1)).sort());
  });

  it('stays fluid with hundreds of groups: rows are recycled and groups asked for by page', async () => {
    panel = await openPanel({ n: 20_000 });
    await openDuplicates(panel);
    const total = Number((await panel.page.textContent('#duplicates-summary'))?.split(' ')[0].replace(/,/g, ''));
    assert.ok(total > 300, `${total} groups`);
    // Jump to the end, as a drag of the scroll bar does.
    await panel.page.$eval('#duplicates', (viewport) => {
      viewport.scrollTop = viewport.scrollHeight;
    });
    const rows = await shownRows(panel);
    assert.equal(rows[rows.length - 1].index, total - 1);
    assert.ok(rows.length < 20, `${rows.length} rows in the DOM`);
    const requests = (await postedMessages(panel.page)).filter((message): message is RequestDuplicateGroups => message.type === 'requestDuplicateGroups');
    assert.ok(requests.length <= 4, `${requests.length} page requests`);
    assert.ok(requests.every((request) => request.limit <= 50));
  });
});
