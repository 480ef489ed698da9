/** Inputs of the panel page; in VS Code `cspSource` is `webview.cspSource` and the URIs come from `asWebviewUri`. */
export interface PanelHtmlOptions {
  readonly cspSource: string;
  readonly nonce: string;
  readonly scriptUri: string;
  readonly styleUri: string;
  /** Test only: scripts that must run before the webview's (the fake host). */
  readonly preludeScriptUris?: readonly string[];
  /** Test only: a stylesheet with the theme variables VS Code would inject, and the body class. */
  readonly themeStyleUri?: string;
  readonly bodyClass?: string;
  /** Test only: leave the webview's script out (benchmark baseline). */
  readonly omitScript?: boolean;
}

/** The page the host serves, exactly as webview/index.html.md documents it (plus the test's prelude). */
export function panelHtml(options: PanelHtmlOptions): string {
  const { cspSource, nonce } = options;
  const csp = `default-src 'none'; img-src ${cspSource} blob: data:; style-src ${cspSource}; script-src 'nonce-${nonce}'; font-src ${cspSource};`;
  const theme = options.themeStyleUri ? `\n    <link id="fake-theme" rel="stylesheet" href="${options.themeStyleUri}">` : '';
  const prelude = (options.preludeScriptUris ?? []).map((uri) => `\n    <script nonce="${nonce}" src="${uri}"></script>`).join('');
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${csp}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">${theme}
    <link rel="stylesheet" href="${options.styleUri}">
    <title>Outlier Lens</title>
  </head>
  <body class="${options.bodyClass ?? 'vscode-dark'}">
    <div id="app" role="application" aria-label="Outlier Lens"></div>${prelude}
${options.omitScript ? '' : `    <script nonce="${nonce}" src="${options.scriptUri}"></script>\n`}  </body>
</html>
`;
}
