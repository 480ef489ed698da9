import type { FromWebviewMessage, ScoresSnapshot, ToWebviewMessage } from '../../../src/protocol/webview';

/** The test-facing handle the fake host puts on `window.__fakeHost`. */
export interface FakeHostHandle {
  /** Every message the webview posted, in order. */
  readonly posted: FromWebviewMessage[];
  /** CSP violations the page reported (there must be none). */
  readonly violations: string[];
  /** Post a message to the webview as the extension host would (e.g. `setThreshold`). */
  push(message: ToWebviewMessage): void;
  /** Post the fixture's snapshot again with some fields replaced (a later revision, another scan, labels). */
  pushSnapshot(patch: Partial<Omit<ScoresSnapshot, 'type'>>): void;
  /** Switch the VS Code theme: swaps the variables stylesheet, then the body class. */
  setTheme(theme: FakeTheme): Promise<void>;
  /** The state the webview saved last (what `getState` returns after a reload). */
  savedState(): unknown;
}

/** The themes the harness can show. */
export type FakeTheme = 'dark' | 'light' | 'high-contrast';

declare global {
  interface Window {
    __fakeHost?: FakeHostHandle;
    /** Thumbnail PNG data URIs, generated in Node and served as a script before the fake host. */
    __fixtureThumbnails?: string[];
  }
}
