// Activates the real extension (source) against the fake `vscode`, in a fresh temporary workspace.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { activate, deactivate } from '../../../src/extension/extension';
import type { OutlierLensApi } from '../../../src/extension/extension';
import { FakeMemento, fake, Uri } from '../fakeVscode/fakeVscode';

/** The repository root: the extension's folder (package.json, dist/engine.js, media/). */
export const EXTENSION_ROOT = path.resolve(__dirname, '../../..');

/** An activated extension and its temporary workspace. */
export interface HostFixture {
  readonly api: OutlierLensApi;
  readonly workspace: string;
  readonly storage: string;
  /** The extension's workspaceState. */
  readonly workspaceState: FakeMemento;
  readonly subscriptions: Array<{ dispose(): unknown }>;
  /** Deactivates and disposes, as VS Code does on shutdown. */
  close(): void;
}

/** Temporary folders this test run made; removed when the run ends. */
const createdFolders: string[] = [];
process.once('exit', () => {
  for (const folder of createdFolders) fs.rmSync(folder, { recursive: true, force: true });
});

/** A fresh temporary folder, removed when the test run ends. */
export function tempFolder(prefix: string): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), `outlier-lens-${prefix}-`));
  createdFolders.push(folder);
  return folder;
}

/** Activates the extension with a workspace folder and settings; pass `workspaceState` to play a reload of the same workspace. */
export function activateExtension(settings: Record<string, unknown> = {}, workspace = tempFolder('workspace'), workspaceState = new FakeMemento()): HostFixture {
  fake.reset();
  fake.workspaceFolders = [workspace];
  for (const [key, value] of Object.entries(settings)) fake.settings.set(`outlierLens.${key}`, value);
  const storage = tempFolder('storage');
  const subscriptions: Array<{ dispose(): unknown }> = [];
  const packageJSON = JSON.parse(fs.readFileSync(path.join(EXTENSION_ROOT, 'package.json'), 'utf8')) as unknown;
  const context = {
    subscriptions,
    extensionUri: Uri.file(EXTENSION_ROOT),
    extensionPath: EXTENSION_ROOT,
    asAbsolutePath: (relative: string) => path.join(EXTENSION_ROOT, relative),
    storageUri: Uri.file(path.join(storage, 'workspace')),
    globalStorageUri: Uri.file(path.join(storage, 'global')),
    workspaceState,
    extension: { packageJSON },
  };
  const api = activate(context as unknown as Parameters<typeof activate>[0]);
  return {
    api,
    workspace,
    storage,
    workspaceState,
    subscriptions,
    close: () => {
      deactivate();
      for (const subscription of subscriptions) subscription.dispose();
    },
  };
}

/** Resolves when `condition()` holds, polling; rejects after `timeoutMs`. */
export async function waitFor(condition: () => boolean, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Is a process with `pid` alive? */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
