// Select Compute Backend: the quick pick writes the setting, and the status bar and engine follow it.
import * as assert from 'assert';
import * as path from 'path';
import { FakeUi } from './fakeVscode/fakeUi';
import { commands, fake } from './fakeVscode/fakeVscode';
import { activateExtension, isAlive, waitFor } from './support/hostFixture';
import { writeImageFolder } from './support/imageFolder';

describe('Select Compute Backend', () => {
  it('offers the five choices, marks the current one, and writes outlierLens.backend', async () => {
    const fixture = activateExtension({ backend: 'auto' });
    try {
      fake.ui.quickPicks.push(FakeUi.pickLabel('wasm'));
      assert.strictEqual(await commands.executeCommand('outlierLens.selectBackend'), 'wasm');
      const labels = fake.ui.shownQuickPicks[0].items.map((item) => item.label);
      assert.deepStrictEqual(labels, ['$(check) auto', 'webgpu', 'tensorflow', 'wasm', 'cpu']);
      assert.strictEqual(fake.settings.get('outlierLens.backend'), 'wasm');
      assert.match(String(fake.statusBarItems[0].tooltip), /setting: wasm/);
    } finally {
      fixture.close();
    }
  });

  it('forks the engine on the setting’s backend, and a new setting restarts it on the new one (requests carry none)', async () => {
    const fixture = activateExtension({ backend: 'wasm' });
    try {
      const engine = fixture.api.services.engine;
      const { images } = await writeImageFolder(path.join(fixture.workspace, 'images'), 2, false);
      const image = path.join(fixture.workspace, 'images', images[0]);
      const startedOn = (backend: string): boolean => fake.outputLines.some((line) => line.includes(`runs on backend '${backend}'`));
      const workerPid = (): number | undefined => engine.workerPid;
      assert.strictEqual(workerPid(), undefined, 'no engine before the first job');
      await engine.request({ type: 'displayImage', path: image }).result;
      const first = workerPid() as number;
      await waitFor(() => startedOn('wasm'), 20_000, 'the engine to say its backend');
      fake.setSetting('outlierLens.backend', 'cpu');
      await waitFor(() => !isAlive(first), 10_000, 'the idle wasm engine to stop');
      assert.strictEqual(engine.backendChoice, 'cpu');
      const png = await engine.request({ type: 'displayImage', path: image }).result;
      assert.deepStrictEqual([...png.png.subarray(0, 4)], [137, 80, 78, 71]);
      assert.notStrictEqual(workerPid(), first);
      await waitFor(() => startedOn('cpu'), 20_000, 'the new engine to say its backend');
      assert.strictEqual(fake.outputLines.filter((line) => line.includes('runs on backend')).length, 2, 'one engine process per backend');
    } finally {
      fixture.close();
    }
  });
});
