import { sideViewHtml } from '../../../src/extension/sideView/sideViewHtml';

/**
 * The side view's page as the host builds it (`sideViewHtml`), served from `origin`, with the fake
 * host's script run before the view's own.
 */
export function sideViewPageHtml(origin: string, nonce: string, fakeHostUri: string): string {
  const scriptUri = `${origin}/dist/sideView.js`;
  const html = sideViewHtml({ cspSource: origin, nonce, elementsUri: `${origin}/node_modules/@vscode-elements/elements/dist/bundled.js`, scriptUri });
  const viewScript = `<script nonce="${nonce}" src="${scriptUri}"></script>`;
  if (html.split(viewScript).length !== 2) throw new Error('harness: the side view page (src/extension/sideView/sideViewHtml.ts) has no single script tag for its own script');
  return html.replace(viewScript, `<script nonce="${nonce}" src="${fakeHostUri}"></script>\n    ${viewScript}`);
}
