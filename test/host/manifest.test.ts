// package.json's extension manifest against what the extension registers.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { COMMANDS } from '../../src/extension/commands/commandIds';
import { fake } from './fakeVscode/fakeVscode';
import { activateExtension, EXTENSION_ROOT } from './support/hostFixture';

interface Manifest {
  main: string;
  engines: { vscode: string };
  activationEvents: string[];
  extensionKind: string[];
  capabilities: { untrustedWorkspaces: { supported: string | boolean; description?: string } };
  contributes: {
    commands: Array<{ command: string; title: string; category: string }>;
    menus: Record<string, Array<{ command: string; when?: string; group?: string }>>;
    viewsContainers: Record<string, Array<{ id: string; icon: string }>>;
    views: Record<string, Array<{ id: string; type?: string }>>;
    configuration: { properties: Record<string, { default: unknown; enum?: unknown[]; type: unknown }> };
  };
}

const manifest = JSON.parse(fs.readFileSync(path.join(EXTENSION_ROOT, 'package.json'), 'utf8')) as Manifest;

describe('package.json extension manifest', () => {
  it('contributes exactly the commands activate() registers, each in the Outlier Lens category', () => {
    const fixture = activateExtension();
    try {
      const registered = [...fake.commands.keys()].sort();
      const contributed = manifest.contributes.commands.map((command) => command.command).sort();
      assert.deepStrictEqual(registered, contributed);
      assert.deepStrictEqual(contributed, Object.values(COMMANDS).sort());
      assert.ok(manifest.contributes.commands.every((command) => command.category === 'Outlier Lens'));
      const titles = manifest.contributes.commands.map((command) => command.title);
      for (const title of ['Scan Folder', 'Train Detector on Folder', 'Open Results', 'Export Outliers as JSON', 'Export Outliers as CSV', 'Show Samples', 'Select Compute Backend', 'Cancel']) {
        assert.ok(titles.includes(title), title);
      }
    } finally {
      fixture.close();
    }
  });

  it('puts Scan Folder, Train Detector and the label marks on folders only in the Explorer context menu', () => {
    const entries = manifest.contributes.menus['explorer/context'];
    assert.deepStrictEqual(entries.map((entry) => entry.command), [COMMANDS.scanFolder, COMMANDS.trainDetector, COMMANDS.markInliers, COMMANDS.markOutliers, COMMANDS.clearLabelMark]);
    for (const entry of entries) {
      // Every alternative of the clause (split at ||) needs a folder.
      for (const alternative of (entry.when ?? '').split('||')) assert.match(alternative.trim(), /(^|&& )explorerResourceIsFolder( &&|$)/, entry.command);
      assert.match(entry.group ?? '', /^outlierLens@\d$/);
    }
    assert.match(entries[1].when ?? '', /isWorkspaceTrusted/, 'no training entry in Restricted Mode');
    const byCommand = new Map(entries.map((entry) => [entry.command, entry.when ?? '']));
    // Marking is offered on folders of the scan shown, and not for the mark a folder already has.
    assert.match(byCommand.get(COMMANDS.markInliers) ?? '', /resourcePath in outlierLens\.scannedFolders && resourcePath not in outlierLens\.inlierFolders/);
    assert.match(byCommand.get(COMMANDS.markOutliers) ?? '', /resourcePath in outlierLens\.scannedFolders && resourcePath not in outlierLens\.outlierFolders/);
    assert.match(byCommand.get(COMMANDS.clearLabelMark) ?? '', /resourcePath in outlierLens\.inlierFolders \|\| .*resourcePath in outlierLens\.outlierFolders/);
    const titles = new Map(manifest.contributes.commands.map((command) => [command.command, `${command.category}: ${command.title}`]));
    assert.strictEqual(titles.get(COMMANDS.markInliers), 'Outlier Lens: Mark Folder as Inliers');
    assert.strictEqual(titles.get(COMMANDS.markOutliers), 'Outlier Lens: Mark Folder as Outliers');
    assert.strictEqual(titles.get(COMMANDS.clearLabelMark), 'Outlier Lens: Clear Label Mark');
  });

  it('activates only on its commands and its view, never on *', () => {
    assert.ok(!manifest.activationEvents.includes('*'));
    const own = [...Object.values(COMMANDS).map((id) => `onCommand:${id}`), 'onView:outlierLens.sideView'];
    for (const event of manifest.activationEvents) assert.ok(own.includes(event), event);
    // VS Code 1.74+ activates on every contributed command by itself; the older explicit list may stop short of the newest commands.
    assert.match(manifest.engines.vscode, /^\^1\.(7[4-9]|[89]\d|\d{3,})\./);
    assert.ok(manifest.activationEvents.includes('onView:outlierLens.sideView'));
    assert.strictEqual(manifest.main, './dist/extension.js');
    assert.deepStrictEqual(manifest.extensionKind, ['workspace']);
  });

  it('has its own activity-bar container with the side view as a webview view', () => {
    assert.deepStrictEqual(manifest.contributes.viewsContainers.activitybar.map((container) => container.id), ['outlierLens']);
    assert.ok(fs.existsSync(path.join(EXTENSION_ROOT, manifest.contributes.viewsContainers.activitybar[0].icon)));
    assert.deepStrictEqual(manifest.contributes.views.outlierLens.map((view) => [view.id, view.type]), [['outlierLens.sideView', 'webview']]);
  });

  it('declares limited support for untrusted workspaces, with a reason', () => {
    assert.strictEqual(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.match(manifest.capabilities.untrustedWorkspaces.description ?? '', /Restricted Mode/);
  });

  it('declares every setting the extension reads, with the documented defaults', () => {
    const properties = manifest.contributes.configuration.properties;
    assert.deepStrictEqual(properties['outlierLens.backend'].enum, ['auto', 'webgpu', 'tensorflow', 'wasm', 'cpu']);
    assert.deepStrictEqual(properties['outlierLens.preset'].enum, ['fast', 'seed']);
    assert.strictEqual(properties['outlierLens.imageSize'].default, 'auto');
    assert.deepStrictEqual(properties['outlierLens.channels'].enum, ['auto', '1', '3']);
    assert.strictEqual(properties['outlierLens.detectorFolder'].default, '.outlier-lens/detectors');
    assert.strictEqual(properties['outlierLens.labelsFile'].default, 'outlier-lens.labels.csv');
    for (const key of ['epochs', 'batchSize', 'mutationRate', 'l2Background', 'include', 'exclude', 'labelsFile']) {
      assert.ok(properties[`outlierLens.${key}`], key);
    }
    const source = fs.readdirSync(path.join(EXTENSION_ROOT, 'src/extension/settings')).map((file) => fs.readFileSync(path.join(EXTENSION_ROOT, 'src/extension/settings', file), 'utf8')).join('\n');
    const read = [...source.matchAll(/config\.get<[^>]+>\('(\w+)'/g)].map((match) => `outlierLens.${match[1]}`);
    assert.ok(read.length >= 10);
    for (const key of read) assert.ok(properties[key], `${key} is read but not declared`);
  });
});
