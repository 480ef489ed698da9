// Explorer badges on folders marked as inliers or outliers, through the real extension's commands:
// the badge appears with the mark, changes with it, goes when it is cleared, and comes back after a reload.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { FakeFileDecorationProvider } from './fakeVscode/fakeVscode';
import { commands, fake, Uri } from './fakeVscode/fakeVscode';
import type { HostFixture } from './support/hostFixture';
import { activateExtension } from './support/hostFixture';

describe('Explorer badges on marked folders', () => {
  let fixture: HostFixture;
  let fashion: string;
  let mnist: string;
  const changes: string[][] = [];

  before(() => {
    fixture = activateExtension();
    fashion = path.join(fixture.workspace, 'data', 'fashion');
    mnist = path.join(fixture.workspace, 'data', 'mnist');
    for (const folder of [fashion, mnist]) fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(fashion, '00000.png'), '');
    provider().onDidChangeFileDecorations?.((uris) => changes.push((Array.isArray(uris) ? uris : uris ? [uris] : []).map((uri) => uri.fsPath).sort()));
  });

  after(() => fixture.close());

  const provider = (): FakeFileDecorationProvider => {
    assert.strictEqual(fake.decorationProviders.length, 1, 'one decoration provider registered');
    return fake.decorationProviders[0];
  };
  const badgeOf = (folder: string): { badge?: string; tooltip?: string; color?: string } | undefined => {
    const decoration = provider().provideFileDecoration(Uri.file(folder));
    return decoration && { badge: decoration.badge, tooltip: decoration.tooltip, color: decoration.color?.id };
  };

  it('shows no badge before anything is marked', () => {
    assert.strictEqual(badgeOf(fashion), undefined);
    assert.strictEqual(badgeOf(mnist), undefined);
  });

  it('badges a folder marked as inliers with I and one marked as outliers with O, each with its tooltip, and not the files in them', async () => {
    await commands.executeCommand('outlierLens.markFolderInliers', Uri.file(fashion), [Uri.file(fashion)]);
    await commands.executeCommand('outlierLens.markFolderOutliers', Uri.file(mnist), [Uri.file(mnist)]);
    assert.deepStrictEqual(badgeOf(fashion), { badge: 'I', tooltip: 'Outlier Lens: marked as inliers', color: 'testing.iconPassed' });
    assert.deepStrictEqual(badgeOf(mnist), { badge: 'O', tooltip: 'Outlier Lens: marked as outliers', color: 'testing.iconFailed' });
    assert.strictEqual(badgeOf(path.join(fashion, '00000.png')), undefined, 'a file inside takes no badge');
    assert.strictEqual(badgeOf(path.dirname(fashion)), undefined, 'nor the folder above');
    assert.deepStrictEqual(changes, [[fashion], [mnist]], 'the Explorer is told of each folder as it is marked');
  });

  it('changes the badge when the mark changes and removes it when the mark is cleared, telling the Explorer each time', async () => {
    changes.length = 0;
    await commands.executeCommand('outlierLens.markFolderInliers', Uri.file(mnist), [Uri.file(mnist)]);
    assert.strictEqual(badgeOf(mnist)?.badge, 'I');
    await commands.executeCommand('outlierLens.clearFolderLabel', Uri.file(fashion), [Uri.file(fashion)]);
    assert.strictEqual(badgeOf(fashion), undefined);
    assert.deepStrictEqual(changes, [[mnist], [fashion]]);
  });

  it('shows the kept marks\' badges after a reload', () => {
    const state = fixture.workspaceState;
    fixture.close();
    fixture = activateExtension({}, fixture.workspace, state);
    assert.deepStrictEqual(badgeOf(mnist), { badge: 'I', tooltip: 'Outlier Lens: marked as inliers', color: 'testing.iconPassed' });
    assert.strictEqual(badgeOf(fashion), undefined);
  });
});
