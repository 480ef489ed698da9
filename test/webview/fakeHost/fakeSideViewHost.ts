/**
 * A stand-in for the extension host in front of the side view, loaded before dist/sideView.js: it
 * implements `acquireVsCodeApi()`, records what the view posts and lets the test push states.
 */
import type { FromSideViewMessage } from '../../../src/protocol/sideView';
import type { VsCodeApi } from '../../../webview/messaging/vscodeApi';
import type {} from './fakeSideViewHostApi';

const posted: FromSideViewMessage[] = [];
const violations: string[] = [];
document.addEventListener('securitypolicyviolation', (event) => violations.push(`${event.violatedDirective} ${event.blockedURI}`));

let acquired = false;
const api: VsCodeApi<unknown> = {
  // Structured clone, as VS Code's postMessage does: the test sees what the host would receive.
  postMessage: (message) => posted.push(structuredClone(message) as FromSideViewMessage),
  getState: () => undefined,
  setState: (state) => state,
};
Object.assign(window, {
  acquireVsCodeApi(): VsCodeApi<unknown> {
    if (acquired) throw new Error('An instance of the VS Code API has already been acquired');
    acquired = true;
    return api;
  },
});
window.__sideViewHost = { posted, violations, push: (message) => window.postMessage(message, '*') };
