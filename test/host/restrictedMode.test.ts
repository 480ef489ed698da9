// Restricted Mode: no training, no detectors from the workspace, and a message that says why.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { RESTRICTED_DETECTORS, RESTRICTED_TRAINING } from '../../src/extension/workflows/workspaceTrust';
import { FakeUi } from './fakeVscode/fakeUi';
import { commands, fake, Uri } from './fakeVscode/fakeVscode';
import { activateExtension } from './support/hostFixture';

describe('Restricted Mode', () => {
  it('refuses to train, says why, and offers to manage trust', async () => {
    const fixture = activateExtension();
    try {
      fake.trusted = false;
      fake.ui.messageAnswer = (message) => (message.items.includes('Manage Workspace Trust') ? 'Manage Workspace Trust' : undefined);
      const result = await commands.executeCommand('outlierLens.trainDetector', Uri.file(fixture.workspace));
      assert.strictEqual(result, undefined);
      assert.deepStrictEqual(fake.ui.messagesAt('warning'), [RESTRICTED_TRAINING]);
      assert.ok(fake.externalCommands.some((entry) => entry.id === 'workbench.trust.manage'));
      assert.strictEqual(fixture.api.services.engine.workerPid, undefined, 'no worker was started');
    } finally {
      fixture.close();
    }
  });

  it('lists no workspace detector in the Scan Folder pick and refuses one browsed to inside the workspace', async () => {
    const fixture = activateExtension();
    try {
      const detector = path.join(fixture.workspace, '.outlier-lens', 'detectors', 'planted');
      fs.mkdirSync(detector, { recursive: true });
      fs.writeFileSync(path.join(detector, 'manifest.json'), '{}');
      fake.trusted = false;
      fake.ui.quickPicks.push(FakeUi.pickLabel('Choose a detector folder'));
      fake.ui.openDialogs.push(detector);
      const result = await commands.executeCommand('outlierLens.scanFolder', Uri.file(fixture.workspace));
      assert.strictEqual(result, undefined);
      const shown = fake.ui.shownQuickPicks[0].items;
      assert.ok(shown.some((item) => item.detail === RESTRICTED_DETECTORS), 'the pick explains why');
      assert.ok(!shown.some((item) => item.label === 'planted'));
      assert.deepStrictEqual(fake.ui.messagesAt('warning'), [RESTRICTED_DETECTORS]);
      assert.strictEqual(fixture.api.services.engine.workerPid, undefined);
    } finally {
      fixture.close();
    }
  });
});
