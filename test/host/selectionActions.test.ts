// The panel's actions on the selection, through the real extension and engine worker on real files:
// move to .outliers/ and to a picked folder (never replacing a file), delete to the trash or, where
// there is none, for good after asking; copy paths; label in the labels file; and Undo of each. After
// every step: the files on disk, the results the panel is sent, and the results cache on disk agree.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { ResultSet } from '../../src/extension/results/resultSet';
import type { ScoredImage } from '../../src/protocol/scanResults';
import type { ActionState, ScoresSnapshot, SelectionActionKind } from '../../src/protocol/webview';
import { LABEL_CODE } from '../../src/protocol/webview';
import { scanWithDetector } from '../../src/extension/workflows/scanWorkflow';
import { fakeClipboard, fakeTrash } from './fakeVscode/fakeFileSystem';
import { FakeUi } from './fakeVscode/fakeUi';
import { commands, fake, Uri } from './fakeVscode/fakeVscode';
import type { FakeWebviewPanel } from './fakeVscode/fakeWebview';
import type { HostFixture } from './support/hostFixture';
import { activateExtension, tempFolder, waitFor } from './support/hostFixture';
import { writeFashionAndMnistFolders } from './support/imageFolder';

const PER_CLASS = 12;
const TINY_TRAINING = { preset: 'fast', epochs: 1, imageSize: '8x8', channels: '1' };

describe('Actions on the selected images, and their undo, on real files', () => {
  let fixture: HostFixture;
  let root: string;
  let resultSet: ResultSet;
  let panel: FakeWebviewPanel;
  /** Every image's scores as the first scan gave them, by its original path. */
  let original: Map<string, ScoredImage>;

  before(async function trainAndScan() {
    // Training starts the engine process; on a machine shared with other jobs that takes minutes.
    this.timeout(600_000);
    fixture = activateExtension(TINY_TRAINING);
    root = path.join(fixture.workspace, 'mixed');
    await writeFashionAndMnistFolders(root, PER_CLASS);
    fake.ui.quickPicks.push(FakeUi.pickLabel('Train a new detector on this folder'));
    resultSet = (await commands.executeCommand('outlierLens.scanFolder', Uri.file(root))) as ResultSet;
    panel = fake.panels[0];
    panel.webview.send({ type: 'ready' });
    await waitFor(() => latestSnapshot()?.complete === true, 10_000, 'the final snapshot');
    original = new Map(resultSet.scoredByScore().map((image) => [image.relativePath, image]));
    assert.strictEqual(original.size, 2 * PER_CLASS);
  });

  after(() => fixture.close());

  const latestSnapshot = (): ScoresSnapshot | undefined => panel.webview.ofType<ScoresSnapshot>('scoresSnapshot').at(-1);
  const latestState = (): ActionState | undefined => panel.webview.ofType<ActionState>('actionState').at(-1);
  const cacheFile = (): string => fixture.api.services.cache.fileFor(root, resultSet.detector.folder);
  // The cache is a JSON Lines store: a header line, then a record per scored image (a later record of a path replaces an earlier one).
  const cachedPaths = (): string[] => [...new Set(fs.readFileSync(cacheFile(), 'utf8').split('\n').slice(1).filter(Boolean).map((line) => (JSON.parse(line) as ScoredImage).relativePath))].sort();
  const resultPaths = (): string[] => resultSet.scoredByScore().map((image) => image.relativePath).sort();
  const bytesOf = (relativePath: string): Buffer => fs.readFileSync(path.join(root, relativePath));

  /** Plays the panel: posts an action and resolves with its result once the host has one. */
  async function act(action: SelectionActionKind | 'undo', paths: readonly string[] = []): Promise<NonNullable<ActionState['result']>> {
    const before = latestState()?.result?.sequence ?? 0;
    panel.webview.send(action === 'undo' ? { type: 'undoLastAction' } : { type: 'actOnSelection', action, paths });
    await waitFor(() => (latestState()?.result?.sequence ?? 0) > before && latestState()?.running === null, 20_000, `the result of ${action}`);
    return latestState()?.result as NonNullable<ActionState['result']>;
  }

  /** The snapshot the panel holds now agrees with the results: same scores, same count. */
  async function panelAgrees(): Promise<void> {
    await waitFor(() => latestSnapshot()?.revision === resultSet.revision, 5000, 'a snapshot of the latest revision');
    assert.deepStrictEqual([...(latestSnapshot() as ScoresSnapshot).scores], [...resultSet.scores()]);
  }

  it('moves the selected images into .outliers/ keeping their sub-folders; they leave the results and the cache; a taken name gets " (1)"', async () => {
    const selected = ['mnist/00000.png', 'mnist/00001.png', 'fashion/00003.png'];
    const before = selected.map(bytesOf);
    // A file already there: the move must keep it and give the image another name.
    const taken = path.join(root, '.outliers', 'mnist', '00001.png');
    fs.mkdirSync(path.dirname(taken), { recursive: true });
    fs.writeFileSync(taken, 'the file that was there first');
    const result = await act('moveToOutliers', selected);

    assert.strictEqual(result.outcome, 'done', result.message);
    assert.match(result.message, /^Moved 3 images to \.outliers\/ \(they leave the results\)\. 1 renamed to keep the file already there: mnist\/00001\.png → mnist\/00001 \(1\)\.png\.$/);
    assert.deepStrictEqual(result.selection, [], 'nothing of the selection is a result any more');
    assert.deepStrictEqual(selected.map((relativePath) => fs.existsSync(path.join(root, relativePath))), [false, false, false]);
    assert.deepStrictEqual(fs.readFileSync(path.join(root, '.outliers/mnist/00000.png')), before[0]);
    assert.deepStrictEqual(fs.readFileSync(path.join(root, '.outliers/mnist/00001 (1).png')), before[1]);
    assert.deepStrictEqual(fs.readFileSync(path.join(root, '.outliers/fashion/00003.png')), before[2]);
    assert.strictEqual(fs.readFileSync(taken, 'utf8'), 'the file that was there first', 'never overwritten');
    assert.strictEqual(resultSet.scoredCount, 2 * PER_CLASS - 3);
    assert.ok(selected.every((relativePath) => !resultSet.has(relativePath)));
    await panelAgrees();
    assert.deepStrictEqual(cachedPaths(), resultPaths(), 'the cache on disk says the same');
    assert.match(latestState()?.undo ?? '', /^move of 3 images to \.outliers\/$/);
    assert.ok(fake.outputLines.some((line) => line.includes(`move: ${path.join(root, 'mnist/00001.png')} → ${path.join(root, '.outliers/mnist/00001 (1).png')}`)), 'each move is logged');
  });

  it('Undo moves them back with their scores and removes the folders it made; the file that was there stays', async () => {
    const result = await act('undo');
    assert.strictEqual(result.outcome, 'done', result.message);
    assert.strictEqual(result.message, 'Moved 3 images back from .outliers/.');
    assert.ok(['mnist/00000.png', 'mnist/00001.png', 'fashion/00003.png'].every((relativePath) => fs.existsSync(path.join(root, relativePath))));
    assert.ok(!fs.existsSync(path.join(root, '.outliers', 'fashion')), 'the emptied folder the move made is gone');
    assert.strictEqual(fs.readFileSync(path.join(root, '.outliers/mnist/00001.png'), 'utf8'), 'the file that was there first');
    assert.deepStrictEqual(resultSet.scoredByScore().map((image) => [image.relativePath, image.instanceScore]).sort(), [...original.values()].map((image) => [image.relativePath, image.instanceScore]).sort());
    await panelAgrees();
    assert.deepStrictEqual(cachedPaths(), [...original.keys()].sort());
    assert.strictEqual(latestState()?.undo, null);
    fs.rmSync(path.join(root, '.outliers'), { recursive: true });
  });

  it('moves images to a picked folder inside the scan: they keep their scores under the new paths, and a rescan reuses every score from the cache', async () => {
    const keep = path.join(root, 'kept');
    fake.ui.openDialogs.push(keep);
    const result = await act('moveTo', ['mnist/00002.png', 'mnist/00003.png']);
    assert.match(result.message, /^Moved 2 images to kept\/ \(they keep their scores under their new paths\)\.$/);
    assert.deepStrictEqual(result.selection, ['kept/mnist/00002.png', 'kept/mnist/00003.png']);
    assert.strictEqual(resultSet.scoredImage('kept/mnist/00002.png')?.instanceScore, original.get('mnist/00002.png')?.instanceScore);
    assert.strictEqual(resultSet.scoredCount, 2 * PER_CLASS);
    await panelAgrees();
    assert.deepStrictEqual(cachedPaths(), resultPaths());

    const rescanned = (await scanWithDetector(fixture.api.services, root, resultSet.detector)) as ResultSet;
    assert.strictEqual(rescanned.reusedFromCache, 2 * PER_CLASS, 'nothing rescored: the cache followed the move');
    assert.strictEqual(rescanned.scoredImage('kept/mnist/00003.png')?.instanceScore, original.get('mnist/00003.png')?.instanceScore);
    // A new scan is shown: the history of the old one is gone.
    await waitFor(() => latestState()?.undo === null, 5000, 'the undo history dropped');
    resultSet = rescanned;
    await waitFor(() => latestSnapshot()?.scanId === rescanned.scanId && latestSnapshot()?.complete === true, 10_000, 'the rescan shown');
  });

  it('deletes to the trash after asking, keeps a copy for Undo, and Undo restores the same bytes and scores', async () => {
    const trash = tempFolder('trash');
    fakeTrash.folder = trash;
    const victim = 'fashion/00005.png';
    const bytes = bytesOf(victim);
    fake.ui.messageAnswer = (message) => (message.items.includes('Move to Trash') ? 'Move to Trash' : undefined);
    const result = await act('trash', [victim]);
    assert.strictEqual(result.message, 'Deleted 1 image to the trash; they leave the results.');
    assert.match(fake.ui.messagesAt('warning').at(-1) ?? '', /^Delete 1 image from mixed\? They go to the trash; Undo/);
    assert.ok(!fs.existsSync(path.join(root, victim)));
    assert.deepStrictEqual(fs.readFileSync(fakeTrash.trashed.at(-1)?.inTrash as string), bytes, 'the trash holds it');
    assert.ok(!resultSet.has(victim));
    await panelAgrees();
    assert.deepStrictEqual(cachedPaths(), resultPaths());

    const undone = await act('undo');
    assert.strictEqual(undone.message, 'Restored 1 image (the trash still holds a copy).');
    assert.deepStrictEqual(bytesOf(victim), bytes);
    assert.strictEqual(resultSet.scoredImage(victim)?.instanceScore, original.get(victim)?.instanceScore);
    await panelAgrees();
    assert.deepStrictEqual(cachedPaths(), resultPaths());
    assert.deepStrictEqual(fs.readdirSync(path.join(fixture.storage, 'workspace', 'undo')), [], 'the copy kept for Undo is gone once used');
  });

  it('where the file system has no trash, asks before deleting for good (declining deletes nothing), and Undo still restores', async () => {
    fakeTrash.folder = null;
    const victims = ['fashion/00006.png', 'mnist/00007.png'];
    const bytes = victims.map(bytesOf);
    fake.ui.messageAnswer = (message) => (message.items.includes('Move to Trash') ? 'Move to Trash' : undefined);
    const declined = await act('trash', victims);
    assert.strictEqual(declined.outcome, 'cancelled');
    assert.match(fake.ui.messagesAt('warning').at(-1) ?? '', /^This file system has no trash \(.*does not support it.*\)\. Delete 2 images for good\?/);
    assert.ok(victims.every((relativePath) => fs.existsSync(path.join(root, relativePath)) && resultSet.has(relativePath)));

    fake.ui.messageAnswer = (message) => message.items.find((item) => item === 'Move to Trash' || item === 'Delete Permanently');
    const result = await act('trash', victims);
    assert.strictEqual(result.message, 'Deleted 2 images for good (no trash here); they leave the results.');
    assert.ok(victims.every((relativePath) => !fs.existsSync(path.join(root, relativePath))));
    const undone = await act('undo');
    assert.strictEqual(undone.message, 'Restored 2 images.');
    assert.deepStrictEqual(victims.map(bytesOf), bytes);
    assert.ok(victims.every((relativePath) => resultSet.has(relativePath)));
    fake.ui.messageAnswer = () => undefined;
  });

  it('copies the full paths of the selected images, one a line', async () => {
    const result = await act('copyPaths', ['fashion/00000.png', 'mnist/00000.png']);
    assert.strictEqual(result.message, 'Copied the paths of 2 images, one a line.');
    assert.strictEqual(fakeClipboard.text, `${path.join(root, 'fashion/00000.png')}\n${path.join(root, 'mnist/00000.png')}`);
    assert.strictEqual(latestState()?.undo, null, 'nothing to undo on disk');
  });

  it('labels images in the labels file (the ROC counts them at once), relabels, and Undo puts the file back as it was', async () => {
    const labelsFile = path.join(root, 'outlier-lens.labels.csv');
    fs.writeFileSync(labelsFile, '# written by hand\nfashion,inlier\n');
    fixture.api.groundTruth.refresh();
    await fixture.api.groundTruth.settled();
    const digits = ['mnist/00000.png', 'mnist/00001.png'];
    const result = await act('markOutliers', digits);
    assert.match(result.message, /^Labelled 2 images as outliers in outlier-lens\.labels\.csv/);
    assert.strictEqual(fs.readFileSync(labelsFile, 'utf8'), '# written by hand\nfashion,inlier\nmnist/00000.png,outlier\nmnist/00001.png,outlier\n');
    await waitFor(() => resultSet.labelOf('mnist/00001.png') === 'outlier', 5000, 'the new labels applied');
    const snapshot = latestSnapshot() as ScoresSnapshot;
    await waitFor(() => (latestSnapshot()?.labels ?? []).filter((code) => code === LABEL_CODE.outlier).length === 2, 5000, `a snapshot with 2 outliers (${snapshot.revision})`);

    // Labelling one of them again replaces its line instead of adding a contradicting one.
    await act('markInliers', ['mnist/00001.png']);
    assert.strictEqual(fs.readFileSync(labelsFile, 'utf8'), '# written by hand\nfashion,inlier\nmnist/00000.png,outlier\nmnist/00001.png,inlier\n');
    await act('undo');
    await act('undo');
    assert.strictEqual(fs.readFileSync(labelsFile, 'utf8'), '# written by hand\nfashion,inlier\n');
    await waitFor(() => resultSet.labelOf('mnist/00001.png') === undefined, 5000, 'the labels gone again');
  });

  it('refuses paths that are not results of the scan, and drops the history and held copies when the panel closes', async () => {
    const refused = await act('moveToOutliers', ['../outside.png', 'nope.png']);
    assert.strictEqual(refused.outcome, 'failed');
    assert.match(refused.message, /none of the selected paths is one of this scan's results/);

    fakeTrash.folder = tempFolder('trash');
    fake.ui.messageAnswer = (message) => (message.items.includes('Move to Trash') ? 'Move to Trash' : undefined);
    await act('trash', ['fashion/00008.png']);
    const held = path.join(fixture.storage, 'workspace', 'undo');
    assert.strictEqual(fs.readdirSync(held).length, 1, 'a copy is held for Undo');
    panel.dispose();
    await waitFor(() => fs.readdirSync(held).length === 0, 5000, 'the held copies dropped');
    assert.strictEqual(fixture.api.services.panel.isOpen, false);
  });
});
