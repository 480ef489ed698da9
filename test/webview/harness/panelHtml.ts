import { panelHtml as productionPanelHtml, type PanelHtmlInputs } from '../../../src/extension/panel/panelHtml';

/** The production page's inputs plus what only the harness adds. */
export interface PanelHtmlOptions extends PanelHtmlInputs {
  /** Scripts that must run before the webview's (the fake host). */
  readonly preludeScriptUris?: readonly string[];
  /** A stylesheet with the theme variables VS Code would inject, and the body class it would set. */
  readonly themeStyleUri?: string;
  readonly bodyClass?: string;
  /** Leave the webview's script out (benchmark baseline). */
  readonly omitScript?: boolean;
}

/** Replaces the one `anchor` of `html`, or fails loudly when the production page no longer has it. */
function replaceOnce(html: string, anchor: string, replacement: string): string {
  const at = html.indexOf(anchor);
  if (at < 0 || html.indexOf(anchor, at + 1) >= 0) throw new Error(`harness: the panel's page (src/extension/panel/panelHtml.ts) has no single ${JSON.stringify(anchor)}`);
  return html.slice(0, at) + replacement + html.slice(at + anchor.length);
}

/**
 * The page the host serves, built by the host's own `panelHtml`, with what VS Code adds around a
 * webview (the theme's variables and body class) and the fake host's scripts before the webview's.
 */
export function panelHtml(options: PanelHtmlOptions): string {
  const { nonce } = options;
  let html = productionPanelHtml(options);
  const webviewScript = `    <script nonce="${nonce}" src="${options.scriptUri}"></script>\n`;
  const prelude = (options.preludeScriptUris ?? []).map((uri) => `    <script nonce="${nonce}" src="${uri}"></script>\n`).join('');
  html = replaceOnce(html, webviewScript, prelude + (options.omitScript ? '' : webviewScript));
  html = replaceOnce(html, '<body>', `<body class="${options.bodyClass ?? 'vscode-dark'}">`);
  if (options.themeStyleUri) {
    const stylesheet = `<link rel="stylesheet" href="${options.styleUri}">`;
    html = replaceOnce(html, stylesheet, `<link id="fake-theme" rel="stylesheet" href="${options.themeStyleUri}">\n    ${stylesheet}`);
  }
  return html;
}
