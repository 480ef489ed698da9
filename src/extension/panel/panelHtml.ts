/** Inputs of the panel page: `cspSource` is `webview.cspSource`, the URIs come from `asWebviewUri`. */
export interface PanelHtmlInputs {
  readonly cspSource: string;
  readonly nonce: string;
  readonly scriptUri: string;
  readonly styleUri: string;
}

/** The panel's page as webview/index.html.md documents it: strict CSP, one nonce'd script, no inline code. */
export function panelHtml({ cspSource, nonce, scriptUri, styleUri }: PanelHtmlInputs): string {
  const csp = `default-src 'none'; img-src ${cspSource} blob: data:; style-src ${cspSource}; script-src 'nonce-${nonce}'; font-src ${cspSource};`;
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${csp}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    <link rel="stylesheet" href="${styleUri}">
    <title>Outlier Lens</title>
  </head>
  <body>
    <div id="app" role="application" aria-label="Outlier Lens"></div>
    <script nonce="${nonce}" src="${scriptUri}"></script>
  </body>
</html>
`;
}

/** A fresh nonce for one page load. */
export function createNonce(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let nonce = '';
  for (let i = 0; i < 32; i++) {
    nonce += alphabet.charAt(Math.floor(Math.random() * alphabet.length));
  }
  return nonce;
}
