// Select Compute Backend: the quick pick writes the setting, and the status bar and engine follow it.
import * as assert from 'assert';
import { FakeUi } from './fakeVscode/fakeUi';
import { commands, fake } from './fakeVscode/fakeVscode';
import { activateExtension } from './support/hostFixture';

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
});
