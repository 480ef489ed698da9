// The extension in VS Code desktop: scan a folder with a newly trained detector, then export JSON.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { validateOutlierExport } from '../../../src/engine/export/outlierExport';
import type { OutlierLensApi } from '../../../src/extension/extension';

const workspace = process.env.OUTLIER_LENS_IT_WORKSPACE ?? '';

async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

describe('Outlier Lens in VS Code desktop', () => {
  let api: OutlierLensApi;

  before(async () => {
    const extension = vscode.extensions.getExtension<OutlierLensApi>('outlier-lens.outlier-lens');
    assert.ok(extension, 'the extension is installed');
    api = await extension.activate();
  });

  it('contributes its commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['outlierLens.scanFolder', 'outlierLens.trainDetector', 'outlierLens.exportJson', 'outlierLens.cancel']) {
      assert.ok(commands.includes(id), id);
    }
  });

  it('scans the image folder with a detector trained in the worker and exports valid JSON', async () => {
    const images = path.join(workspace, 'images');
    const scanning = vscode.commands.executeCommand('outlierLens.scanFolder', vscode.Uri.file(images));
    // With no detector yet, "Train a new detector on this folder" is the first item of the pick.
    await sleep(2000);
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await scanning;
    const resultSet = api.services.model.resultSet;
    assert.ok(resultSet);
    assert.strictEqual(resultSet.scoredCount, 200);
    assert.deepStrictEqual(resultSet.failuresByPath().map((failure) => failure.relativePath), ['notes.jpg']);
    const target = path.join(workspace, 'outliers.json');
    await vscode.commands.executeCommand('outlierLens.exportJson', vscode.Uri.file(target));
    const exported = JSON.parse(fs.readFileSync(target, 'utf8')) as unknown;
    assert.deepStrictEqual(validateOutlierExport(exported), []);
  });
});
