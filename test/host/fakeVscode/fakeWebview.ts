// Webview panels and views that record what the host posts and let a test play the webview.
import { Disposable, EventEmitter } from './basics';
import type { Uri } from './basics';

/** Like vscode.Webview: records posts; `send` plays a message from the page. */
export class FakeWebview {
  html = '';
  options: unknown = {};
  readonly cspSource = 'https://fake.vscode-cdn.net';
  readonly posted: unknown[] = [];
  private readonly received = new EventEmitter<unknown>();
  readonly onDidReceiveMessage = this.received.event;
  /** Called on each post (tests wait on it). */
  onPost: ((message: unknown) => void) | null = null;

  asWebviewUri(uri: Uri): { toString(): string } {
    return { toString: () => `https://file+.vscode-resource.fake${uri.path}` };
  }

  postMessage(message: unknown): Promise<boolean> {
    // Structured clone, as VS Code does: typed arrays survive, functions would not.
    const cloned = structuredClone(message);
    this.posted.push(cloned);
    this.onPost?.(cloned);
    return Promise.resolve(true);
  }

  /** The page posts `message` to the host. */
  send(message: unknown): void {
    this.received.fire(structuredClone(message));
  }

  /** Posted messages of one type. */
  ofType<T>(type: string): T[] {
    return this.posted.filter((message) => (message as { type?: string }).type === type) as T[];
  }
}

/** Like vscode.WebviewPanel. */
export class FakeWebviewPanel {
  readonly webview = new FakeWebview();
  iconPath: unknown;
  visible = true;
  disposed = false;
  private readonly disposeEmitter = new EventEmitter<void>();
  private readonly viewStateEmitter = new EventEmitter<unknown>();
  readonly onDidDispose = this.disposeEmitter.event;
  readonly onDidChangeViewState = this.viewStateEmitter.event;

  constructor(readonly viewType: string, public title: string, readonly showOptions: unknown, options: unknown) {
    this.webview.options = options;
  }

  reveal(): void {
    this.visible = true;
  }

  dispose(): void {
    if (!this.disposed) {
      this.disposed = true;
      this.disposeEmitter.fire();
    }
  }
}

/** Like vscode.WebviewView. */
export class FakeWebviewView {
  readonly webview = new FakeWebview();
  visible = true;
  private readonly disposeEmitter = new EventEmitter<void>();
  readonly onDidDispose = this.disposeEmitter.event;
  readonly onDidChangeVisibility = new EventEmitter<void>().event;

  constructor(readonly viewType: string) {}

  dispose(): Disposable {
    this.disposeEmitter.fire();
    return new Disposable(() => undefined);
  }
}
