// Cancel reaches the real engine: training stops within one batch, without killing the worker.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { commands, fake, Uri } from './fakeVscode/fakeVscode';
import { activateExtension, isAlive, waitFor } from './support/hostFixture';
import { writeImageFolder } from './support/imageFolder';

describe('Cancel', () => {
  it('stops a training job within one batch through the AbortSignal; the worker lives on and no detector is written', async () => {
    const fixture = activateExtension({ preset: 'fast', epochs: 50, batchSize: 4, imageSize: '12x12', channels: '1' });
    try {
      const folder = path.join(fixture.workspace, 'images');
      await writeImageFolder(folder, 64, false);
      const training = commands.executeCommand('outlierLens.trainDetector', Uri.file(folder));
      await waitFor(() => fake.progress.some((entry) => entry.reports.some((report) => /epoch/.test(report.message ?? ''))), 30_000, 'training progress');
      const pid = fixture.api.services.engine.workerPid as number;
      const cancelledAt = Date.now();
      const cancelled = await commands.executeCommand('outlierLens.cancel');
      assert.strictEqual(cancelled, 1);
      assert.strictEqual(await training, undefined);
      const seconds = (Date.now() - cancelledAt) / 1000;
      assert.ok(seconds < 2, `stopped after ${seconds} s`);
      assert.ok(isAlive(pid), 'the worker stopped the job itself: it was not killed');
      assert.strictEqual(fixture.api.services.engine.workerPid, pid);
      assert.ok(fake.ui.messagesAt('info').some((message) => /cancelled/.test(message)));
      const detectors = path.join(fixture.workspace, '.outlier-lens', 'detectors');
      assert.deepStrictEqual(fs.existsSync(detectors) ? fs.readdirSync(detectors) : [], []);
      assert.match(fake.statusBarItems[0].text, /telescope/, 'the status bar is back to the backend');
    } finally {
      fixture.close();
    }
  });

  it('says so when nothing runs', async () => {
    const fixture = activateExtension();
    try {
      assert.strictEqual(await commands.executeCommand('outlierLens.cancel'), 0);
      assert.deepStrictEqual(fake.ui.messagesAt('info'), ['Outlier Lens: nothing is running.']);
    } finally {
      fixture.close();
    }
  });
});
