// What the panel hears about the scan's state, through the real engine worker: streaming ("n of N"),
// then complete; a cancel or a failure as `scanStopped` with the reason (again after a reload); Retry.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { DetectorSummary } from '../../src/extension/detectors/detectorSummary';
import { readDetectorSummary } from '../../src/extension/detectors/readDetectorSummary';
import type { ResultSet } from '../../src/extension/results/resultSet';
import { scanWithDetector } from '../../src/extension/workflows/scanWorkflow';
import type { ScanStopped, ScoresSnapshot } from '../../src/protocol/webview';
import { commands, fake, Uri } from './fakeVscode/fakeVscode';
import type { FakeWebviewPanel } from './fakeVscode/fakeWebview';
import type { HostFixture } from './support/hostFixture';
import { activateExtension, tempFolder, waitFor } from './support/hostFixture';
import { writeImageFolder } from './support/imageFolder';

const IMAGE_COUNT = 300;
const TINY_TRAINING = { preset: 'fast', epochs: 1, imageSize: '8x8', channels: '1' };

describe('Scan state in the panel: streaming, stopped, retried', () => {
  let fixture: HostFixture;
  let detector: DetectorSummary;
  let panel: FakeWebviewPanel;

  before(async () => {
    fixture = activateExtension(TINY_TRAINING);
    const training = path.join(fixture.workspace, 'training');
    await writeImageFolder(training, 40, false);
    detector = (await commands.executeCommand('outlierLens.trainDetector', Uri.file(training))) as DetectorSummary;
    assert.ok(detector, fake.ui.messagesAt().join(' / '));
  });

  after(() => fixture.close());

  const snapshots = (): ScoresSnapshot[] => panel.webview.ofType<ScoresSnapshot>('scoresSnapshot');
  const stops = (): ScanStopped[] => panel.webview.ofType<ScanStopped>('scanStopped');
  const services = (): HostFixture['api']['services'] => fixture.api.services;

  /** A folder of IMAGE_COUNT images and the two broken files, new to the results cache. */
  async function freshFolder(name: string): Promise<string> {
    const folder = path.join(fixture.workspace, name);
    await writeImageFolder(folder, IMAGE_COUNT);
    return folder;
  }

  it('says the scan is streaming (complete: false) until it ends, then complete with N = every file found', async () => {
    const folder = await freshFolder('first');
    const scanning = scanWithDetector(services(), folder, detector);
    // Play a webview that is ready as soon as the panel opens, before the first result.
    await waitFor(() => fake.panels.length > 0, 5000, 'the panel');
    panel = fake.panels[0];
    panel.webview.send({ type: 'ready' });
    const resultSet = (await scanning) as ResultSet;
    await waitFor(() => snapshots().at(-1)?.complete === true, 5000, 'the final snapshot');
    assert.strictEqual(snapshots()[0].complete, false, 'the first snapshot streams');
    assert.strictEqual(snapshots()[0].scores.length, 0);
    const last = snapshots().at(-1) as ScoresSnapshot;
    assert.strictEqual(last.scores.length, IMAGE_COUNT);
    assert.strictEqual(last.failedCount, 2);
    assert.strictEqual(last.expectedCount, IMAGE_COUNT + 2);
    assert.strictEqual(last.scanId, resultSet.scanId);
    assert.deepStrictEqual(stops(), []);
  });

  it('tells the panel why a cancelled scan stopped (after the snapshot that says complete), and again after a reload', async () => {
    const folder = await freshFolder('second');
    // Cancel the moment the job starts: the worker stops before its first batch.
    const unsubscribe = services().model.onDidChange((change) => {
      if (change.kind === 'job' && change.running) services().engine.cancelAll();
    });
    const resultSet = (await scanWithDetector(services(), folder, detector)) as ResultSet;
    unsubscribe();
    assert.strictEqual(resultSet.stopped?.outcome, 'cancelled');
    await waitFor(() => stops().length === 1, 5000, 'scanStopped');
    const [stopped] = stops();
    assert.strictEqual(stopped.scanId, resultSet.scanId);
    assert.strictEqual(stopped.outcome, 'cancelled');
    assert.match(stopped.reason, /^Stopped (before the first result|after \d+ (of \d+ )?files; their results are shown)\.$/);
    const stopIndex = panel.webview.posted.indexOf(stopped);
    const before = panel.webview.posted.slice(0, stopIndex).filter((message) => (message as { type: string }).type === 'scoresSnapshot').at(-1) as ScoresSnapshot;
    assert.strictEqual(before.scanId, resultSet.scanId);
    assert.strictEqual(before.complete, true);
    assert.ok(fake.ui.messagesAt('info').includes('Outlier Lens: Scanning second cancelled.'), fake.ui.messagesAt('info').join(' | '));
    // A hidden webview is torn down; when it says ready again it must hear of the stop again.
    panel.webview.send({ type: 'ready' });
    await waitFor(() => stops().length === 2, 5000, 'scanStopped after ready');
    assert.deepStrictEqual(stops()[1], stopped);
  });

  it('runs the stopped scan again on Retry, with the same folder and detector, to completion', async () => {
    const stopped = stops().at(-1) as ScanStopped;
    const scans = fake.progress.filter((entry) => entry.title.includes('Scanning second')).length;
    panel.webview.send({ type: 'retryScan', scanId: stopped.scanId });
    await waitFor(() => {
      const last = snapshots().at(-1);
      return last !== undefined && last.scanId !== stopped.scanId && last.complete && last.scores.length === IMAGE_COUNT;
    }, 30_000, 'the retried scan to complete');
    assert.strictEqual(fake.progress.filter((entry) => entry.title.includes('Scanning second')).length, scans + 1);
    const retried = services().model.resultSet as ResultSet;
    assert.strictEqual(retried.detector.folder, detector.folder);
    assert.strictEqual(retried.stopped, null);
    assert.ok(!stops().some((stop) => stop.scanId === retried.scanId));
    // Retry names a scan: one that did not stop is left alone.
    panel.webview.send({ type: 'retryScan', scanId: retried.scanId });
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.strictEqual(fake.progress.filter((entry) => entry.title.includes('Scanning second')).length, scans + 1);
  });

  it('tells the panel the engine\'s reason when a scan fails (a detector with broken model files)', async () => {
    const broken = path.join(tempFolder('broken-detector'), 'detector');
    fs.cpSync(detector.folder, broken, { recursive: true });
    for (const name of fs.readdirSync(path.join(broken, 'semantic'))) fs.writeFileSync(path.join(broken, 'semantic', name), 'not a model');
    const summary = await readDetectorSummary(broken);
    const folder = path.join(fixture.workspace, 'first');
    const resultSet = (await scanWithDetector(services(), folder, summary)) as ResultSet;
    assert.strictEqual(resultSet.stopped?.outcome, 'failed');
    await waitFor(() => stops().some((stop) => stop.scanId === resultSet.scanId), 5000, 'scanStopped for the failure');
    const stopped = stops().find((stop) => stop.scanId === resultSet.scanId) as ScanStopped;
    assert.strictEqual(stopped.outcome, 'failed');
    assert.strictEqual(stopped.reason, resultSet.stopped?.reason);
    assert.ok(stopped.reason.length > 10, stopped.reason);
    const error = fake.ui.messages.find((message) => message.level === 'error');
    assert.ok(error && error.message.includes(stopped.reason), `${error?.message} vs ${stopped.reason}`);
  });
});
