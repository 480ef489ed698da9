// The `vscode` module as the host tests see it: enough of the API for Outlier Lens, with a `fake`
// controller through which tests script the user and read what the extension did.
import * as path from 'path';
import { CancellationTokenSource, ConfigurationTarget, Disposable, EventEmitter, FakeMemento, FileDecoration, ProgressLocation, QuickPickItemKind, RelativePattern, StatusBarAlignment, ThemeColor, Uri, ViewColumn } from './basics';
import { fakeClipboard, fileSystem, FileSystemError, FileType } from './fakeFileSystem';
import { FakeUi } from './fakeUi';
import type { PickItem, ShownMessage } from './fakeUi';
import { FakeWebviewPanel, FakeWebviewView } from './fakeWebview';

export { FileSystemError, FileType };
export { CancellationTokenSource, ConfigurationTarget, Disposable, EventEmitter, FakeMemento, FileDecoration, ProgressLocation, QuickPickItemKind, RelativePattern, StatusBarAlignment, ThemeColor, Uri, ViewColumn };

type CommandHandler = (...args: unknown[]) => unknown;

/** A progress notification the extension opened. */
export interface FakeProgress {
  readonly title: string;
  readonly cancellable: boolean;
  readonly reports: Array<{ message?: string; increment?: number }>;
  readonly cancellation: CancellationTokenSource;
  done: boolean;
}

/** A file system watcher the extension created; `fire` plays a change on disk. */
export interface FakeFileSystemWatcher {
  readonly pattern: RelativePattern;
  disposed: boolean;
  fire(kind: 'create' | 'change' | 'delete', uri: Uri): void;
}

/** A file decoration provider the extension registered (the Explorer asks it for badges). */
export interface FakeFileDecorationProvider {
  provideFileDecoration(uri: Uri): FileDecoration | undefined;
  onDidChangeFileDecorations?: (listener: (uris: Uri | Uri[] | undefined) => void) => Disposable;
}

/** A status bar item. */
export interface FakeStatusBarItem {
  text: string;
  tooltip: unknown;
  command: unknown;
  name: string;
  visible: boolean;
}

const configChanged = new EventEmitter<{ affectsConfiguration(section: string): boolean }>();
const trustGranted = new EventEmitter<void>();

/** The test's handle on the fake. */
export const fake = {
  ui: new FakeUi(),
  commands: new Map<string, CommandHandler>(),
  /** Commands the extension ran that it does not own ('vscode.open', 'revealInExplorer', …). */
  externalCommands: [] as Array<{ id: string; args: unknown[] }>,
  settings: new Map<string, unknown>(),
  trusted: true,
  workspaceFolders: [] as string[],
  panels: [] as FakeWebviewPanel[],
  viewProviders: new Map<string, { resolveWebviewView(view: FakeWebviewView): void }>(),
  progress: [] as FakeProgress[],
  watchers: [] as FakeFileSystemWatcher[],
  /** Values the extension gave `setContext`, by key (the `when` clauses read them). */
  context: new Map<string, unknown>(),
  statusBarItems: [] as FakeStatusBarItem[],
  outputLines: [] as string[],
  decorationProviders: [] as FakeFileDecorationProvider[],

  /** Resets everything a test may have changed. */
  reset(): void {
    this.ui.reset();
    this.commands.clear();
    this.externalCommands.length = 0;
    this.settings.clear();
    this.trusted = true;
    this.workspaceFolders = [];
    this.panels.length = 0;
    this.viewProviders.clear();
    this.progress.length = 0;
    this.watchers.length = 0;
    this.context.clear();
    this.statusBarItems.length = 0;
    this.outputLines.length = 0;
    this.decorationProviders.length = 0;
  },

  /** Sets `outlierLens.<key>` (or any full key) and tells the extension. */
  setSetting(key: string, value: unknown): void {
    this.settings.set(key, value);
    configChanged.fire({ affectsConfiguration: (section: string) => key === section || key.startsWith(`${section}.`) });
  },

  /** Opens the side view: VS Code resolves the provider when the view becomes visible. */
  resolveView(id: string): FakeWebviewView {
    const provider = this.viewProviders.get(id);
    if (!provider) throw new Error(`no webview view provider for ${id}`);
    const view = new FakeWebviewView(id);
    provider.resolveWebviewView(view);
    return view;
  },

  grantTrust(): void {
    this.trusted = true;
    trustGranted.fire();
  },
};

function workspaceFolderObjects(): Array<{ uri: Uri; name: string; index: number }> {
  return fake.workspaceFolders.map((folder, index) => ({ uri: Uri.file(folder), name: path.basename(folder), index }));
}

export const commands = {
  registerCommand(id: string, handler: CommandHandler): Disposable {
    if (fake.commands.has(id)) throw new Error(`command ${id} already registered`);
    fake.commands.set(id, handler);
    return new Disposable(() => fake.commands.delete(id));
  },
  async executeCommand(id: string, ...args: unknown[]): Promise<unknown> {
    const handler = fake.commands.get(id);
    if (handler) return handler(...args);
    if (id === 'setContext') {
      fake.context.set(args[0] as string, args[1]);
      return undefined;
    }
    fake.externalCommands.push({ id, args });
    return undefined;
  },
  async getCommands(): Promise<string[]> {
    return [...fake.commands.keys()];
  },
};

function showMessage(level: ShownMessage['level']) {
  return (message: string, ...items: unknown[]): Promise<string | undefined> => {
    const buttons = items.filter((item): item is string => typeof item === 'string');
    const shown = { level, message, items: buttons };
    fake.ui.messages.push(shown);
    return Promise.resolve(fake.ui.messageAnswer(shown));
  };
}

export const window = {
  createOutputChannel(name: string): { name: string; appendLine(line: string): void; append(text: string): void; show(): void; clear(): void; dispose(): void } {
    return { name, appendLine: (line) => fake.outputLines.push(line), append: (text) => fake.outputLines.push(text), show: () => undefined, clear: () => undefined, dispose: () => undefined };
  },
  createStatusBarItem(_id: string, _alignment?: StatusBarAlignment, _priority?: number): FakeStatusBarItem & { show(): void; hide(): void; dispose(): void } {
    const item = { text: '', tooltip: undefined as unknown, command: undefined as unknown, name: '', visible: false, show: () => { item.visible = true; }, hide: () => { item.visible = false; }, dispose: () => { item.visible = false; } };
    fake.statusBarItems.push(item);
    return item;
  },
  async showQuickPick(items: readonly PickItem[] | Promise<readonly PickItem[]>, options?: { title?: string; canPickMany?: boolean }): Promise<PickItem | PickItem[] | undefined> {
    const resolved = await items;
    fake.ui.shownQuickPicks.push({ items: resolved, title: options?.title });
    const answer = fake.ui.quickPicks.shift();
    if (!answer) throw new Error(`unexpected quick pick "${options?.title}"`);
    const picked = answer(resolved, options?.title);
    // A multi-select pick resolves with the items picked, as VS Code's does.
    return options?.canPickMany ? (picked ? [picked] : undefined) : picked;
  },
  async showOpenDialog(): Promise<Uri[] | undefined> {
    if (fake.ui.openDialogs.length === 0) throw new Error('unexpected open dialog');
    const answer = fake.ui.openDialogs.shift();
    return answer === undefined ? undefined : [Uri.file(answer)];
  },
  async showSaveDialog(options?: { defaultUri?: Uri; title?: string }): Promise<Uri | undefined> {
    fake.ui.shownSaveDialogs.push({ defaultPath: options?.defaultUri?.fsPath, title: options?.title });
    if (fake.ui.saveDialogs.length === 0) throw new Error('unexpected save dialog');
    const answer = fake.ui.saveDialogs.shift();
    return answer === undefined ? undefined : Uri.file(answer);
  },
  showInformationMessage: showMessage('info'),
  showWarningMessage: showMessage('warning'),
  showErrorMessage: showMessage('error'),
  async withProgress<T>(options: { title?: string; cancellable?: boolean; location: ProgressLocation }, task: (progress: { report(value: { message?: string; increment?: number }): void }, token: CancellationTokenSource['token']) => Promise<T>): Promise<T> {
    const entry: FakeProgress = { title: options.title ?? '', cancellable: Boolean(options.cancellable), reports: [], cancellation: new CancellationTokenSource(), done: false };
    fake.progress.push(entry);
    try {
      return await task({ report: (value) => entry.reports.push(value) }, entry.cancellation.token);
    } finally {
      entry.done = true;
    }
  },
  registerWebviewViewProvider(id: string, provider: { resolveWebviewView(view: FakeWebviewView): void }): Disposable {
    fake.viewProviders.set(id, provider);
    return new Disposable(() => fake.viewProviders.delete(id));
  },
  registerFileDecorationProvider(provider: FakeFileDecorationProvider): Disposable {
    fake.decorationProviders.push(provider);
    return new Disposable(() => fake.decorationProviders.splice(fake.decorationProviders.indexOf(provider), 1));
  },
  createWebviewPanel(viewType: string, title: string, showOptions: unknown, options: unknown): FakeWebviewPanel {
    const panel = new FakeWebviewPanel(viewType, title, showOptions, options);
    fake.panels.push(panel);
    return panel;
  },
};

export const workspace = {
  get isTrusted(): boolean {
    return fake.trusted;
  },
  get workspaceFolders(): Array<{ uri: Uri; name: string; index: number }> | undefined {
    const folders = workspaceFolderObjects();
    return folders.length > 0 ? folders : undefined;
  },
  getWorkspaceFolder(uri: Uri): { uri: Uri; name: string; index: number } | undefined {
    return workspaceFolderObjects().find((folder) => {
      const relative = path.relative(folder.uri.fsPath, uri.fsPath);
      return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
    });
  },
  getConfiguration(section: string) {
    const full = (key: string): string => `${section}.${key}`;
    return {
      get<T>(key: string, fallback?: T): T | undefined {
        return fake.settings.has(full(key)) ? (fake.settings.get(full(key)) as T) : fallback;
      },
      inspect<T>(key: string): { key: string; workspaceValue?: T; globalValue?: T } {
        return { key: full(key), globalValue: fake.settings.get(full(key)) as T | undefined };
      },
      async update(key: string, value: unknown, _target?: ConfigurationTarget): Promise<void> {
        fake.setSetting(full(key), value);
      },
    };
  },
  asRelativePath(pathOrUri: string | Uri): string {
    const fsPath = typeof pathOrUri === 'string' ? pathOrUri : pathOrUri.fsPath;
    const folder = workspace.getWorkspaceFolder(Uri.file(fsPath));
    return folder ? path.relative(folder.uri.fsPath, fsPath).split(path.sep).join('/') : fsPath;
  },
  createFileSystemWatcher(pattern: RelativePattern): FakeFileSystemWatcher & { onDidCreate: EventEmitter<Uri>['event']; onDidChange: EventEmitter<Uri>['event']; onDidDelete: EventEmitter<Uri>['event']; dispose(): void } {
    const emitters = { create: new EventEmitter<Uri>(), change: new EventEmitter<Uri>(), delete: new EventEmitter<Uri>() };
    const watcher = {
      pattern,
      disposed: false,
      onDidCreate: emitters.create.event,
      onDidChange: emitters.change.event,
      onDidDelete: emitters.delete.event,
      fire: (kind: 'create' | 'change' | 'delete', uri: Uri) => emitters[kind].fire(uri),
      dispose: () => {
        watcher.disposed = true;
      },
    };
    fake.watchers.push(watcher);
    return watcher;
  },
  onDidChangeConfiguration: configChanged.event,
  onDidGrantWorkspaceTrust: trustGranted.event,
  fs: fileSystem,
};

export const env = { language: 'en', appName: 'Fake Code', clipboard: fakeClipboard };
