// Run in a fresh process by bench:host: times require + activate() of the built dist/extension.js with the fake vscode.
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import '../test/host/fakeVscode/install';
import { FakeMemento, fake, Uri } from '../test/host/fakeVscode/fakeVscode';

const root = path.resolve(__dirname, '..');
fake.workspaceFolders = [root];
const context = {
  subscriptions: [] as Array<{ dispose(): unknown }>,
  extensionUri: Uri.file(root),
  extensionPath: root,
  asAbsolutePath: (relative: string) => path.join(root, relative),
  storageUri: Uri.file(path.join(os.tmpdir(), 'outlier-lens-bench-storage')),
  globalStorageUri: Uri.file(path.join(os.tmpdir(), 'outlier-lens-bench-storage')),
  extension: { packageJSON: { version: '0.0.0' } },
  workspaceState: new FakeMemento(),
  globalState: new FakeMemento(),
};
const started = performance.now();
// eslint-disable-next-line @typescript-eslint/no-require-imports -- timing the bundle's own load is the point.
const extension = require(path.join(root, 'dist', 'extension.js')) as { activate(context: unknown): unknown; deactivate(): void };
const loaded = performance.now();
extension.activate(context);
const activated = performance.now();
process.stdout.write(JSON.stringify({ requireMs: loaded - started, activateMs: activated - loaded, totalMs: activated - started }));
extension.deactivate();
for (const subscription of context.subscriptions) subscription.dispose();
