import type { FromSideViewMessage, ToSideViewMessage } from '../../../src/protocol/sideView';

/** The test-facing handle on `window.__sideViewHost`. */
export interface FakeSideViewHostHandle {
  /** Every message the side view posted, in order. */
  readonly posted: FromSideViewMessage[];
  /** CSP violations the page reported (there must be none). */
  readonly violations: string[];
  /** Post a message to the side view as the host would. */
  push(message: ToSideViewMessage): void;
}

declare global {
  interface Window {
    __sideViewHost?: FakeSideViewHostHandle;
  }
}
