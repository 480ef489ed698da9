// The whole flow through the real extension and the real engine worker (dist/engine.js), with a
// fake VS Code: Scan Folder → train a new detector → streamed results in the panel → export.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { validateOutlierExport } from '../../src/engine/export/outlierExport';
import type { ResultSet } from '../../src/extension/results/resultSet';
import type { SideViewState } from '../../src/protocol/sideView';
import type { PageReply, PixelMapsReply, RequestFailed, ScoresSnapshot, SetThreshold, TrainingReply } from '../../src/protocol/webview';
import { FakeUi } from './fakeVscode/fakeUi';
import { commands, fake, Uri } from './fakeVscode/fakeVscode';
import type { FakeWebviewPanel } from './fakeVscode/fakeWebview';
import type { HostFixture } from './support/hostFixture';
import { activateExtension, isAlive, waitFor } from './support/hostFixture';
import { writeImageFolder } from './support/imageFolder';

const IMAGE_COUNT = 40;
const TINY_TRAINING = { preset: 'fast', epochs: 1, imageSize: '8x8', channels: '1' };

describe('Scan Folder with a detector trained in the worker', () => {
  let fixture: HostFixture;
  let folder: string;
  let resultSet: ResultSet;
  let panel: FakeWebviewPanel;

  before(async () => {
    fixture = activateExtension(TINY_TRAINING);
    folder = path.join(fixture.workspace, 'images');
    await writeImageFolder(folder, IMAGE_COUNT);
    fake.ui.quickPicks.push(FakeUi.pickLabel('Train a new detector on this folder'));
    resultSet = (await commands.executeCommand('outlierLens.scanFolder', Uri.file(folder))) as ResultSet;
    panel = fake.panels[0];
  });

  after(() => fixture.close());

  it('trains a detector into the workspace detector folder and scores every image, with the broken files and their reasons', () => {
    assert.ok(resultSet, `no result set; messages: ${fake.ui.messagesAt().join(' / ')}`);
    const detectors = fs.readdirSync(path.join(fixture.workspace, '.outlier-lens', 'detectors'));
    assert.strictEqual(detectors.length, 1);
    assert.ok(fs.existsSync(path.join(fixture.workspace, '.outlier-lens', 'detectors', detectors[0], 'manifest.json')));
    assert.strictEqual(resultSet.scoredCount, IMAGE_COUNT);
    assert.deepStrictEqual(resultSet.failuresByPath().map((failure) => failure.relativePath), ['notes.jpg', 'truncated.png']);
    for (const failure of resultSet.failuresByPath()) assert.ok(failure.reason.length > 5, failure.reason);
    assert.ok(resultSet.scoredByScore().every((item) => Number.isFinite(item.instanceScore)));
    assert.strictEqual(resultSet.complete, true);
  });

  it('offered the workspace detectors and the two ways to train in the quick pick', () => {
    const labels = fake.ui.shownQuickPicks[0].items.map((item) => item.label);
    assert.ok(labels.some((label) => label.includes('Train a new detector on this folder')));
    assert.ok(labels.some((label) => label.includes('Train on another folder')));
  });

  it('showed cancellable progress with epoch, both models’ bits/dim and ETA, then the scan', () => {
    const training = fake.progress.find((entry) => entry.title.includes('Training on images'));
    assert.ok(training?.cancellable);
    // A one-epoch fit may report only one model before it ends: the other shows "…".
    assert.ok(training.reports.some((report) => /epoch 1\/1.*semantic ([0-9.]+|…) · background ([0-9.]+|…) bits\/dim \(background on perturbed images\).*ETA/.test(report.message ?? '')), JSON.stringify(training.reports));
    assert.ok(fake.progress.some((entry) => entry.title.includes('Scanning images') && entry.done));
  });

  it('shows the backend in the status bar once the engine started', () => {
    assert.match(fake.statusBarItems[0].text, /wasm|cpu|webgpu|tensorflow/);
  });

  it('serves the panel page with a strict CSP and queues messages until ready', async () => {
    assert.match(panel.webview.html, /default-src 'none'/);
    assert.match(panel.webview.html, /script-src 'nonce-[A-Za-z0-9]{32}'/);
    assert.doesNotMatch(panel.webview.html, /unsafe-inline|unsafe-eval/);
    assert.match(panel.webview.html, /dist\/webview\.js/);
    assert.strictEqual(panel.webview.posted.length, 0, 'nothing may be posted before ready');
    panel.webview.send({ type: 'ready' });
    await waitFor(() => panel.webview.ofType('scoresSnapshot').length > 0);
    const snapshot = panel.webview.ofType<ScoresSnapshot>('scoresSnapshot').at(-1) as ScoresSnapshot;
    assert.ok(snapshot.scores instanceof Float32Array);
    assert.strictEqual(snapshot.scores.length, IMAGE_COUNT);
    assert.strictEqual(snapshot.failedCount, 2);
    assert.strictEqual(snapshot.folderLabel, 'images');
    assert.strictEqual(snapshot.complete, true, 'the scan had ended before the webview was ready');
    assert.strictEqual(snapshot.labels, undefined, 'nothing is labelled');
  });

  it('answers gallery pages in score order, failed files last, with image URIs the webview may load', async () => {
    const threshold = fixtureThreshold();
    panel.webview.send({ type: 'requestPage', requestId: 1, offset: 0, limit: 50, query: { filter: 'all', sort: 'scoreDescending', search: '', threshold } });
    const reply = await replyTo<PageReply>(panel, 1);
    assert.strictEqual(reply.total, IMAGE_COUNT + 2);
    const scored = reply.items.filter((item) => item.kind === 'scored');
    assert.deepStrictEqual(scored.map((item) => (item.kind === 'scored' ? item.rank : 0)), Array.from({ length: IMAGE_COUNT }, (_, i) => i + 1));
    assert.deepStrictEqual(reply.items.slice(IMAGE_COUNT).map((item) => item.kind), ['failed', 'failed']);
    const first = reply.items[0];
    assert.ok(first.kind === 'scored' && first.imageUri.includes('/images/'));
    panel.webview.send({ type: 'requestPage', requestId: 2, offset: 0, limit: 50, query: { filter: 'outliers', sort: 'scoreDescending', search: '', threshold } });
    const outliers = await replyTo<PageReply>(panel, 2);
    assert.strictEqual(outliers.total, resultSet.scores().filter((score) => score > threshold).length);
  });

  it('computes the pixel maps of one image in the engine, as Float32Arrays', async () => {
    const relativePath = resultSet.scoredByScore()[0].relativePath;
    panel.webview.send({ type: 'requestPixelMaps', requestId: 3, relativePath });
    const reply = await replyTo<PixelMapsReply>(panel, 3);
    assert.strictEqual(reply.item.relativePath, relativePath);
    assert.strictEqual(reply.item.rank, 1);
    assert.ok(reply.maps.llr instanceof Float32Array && reply.maps.llr.length === 64);
    const summed = reply.maps.llr.reduce((sum, value) => sum + value, 0);
    assert.ok(Math.abs(summed - reply.item.instanceScore) < 1e-2 * Math.max(1, Math.abs(summed)), `${summed} vs ${reply.item.instanceScore}`);
  });

  it('refuses pixel maps and editor opens for paths that are not results of the scan', async () => {
    panel.webview.send({ type: 'requestPixelMaps', requestId: 4, relativePath: '../../etc/passwd' });
    const reply = await replyTo<RequestFailed>(panel, 4);
    assert.strictEqual(reply.type, 'requestFailed');
    panel.webview.send({ type: 'openImage', relativePath: '../secret.png' });
    panel.webview.send({ type: 'openImage', relativePath: resultSet.scoredByScore()[0].relativePath });
    await waitFor(() => fake.externalCommands.some((entry) => entry.id === 'vscode.open'));
    assert.strictEqual(fake.externalCommands.filter((entry) => entry.id === 'vscode.open').length, 1);
  });

  it('replies to the training view with both curves and samples drawn by the engine', async () => {
    panel.webview.send({ type: 'requestTraining', requestId: 6, includeSamples: false });
    const curvesOnly = await replyTo<TrainingReply>(panel, 6);
    assert.ok(curvesOnly.models && !curvesOnly.models.semantic.samples && !curvesOnly.models.background.samples, 'curves first, without waiting for samples');
    assert.strictEqual(curvesOnly.models.semantic.curve.epochs.length, 1);
    panel.webview.send({ type: 'requestTraining', requestId: 5, includeSamples: true });
    const reply = await replyTo<TrainingReply>(panel, 5);
    assert.ok(reply.models);
    assert.strictEqual(reply.models.semantic.curve.epochs.length, 1);
    const samples = reply.models.background.samples;
    assert.ok(samples && samples.kind === 'pixels' && samples.pixels.length === samples.count * 64);
  });

  it('keeps the side view and the panel on one threshold', async () => {
    const view = fake.resolveView('outlierLens.sideView');
    assert.match(String(view.webview.html), /dist\/sideView\.js/);
    view.webview.send({ type: 'ready' });
    await waitFor(() => view.webview.ofType('state').length > 0);
    const state = view.webview.ofType<SideViewState>('state').at(-1) as SideViewState;
    assert.strictEqual(state.scored, IMAGE_COUNT);
    assert.strictEqual(state.failed, 2);
    view.webview.send({ type: 'setThreshold', method: 'percentile', text: '120' });
    await waitFor(() => view.webview.ofType<SideViewState>('state').some((entry) => entry.thresholdError !== null));
    const refused = view.webview.ofType<SideViewState>('state').at(-1) as SideViewState;
    assert.match(refused.thresholdError ?? '', /percentile must be between 0 and 100, got 120/);
    assert.strictEqual(panel.webview.ofType('setThreshold').length, 0, 'a refused threshold reaches no view');
    view.webview.send({ type: 'setThreshold', method: 'percentile', text: '80' });
    await waitFor(() => panel.webview.ofType('setThreshold').length > 0);
    const pushed = panel.webview.ofType<SetThreshold>('setThreshold').at(-1) as SetThreshold;
    assert.strictEqual(pushed.threshold.method, 'percentile');
    assert.strictEqual(pushed.threshold.percentile, 80);
    const sorted = [...resultSet.scores()].sort((a, b) => a - b);
    const position = 0.8 * (sorted.length - 1);
    const expected = sorted[Math.floor(position)] + (sorted[Math.ceil(position)] - sorted[Math.floor(position)]) * (position - Math.floor(position));
    assert.ok(Math.abs(pushed.threshold.value - expected) < 1e-3, `${pushed.threshold.value} vs numpy's ${expected}`);
    assert.strictEqual((view.webview.ofType<SideViewState>('state').at(-1) as SideViewState).thresholdError, null);
    view.webview.send({ type: 'resetThreshold' });
    await waitFor(() => (panel.webview.ofType<SetThreshold>('setThreshold').at(-1) as SetThreshold).threshold.percentile === 95);
    assert.deepStrictEqual(fixture.api.services.model.threshold, fixture.api.services.model.detectorThreshold, 'Reset gives the detector’s own threshold');
    panel.webview.send({ type: 'didChangeSelection', selected: [resultSet.scoredByScore()[1].relativePath, '../not-a-result.png'] });
    await waitFor(() => view.webview.ofType<SideViewState>('state').some((entry) => entry.selected === 1));
    assert.deepStrictEqual(resultSet.selected, [resultSet.scoredByScore()[1].relativePath]);
    view.webview.send({ type: 'run', command: 'workbench.action.quit' });
    assert.ok(!fake.externalCommands.some((entry) => entry.id === 'workbench.action.quit'), 'the side view may run only its own commands');
  });

  it('exports JSON and CSV with the threshold set in the panel, valid and complete', async () => {
    const scores = [...resultSet.scores()].sort((a, b) => a - b);
    const value = scores[Math.floor(scores.length / 2)];
    panel.webview.send({ type: 'didChangeThreshold', threshold: { value, method: 'absolute' } });
    await waitFor(() => fixture.api.services.model.threshold.value === value);
    const jsonFile = path.join(fixture.workspace, 'out', 'outliers.json');
    fake.ui.quickPicks.push(FakeUi.pickLabel('All rows'));
    fake.ui.saveDialogs.push(jsonFile);
    await commands.executeCommand('outlierLens.exportJson');
    const exported = JSON.parse(fs.readFileSync(jsonFile, 'utf8')) as ReturnType<typeof validateOutlierExport> & Record<string, unknown>;
    assert.deepStrictEqual(validateOutlierExport(exported), []);
    const parsed = exported as unknown as { threshold: { value: number; method: string }; counts: { outliers: number; images: number; errors: number }; items: Array<{ path: string; rank: number }> };
    assert.deepStrictEqual(parsed.threshold, { value, method: 'absolute' });
    assert.strictEqual(parsed.counts.outliers, scores.filter((score) => score > value).length);
    assert.strictEqual(parsed.counts.images, IMAGE_COUNT);
    assert.strictEqual(parsed.counts.errors, 2);
    assert.strictEqual(parsed.items[0].path, resultSet.scoredByScore()[0].relativePath);
    const csvFile = path.join(fixture.workspace, 'out', 'outliers.csv');
    fake.ui.quickPicks.push(FakeUi.pickLabel('All rows'));
    fake.ui.saveDialogs.push(csvFile);
    await commands.executeCommand('outlierLens.exportCsv');
    const lines = fs.readFileSync(csvFile, 'utf8').trim().split(/\r?\n/);
    assert.strictEqual(lines.length, 1 + IMAGE_COUNT + 2);
    assert.deepStrictEqual(fs.readdirSync(path.dirname(jsonFile)).sort(), ['outliers.csv', 'outliers.json'], 'no temporary files left');
  });

  it('opens the results panel on Open Results, and shows samples of a model as an image', async () => {
    assert.strictEqual(await commands.executeCommand('outlierLens.openResults'), true);
    fake.ui.quickPicks.push(FakeUi.pickLabel('Background model'));
    const samples = (await commands.executeCommand('outlierLens.showSamples')) as Uri;
    assert.ok(samples && fs.existsSync(samples.fsPath));
    assert.deepStrictEqual([...fs.readFileSync(samples.fsPath).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47], 'a PNG');
    assert.ok(fake.externalCommands.some((entry) => entry.id === 'vscode.open' && (entry.args[0] as Uri).fsPath === samples.fsPath));
  });

  it('sets a detector threshold in the worker (inferThreshold) and saves it in the detector folder', async () => {
    const detector = resultSet.detector;
    const job = fixture.api.services.engine.request({ type: 'inferThreshold', detectorFolder: detector.folder, folder, request: { method: 'percentile', percentile: 90 } });
    const { threshold } = await job.result;
    assert.strictEqual(threshold.method, 'percentile');
    const scores = [...resultSet.scores()].sort((a, b) => a - b);
    assert.ok(threshold.value >= scores[0] && threshold.value <= scores[scores.length - 1]);
    const manifest = JSON.parse(fs.readFileSync(path.join(detector.folder, 'manifest.json'), 'utf8')) as { threshold: { value: number; percentile: number } };
    assert.strictEqual(manifest.threshold.percentile, 90);
    assert.strictEqual(manifest.threshold.value, threshold.value);
  });

  it('rescans only new or changed files, and removed files leave the results', async () => {
    const names = resultSet.scoredByScore().map((item) => item.relativePath).sort();
    const [removed, changed] = names;
    fs.rmSync(path.join(folder, removed));
    const future = new Date(Date.now() + 60_000);
    fs.utimesSync(path.join(folder, changed), future, future);
    fs.copyFileSync(path.join(folder, names[2]), path.join(folder, 'added.png'));
    fake.ui.quickPicks.push((items) => items.find((item) => item.description?.includes('8×8 gray')));
    const rescan = (await commands.executeCommand('outlierLens.scanFolder', Uri.file(folder))) as ResultSet;
    assert.strictEqual(rescan.reusedFromCache, IMAGE_COUNT - 2);
    assert.strictEqual(rescan.scoredCount, IMAGE_COUNT);
    assert.ok(!rescan.has(removed));
    assert.ok(rescan.scoredImage('added.png'));
    assert.strictEqual(Math.round(rescan.scoredImage(changed)?.mtimeMs ?? 0), future.getTime(), "the changed file was rescored");
  });

  it('kills the worker on deactivate: no orphan process', async () => {
    const pid = fixture.api.services.engine.workerPid;
    assert.ok(pid && isAlive(pid));
    fixture.close();
    await waitFor(() => !isAlive(pid), 5000, 'the worker to exit');
  });

  function fixtureThreshold(): number {
    return fixture.api.services.model.threshold.value;
  }
});

/** The reply to request `requestId`, once posted. */
async function replyTo<T>(panel: FakeWebviewPanel, requestId: number): Promise<T> {
  const find = (): unknown => panel.webview.posted.find((message) => (message as { inReplyTo?: number }).inReplyTo === requestId);
  await waitFor(() => find() !== undefined, 30_000, `reply to request ${requestId}`);
  return find() as T;
}
