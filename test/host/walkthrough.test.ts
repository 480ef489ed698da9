// The first-run walkthrough: its steps are wired to real commands and media, and its "Get Demo
// Data" command writes the demo folder through the real engine worker.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { commands, fake } from './fakeVscode/fakeVscode';
import type { HostFixture } from './support/hostFixture';
import { activateExtension, EXTENSION_ROOT } from './support/hostFixture';

interface Step {
  id: string;
  title: string;
  description: string;
  media: { markdown?: string; image?: string };
  completionEvents?: string[];
}
interface Manifest {
  contributes: { commands: Array<{ command: string }>; walkthroughs: Array<{ id: string; steps: Step[] }>; viewsContainers: { activitybar: Array<{ id: string }> } };
}

const manifest = JSON.parse(fs.readFileSync(path.join(EXTENSION_ROOT, 'package.json'), 'utf8')) as Manifest;

describe('first-run walkthrough', () => {
  const [walkthrough] = manifest.contributes.walkthroughs;
  const contributed = new Set(manifest.contributes.commands.map((command) => command.command));
  const views = manifest.contributes.viewsContainers.activitybar.map((container) => `workbench.view.extension.${container.id}`);

  it('goes what it does → demo data → scan → panel → marked folders and ROC → export', () => {
    assert.deepStrictEqual(walkthrough.steps.map((step) => step.id), ['whatItDoes', 'getDemoData', 'scan', 'readPanel', 'markFolders', 'export']);
  });

  it('completes each step on a command the extension contributes, and links only commands that exist', () => {
    for (const step of walkthrough.steps) {
      const events = step.completionEvents ?? [...step.description.matchAll(/\(command:([\w.]+)\)/g)].map((match) => `onCommand:${match[1]}`);
      assert.ok(events.length > 0, `${step.id} never completes`);
      for (const event of events) assert.ok(contributed.has(event.replace(/^onCommand:/, '')) || views.includes(event.replace(/^onCommand:/, '')), `${step.id}: ${event}`);
      for (const [, command] of step.description.matchAll(/\(command:([\w.]+)\)/g)) assert.ok(contributed.has(command) || views.includes(command), `${step.id} links ${command}`);
    }
  });

  it('has the media file of every step', () => {
    for (const step of walkthrough.steps) {
      const file = step.media.markdown ?? step.media.image ?? '';
      assert.ok(file && fs.existsSync(path.join(EXTENSION_ROOT, file)), `${step.id}: ${file}`);
    }
  });

  describe('Get Demo Data', function () {
    this.timeout(120_000);
    let fixture: HostFixture;
    before(() => {
      fixture = activateExtension();
    });
    after(() => fixture.close());

    it('writes Fashion-MNIST inliers, MNIST outliers and two broken files into a new folder of the workspace, and shows it', async () => {
      const result = (await commands.executeCommand('outlierLens.getDemoData')) as { folder: string; inliers: { count: number }; outliers: { count: number }; broken: string[] };
      const folder = path.join(fixture.workspace, 'outlier-lens-demo');
      assert.strictEqual(result.folder, folder);
      assert.deepStrictEqual(fs.readdirSync(folder).sort(), ['fashion', 'mnist', 'notes.jpg', 'truncated.png']);
      assert.strictEqual(fs.readdirSync(path.join(folder, 'fashion')).filter((name) => name.endsWith('.png')).length, result.inliers.count);
      assert.strictEqual(fs.readdirSync(path.join(folder, 'mnist')).length, result.outliers.count);
      assert.deepStrictEqual([result.inliers.count, result.outliers.count], [1000, 30]);
      assert.deepStrictEqual(fs.readFileSync(path.join(folder, 'fashion', '00000.png')).subarray(1, 4).toString(), 'PNG');
      assert.ok(fake.externalCommands.some((command) => command.id === 'revealInExplorer'));
      assert.ok(!fs.readdirSync(fixture.workspace).some((name) => name.includes('.partial-')), 'no partial folder left');
    });

    it('never writes over an existing demo folder: a second one gets its own name', async () => {
      const result = (await commands.executeCommand('outlierLens.getDemoData')) as { folder: string };
      assert.strictEqual(result.folder, path.join(fixture.workspace, 'outlier-lens-demo-2'));
    });
  });
});
