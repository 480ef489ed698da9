/** The object VS Code gives a webview once through `acquireVsCodeApi()`. */
export interface VsCodeApi<State> {
  /** Post a message to the extension host (structured clone: typed arrays travel as they are). */
  postMessage(message: unknown): void;
  /** The state saved with `setState`, which survives the webview being hidden or reloaded. */
  getState(): State | undefined;
  setState(state: State): State;
}

declare global {
  /** Injected by VS Code (or the test's fake host) before any webview script runs; callable once. */
  function acquireVsCodeApi<State = unknown>(): VsCodeApi<State>;
}
