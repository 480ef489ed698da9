// Ground truth through the real extension and engine worker: folders marked in the Explorer and the
// labels file label every result, the open panel and side view relabel without a rescan, marks persist.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { validateOutlierExport } from '../../src/engine/export/outlierExport';
import type { FolderMark } from '../../src/extension/groundTruth/groundTruthRules';
import type { ResultSet } from '../../src/extension/results/resultSet';
import type { SideViewState } from '../../src/protocol/sideView';
import type { PageReply, ScoresSnapshot } from '../../src/protocol/webview';
import { LABEL_CODE } from '../../src/protocol/webview';
import { FakeUi } from './fakeVscode/fakeUi';
import { commands, fake, Uri } from './fakeVscode/fakeVscode';
import type { FakeWebviewPanel, FakeWebviewView } from './fakeVscode/fakeWebview';
import type { HostFixture } from './support/hostFixture';
import { activateExtension, waitFor } from './support/hostFixture';
import { writeFashionAndMnistFolders } from './support/imageFolder';

const PER_CLASS = 20;
const TINY_TRAINING = { preset: 'fast', epochs: 1, imageSize: '8x8', channels: '1' };
const { unknown, inlier, outlier } = LABEL_CODE;

describe('Ground truth from folders marked in the Explorer and from the labels file', () => {
  let fixture: HostFixture;
  let root: string;
  let fashion: string;
  let mnist: string;
  let resultSet: ResultSet;
  let panel: FakeWebviewPanel;
  let view: FakeWebviewView;

  before(async () => {
    fixture = activateExtension(TINY_TRAINING);
    root = path.join(fixture.workspace, 'mixed');
    ({ fashion, mnist } = await writeFashionAndMnistFolders(root, PER_CLASS));
    fake.ui.quickPicks.push(FakeUi.pickLabel('Train a new detector on this folder'));
    resultSet = (await commands.executeCommand('outlierLens.scanFolder', Uri.file(root))) as ResultSet;
    panel = fake.panels[0];
    panel.webview.send({ type: 'ready' });
    view = fake.resolveView('outlierLens.sideView');
    view.webview.send({ type: 'ready' });
    await waitFor(() => latestSnapshot()?.complete === true, 10_000, 'the final snapshot');
  });

  after(() => fixture.close());

  const latestSnapshot = (): ScoresSnapshot | undefined => panel.webview.ofType<ScoresSnapshot>('scoresSnapshot').at(-1);
  const latestState = (): SideViewState | undefined => view.webview.ofType<SideViewState>('state').at(-1);
  const scanCount = (): number => fake.progress.filter((entry) => entry.title.includes('Scanning')).length;
  /** The label each scored image should have, in the snapshot's (score) order. */
  const expectedLabels = (of: ResultSet, labelOf: (relativePath: string) => number): number[] => of.scoredByScore().map((item) => labelOf(item.relativePath));
  const snapshotLabels = (): number[] | undefined => {
    const labels = latestSnapshot()?.labels;
    return labels ? [...labels] : undefined;
  };
  const contextFolders = (key: string): string[] => Object.keys((fake.context.get(key) ?? {}) as Record<string, true>).sort();

  it('sends no labels before anything is marked, and offers marking on the scanned folder and its sub-folders', async () => {
    assert.strictEqual(resultSet.scoredCount, 2 * PER_CLASS);
    const snapshot = latestSnapshot() as ScoresSnapshot;
    assert.strictEqual(snapshot.labels, undefined);
    assert.strictEqual(latestState()?.groundTruth, null);
    await waitFor(() => contextFolders('outlierLens.scannedFolders').length === 3, 5000, 'the menu context keys');
    assert.deepStrictEqual(contextFolders('outlierLens.scannedFolders'), [root, fashion, mnist].sort());
    assert.deepStrictEqual(contextFolders('outlierLens.inlierFolders'), []);
  });

  it('labels every result from the marked folders, in score order, and relabels the open panel without a rescan', async () => {
    const scans = scanCount();
    const marksAfterInliers = (await commands.executeCommand('outlierLens.markFolderInliers', Uri.file(fashion))) as FolderMark[];
    assert.deepStrictEqual(marksAfterInliers, [{ folder: fashion, label: 'inlier' }]);
    // From the Explorer with a multi-selection: (clicked, selected[]).
    await commands.executeCommand('outlierLens.markFolderOutliers', Uri.file(mnist), [Uri.file(mnist)]);
    const expected = expectedLabels(resultSet, (relativePath) => (relativePath.startsWith('fashion/') ? inlier : outlier));
    await waitFor(() => JSON.stringify(snapshotLabels()) === JSON.stringify(expected), 5000, 'a snapshot with both classes labelled');
    const snapshot = latestSnapshot() as ScoresSnapshot;
    assert.ok(snapshot.labels instanceof Uint8Array);
    assert.deepStrictEqual([...snapshot.scores], [...resultSet.scores()], 'labels are aligned with the scores');
    assert.strictEqual(snapshot.scanId, resultSet.scanId, 'the same scan, relabelled');
    assert.strictEqual(snapshot.complete, true);
    assert.strictEqual(scanCount(), scans, 'no rescan');
    assert.deepStrictEqual(fake.ui.messagesAt('info').filter((message) => message.includes('marked')), [], 'no message: the open panel shows the change');
  });

  it('puts the ground truth on gallery items and on the detail view\'s item', async () => {
    panel.webview.send({ type: 'requestPage', requestId: 101, offset: 0, limit: 100, query: { filter: 'all', sort: 'name', search: '', threshold: 0 } });
    await waitFor(() => panel.webview.posted.some((message) => (message as { inReplyTo?: number }).inReplyTo === 101));
    const page = panel.webview.posted.find((message) => (message as { inReplyTo?: number }).inReplyTo === 101) as PageReply;
    assert.strictEqual(page.items.length, 2 * PER_CLASS);
    for (const item of page.items) {
      assert.ok(item.kind === 'scored');
      assert.strictEqual(item.label, item.relativePath.startsWith('fashion/') ? 'inlier' : 'outlier', item.relativePath);
    }
  });

  it('shows both counts and the AUROC in the side view, the pairwise AUROC of the scores', async () => {
    await waitFor(() => latestState()?.groundTruth?.outliers === PER_CLASS, 5000, 'the side view state');
    const truth = latestState()?.groundTruth;
    assert.ok(truth && truth.auroc !== null);
    assert.strictEqual(truth.inliers, PER_CLASS);
    const scoresOf = (prefix: string): number[] => resultSet.scoredByScore().filter((item) => item.relativePath.startsWith(prefix)).map((item) => Math.fround(item.instanceScore));
    let wins = 0;
    for (const outlierScore of scoresOf('mnist/')) for (const inlierScore of scoresOf('fashion/')) wins += outlierScore > inlierScore ? 1 : outlierScore === inlierScore ? 0.5 : 0;
    assert.ok(Math.abs(truth.auroc - wins / (PER_CLASS * PER_CLASS)) < 1e-9, `${truth.auroc}`);
  });

  it('sets a false-positive-rate threshold from the side view on the known inliers, for the panel and the export alike', async () => {
    view.webview.send({ type: 'setThreshold', method: 'fpr', text: '10' });
    await waitFor(() => fixture.api.services.model.threshold.method === 'fpr', 5000, 'the FPR threshold');
    const threshold = fixture.api.services.model.threshold;
    assert.strictEqual(threshold.fpr, 0.1);
    const inliers = resultSet.scoredByScore().filter((item) => item.relativePath.startsWith('fashion/')).map((item) => Math.fround(item.instanceScore)).sort((a, b) => a - b);
    const position = 0.9 * (inliers.length - 1);
    const below = Math.floor(position);
    const expected = inliers[below] + (inliers[Math.min(below + 1, inliers.length - 1)] - inliers[below]) * (position - below);
    assert.ok(Math.abs(threshold.value - expected) < 1e-3, `${threshold.value} vs numpy's ${expected}`);
    await waitFor(() => latestState()?.threshold?.method === 'fpr', 5000, 'the side view state');
    const readings = latestState()?.thresholdReadings;
    assert.ok(readings && readings.fprPercent !== null);
    assert.strictEqual(readings.fprPercent, (100 * inliers.filter((score) => score > threshold.value).length) / inliers.length);
    await waitFor(() => panel.webview.posted.some((message) => (message as { type: string; threshold?: { method: string } }).type === 'setThreshold' && (message as { threshold: { method: string } }).threshold.method === 'fpr'), 5000, 'the panel told');
    view.webview.send({ type: 'resetThreshold' });
    await waitFor(() => fixture.api.services.model.threshold.method !== 'fpr', 5000, 'the reset');
  });

  it('exports the flagged images only, to .outlier-lens/exports/ in the workspace, named for what it holds, with a label column', async () => {
    const threshold = fixture.api.services.model.threshold.value;
    const flagged = resultSet.scoredByScore().filter((item) => Math.fround(item.instanceScore) > threshold);
    assert.ok(flagged.length > 0 && flagged.length < 2 * PER_CLASS, `${flagged.length} flagged`);
    fake.ui.quickPicks.push(FakeUi.pickLabel('Flagged only'));
    const target = path.join(fixture.workspace, 'chosen', 'flagged.csv');
    fake.ui.saveDialogs.push(target);
    await commands.executeCommand('outlierLens.exportCsv');
    const pick = fake.ui.shownQuickPicks.at(-1);
    assert.ok(pick?.items.some((item) => item.label === 'Flagged only' && item.description === `${flagged.length} images above the threshold`));
    const suggested = fake.ui.shownSaveDialogs.at(-1)?.defaultPath ?? '';
    assert.strictEqual(path.dirname(suggested), path.join(fixture.workspace, '.outlier-lens', 'exports'));
    assert.match(path.basename(suggested), /^mixed-flagged-\d{8}-\d{6}\.csv$/);
    assert.ok(!suggested.startsWith(root + path.sep), 'never inside the scanned folder');
    assert.ok(fs.statSync(path.dirname(suggested)).isDirectory(), 'the dialog opens in an existing folder');
    const lines = fs.readFileSync(target, 'utf8').trim().split(/\r?\n/);
    const columns = lines[0].split(',');
    assert.deepEqual(columns.slice(-2), ['label', 'error'], lines[0]);
    const rows = lines.slice(1).filter((line) => !line.startsWith(','));
    assert.strictEqual(rows.length, flagged.length);
    for (const row of rows) {
      const cells = row.split(',');
      const [relativePath, isOutlier, label] = ['path', 'is_outlier', 'label'].map((name) => cells[columns.indexOf(name)]);
      assert.strictEqual(isOutlier, '1');
      assert.strictEqual(label, relativePath.startsWith('fashion/') ? 'inlier' : 'outlier', relativePath);
    }
    const json = path.join(fixture.workspace, 'chosen', 'flagged.json');
    fake.ui.quickPicks.push(FakeUi.pickLabel('Flagged only'));
    fake.ui.saveDialogs.push(json);
    await commands.executeCommand('outlierLens.exportJson');
    const exported = JSON.parse(fs.readFileSync(json, 'utf8')) as { rows: string; items: Array<{ label?: string }>; counts: { images: number; outliers: number } };
    assert.deepStrictEqual(validateOutlierExport(exported), []);
    assert.strictEqual(exported.rows, 'flagged');
    assert.strictEqual(exported.items.length, exported.counts.outliers);
    assert.strictEqual(exported.counts.images, 2 * PER_CLASS, 'the counts still count every image');
    assert.ok(exported.items.every((item) => item.label === 'inlier' || item.label === 'outlier'));
  });

  it('sets the menu keys of marked folders, so Clear Label Mark shows on them and the same mark is not offered twice', () => {
    assert.deepStrictEqual(contextFolders('outlierLens.inlierFolders'), [fashion]);
    assert.deepStrictEqual(contextFolders('outlierLens.outlierFolders'), [mnist]);
  });

  it('offers to train on the folder marked as inliers when a scan asks for a new detector, and says why', async () => {
    let shown: readonly { label: string; detail?: string }[] = [];
    fake.ui.quickPicks.push((items) => {
      shown = items;
      return undefined; // The user closes the pick: nothing is trained.
    });
    assert.strictEqual(await commands.executeCommand('outlierLens.scanFolder', Uri.file(root)), undefined);
    const trainHere = shown.find((item) => item.label.includes('Train a new detector on this folder'));
    assert.strictEqual(trainHere?.detail, 'Outliers among the training images weaken the detector: train on images you trust.');
    const labels = shown.map((item) => item.label);
    assert.ok(labels.includes('$(pass) Train on fashion (marked as inliers)'), labels.join(' | '));
    assert.ok(!labels.some((label) => label.includes('Train on mnist')), 'a folder marked as outliers is not offered');
  });

  it('retrains without the flagged images and the folder marked as outliers, beside the old detector, and compares the AUROC', async () => {
    const old = resultSet;
    const threshold = fixture.api.services.model.threshold.value;
    const kept = old.scoredByScore().filter((item) => !(Math.fround(item.instanceScore) > threshold) && !item.relativePath.startsWith('mnist/'));
    assert.ok(kept.length > 0 && kept.length < PER_CLASS + 1, `${kept.length} images to train on`);
    // Read now: once the retrained scan is shown, the old scan's results are closed (they live on disk).
    const flagged = old.scoredByScore().filter((item) => Math.fround(item.instanceScore) > threshold).length;
    // The settings changed since: the retraining keeps the old detector's shape and fit all the same.
    fake.setSetting('outlierLens.imageSize', '10x10');
    fake.setSetting('outlierLens.epochs', 2);
    panel.webview.send({ type: 'retrainWithoutFlagged', scanId: old.scanId });
    await waitFor(() => fixture.api.services.model.resultSet !== old && fixture.api.services.model.resultSet?.complete === true, 60_000, 'the retrained detector’s scan');
    fake.setSetting('outlierLens.imageSize', TINY_TRAINING.imageSize);
    fake.setSetting('outlierLens.epochs', TINY_TRAINING.epochs);
    const retrained = fixture.api.services.model.resultSet as ResultSet;
    assert.deepStrictEqual(retrained.detector.manifest.imageShape, old.detector.manifest.imageShape);
    assert.deepStrictEqual(retrained.detector.manifest.fit, old.detector.manifest.fit);
    assert.notStrictEqual(retrained.detector.folder, old.detector.folder);
    assert.ok(fs.existsSync(old.detector.folder), 'the old detector stays');
    assert.strictEqual(retrained.detector.manifest.data?.imageCount, kept.length, 'trained on the images neither flagged nor marked as outliers');
    assert.strictEqual(retrained.scoredCount, 2 * PER_CLASS, 'and scanned the whole folder');
    await waitFor(() => fake.ui.messagesAt('info').some((message) => message.includes('retrained without')), 5000, 'the comparison');
    const message = fake.ui.messagesAt('info').find((entry) => entry.includes('retrained without')) ?? '';
    assert.match(message, new RegExp(`retrained without ${flagged} flagged images as .+ \\(${kept.length} training images\\): AUROC on the labelled images 0\\.\\d{3} before, [01]\\.\\d{3} after`));
    resultSet = retrained; // The tests below label the results shown now.
    await waitFor(() => latestSnapshot()?.scanId === retrained.scanId && latestSnapshot()?.complete === true, 10_000, 'the panel on the new scan');
    // The panel gets the old ranking over the new scan's images, to show both side by side.
    const previous = latestSnapshot()?.previousRanking;
    assert.ok(previous, 'the snapshot carries the replaced ranking');
    assert.strictEqual(previous.detectorName, old.detector.manifest.name);
    assert.strictEqual(previous.threshold, threshold);
    assert.deepStrictEqual(previous.trainingImages, { previous: old.detector.manifest.data?.imageCount ?? null, retrained: kept.length });
    const oldScores = new Map(old.scoredByScore().map((item) => [item.relativePath, Math.fround(item.instanceScore)]));
    assert.deepStrictEqual([...previous.scores], retrained.scoredByScore().map((item) => oldScores.get(item.relativePath)), 'aligned with the new scores');
  });

  it('lets the nearest marked folder win: the scanned folder marked outliers, fashion still inliers', async () => {
    fake.ui.openDialogs.push(root); // from the palette: a folder dialog
    await commands.executeCommand('outlierLens.markFolderOutliers');
    await commands.executeCommand('outlierLens.clearFolderLabel', Uri.file(mnist));
    const expected = expectedLabels(resultSet, (relativePath) => (relativePath.startsWith('fashion/') ? inlier : outlier));
    await waitFor(() => JSON.stringify(snapshotLabels()) === JSON.stringify(expected), 5000, 'mnist labelled through the scanned folder');
    assert.deepStrictEqual(fixture.api.labelMarks.all(), [{ folder: root, label: 'outlier' }, { folder: fashion, label: 'inlier' }].sort((a, b) => (a.folder < b.folder ? -1 : 1)));
  });

  it('clears a mark picked from the palette: its images lose the label and the AUROC goes', async () => {
    fake.ui.quickPicks.push(FakeUi.pickLabel('mixed'));
    await commands.executeCommand('outlierLens.clearFolderLabel');
    const expected = expectedLabels(resultSet, (relativePath) => (relativePath.startsWith('fashion/') ? inlier : unknown));
    await waitFor(() => JSON.stringify(snapshotLabels()) === JSON.stringify(expected), 5000, 'mnist unlabelled');
    await waitFor(() => latestState()?.groundTruth?.outliers === 0, 5000, 'the side view without outliers');
    assert.strictEqual(latestState()?.groundTruth?.auroc, null);
  });

  it('reads outlier-lens.labels.csv: bad lines are warned about by file and line, the scan goes on, edits relabel without a rescan', async () => {
    const labelsFile = path.join(root, 'outlier-lens.labels.csv');
    fs.writeFileSync(labelsFile, 'path,label\nmnist,outlier\nfashion/00000.png,outlier\nfashion,maybe\n');
    fake.ui.quickPicks.push((items) => items.find((item) => item.description?.includes('8×8 gray')));
    const rescan = (await commands.executeCommand('outlierLens.scanFolder', Uri.file(root))) as ResultSet;
    await fixture.api.groundTruth.settled();
    assert.strictEqual(rescan.scoredCount, 2 * PER_CLASS, 'the bad line did not stop the scan');
    // fashion is marked inliers; the file labels mnist, and one fashion image more specifically.
    const labelOf = (relativePath: string): number => (relativePath === 'fashion/00000.png' || relativePath.startsWith('mnist/') ? outlier : inlier);
    await waitFor(() => JSON.stringify(snapshotLabels()) === JSON.stringify(expectedLabels(rescan, labelOf)), 5000, 'labels from the file');
    const warnings = fake.ui.messages.filter((message) => message.level === 'warning');
    assert.strictEqual(warnings.length, 1, warnings.map((warning) => warning.message).join(' | '));
    assert.match(warnings[0].message, /outlier-lens\.labels\.csv in mixed: 1 line skipped \(line 4: label "maybe" is not inlier, outlier, 0 or 1\)/);
    assert.deepStrictEqual(warnings[0].items, ['Open Labels File']);
    assert.ok(fake.outputLines.some((line) => line.includes(`${labelsFile} line 4: label "maybe"`)));

    const scans = scanCount();
    fs.writeFileSync(labelsFile, 'mnist,inlier\n');
    const watcher = fake.watchers.filter((entry) => !entry.disposed).at(-1);
    assert.ok(watcher && path.join(watcher.pattern.baseUri.fsPath, watcher.pattern.pattern) === labelsFile);
    watcher.fire('change', Uri.file(labelsFile));
    await waitFor(() => JSON.stringify(snapshotLabels()) === JSON.stringify(expectedLabels(rescan, () => inlier)), 5000, 'labels after the edit');
    assert.strictEqual(scanCount(), scans, 'no rescan');
  });

  it('reads no labels file when outlierLens.labelsFile is empty', async () => {
    fake.setSetting('outlierLens.labelsFile', '');
    await fixture.api.groundTruth.settled();
    const rescan = fixture.api.services.model.resultSet as ResultSet;
    await waitFor(() => JSON.stringify(snapshotLabels()) === JSON.stringify(expectedLabels(rescan, (relativePath) => (relativePath.startsWith('fashion/') ? inlier : unknown))), 5000, 'the file ignored');
  });

  it('keeps the marks in workspaceState: after a reload they are back, menu keys included', async () => {
    const state = fixture.workspaceState;
    const marks = fixture.api.labelMarks.all();
    assert.deepStrictEqual(marks, [{ folder: fashion, label: 'inlier' }]);
    fixture.close();
    fixture = activateExtension(TINY_TRAINING, fixture.workspace, state);
    assert.deepStrictEqual(fixture.api.labelMarks.all(), marks);
    await waitFor(() => contextFolders('outlierLens.inlierFolders').length === 1, 2000, 'the menu keys after activation');
    assert.deepStrictEqual(contextFolders('outlierLens.inlierFolders'), [fashion]);
  });
});
