// Plain VS Code API types the fake needs: Uri, events, disposables, enums.
import * as path from 'path';

/** A file URI like vscode.Uri (only the file scheme is used by the extension). */
export class Uri {
  private constructor(readonly scheme: string, readonly fsPath: string) {}

  get path(): string {
    return this.fsPath.split(path.sep).join('/');
  }

  static file(fsPath: string): Uri {
    return new Uri('file', path.resolve(fsPath));
  }

  static joinPath(base: Uri, ...segments: string[]): Uri {
    return new Uri(base.scheme, path.join(base.fsPath, ...segments));
  }

  static parse(value: string): Uri {
    return new Uri('file', value.replace(/^file:\/\//, ''));
  }

  with(): Uri {
    return this;
  }

  toString(): string {
    return `${this.scheme}://${this.path}`;
  }
}

/** Like vscode.Disposable. */
export class Disposable {
  constructor(private readonly onDispose: () => void) {}

  static from(...items: Array<{ dispose(): unknown }>): Disposable {
    return new Disposable(() => items.forEach((item) => item.dispose()));
  }

  dispose(): void {
    this.onDispose();
  }
}

/** Like vscode.EventEmitter. */
export class EventEmitter<T> {
  private readonly listeners = new Set<(value: T) => void>();

  readonly event = (listener: (value: T) => void): Disposable => {
    this.listeners.add(listener);
    return new Disposable(() => this.listeners.delete(listener));
  };

  fire(value: T): void {
    for (const listener of [...this.listeners]) listener(value);
  }

  dispose(): void {
    this.listeners.clear();
  }
}

export enum ProgressLocation { SourceControl = 1, Window = 10, Notification = 15 }
export enum StatusBarAlignment { Left = 1, Right = 2 }
export enum ViewColumn { Active = -1, Beside = -2, One = 1 }
export enum ConfigurationTarget { Global = 1, Workspace = 2, WorkspaceFolder = 3 }
export enum QuickPickItemKind { Separator = -1, Default = 0 }

/** Like vscode.CancellationTokenSource. */
export class CancellationTokenSource {
  private readonly emitter = new EventEmitter<void>();
  readonly token = { isCancellationRequested: false, onCancellationRequested: this.emitter.event };

  cancel(): void {
    this.token.isCancellationRequested = true;
    this.emitter.fire();
  }
}

/** Like vscode.RelativePattern: a glob under a base folder. */
export class RelativePattern {
  readonly baseUri: Uri;

  constructor(base: Uri | string, readonly pattern: string) {
    this.baseUri = typeof base === 'string' ? Uri.file(base) : base;
  }
}

/** Like vscode.ThemeColor: a colour named by its theme id. */
export class ThemeColor {
  constructor(readonly id: string) {}
}

/** Like vscode.FileDecoration: an Explorer badge, its tooltip and colour. */
export class FileDecoration {
  propagate?: boolean;

  constructor(readonly badge?: string, readonly tooltip?: string, readonly color?: ThemeColor) {}
}

/** Like vscode.Memento (workspaceState / globalState), kept in memory. */
export class FakeMemento {
  private readonly values = new Map<string, unknown>();

  keys(): readonly string[] {
    return [...this.values.keys()];
  }

  get<T>(key: string, fallback?: T): T | undefined {
    // VS Code stores mementos as JSON: a caller never gets the object it stored.
    return this.values.has(key) ? (structuredClone(this.values.get(key)) as T) : fallback;
  }

  update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, structuredClone(value));
    return Promise.resolve();
  }
}
