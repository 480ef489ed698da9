/** Inputs of the side view page. */
export interface SideViewHtmlInputs {
  readonly cspSource: string;
  readonly nonce: string;
  /** @vscode-elements/elements' bundle (an ES module). */
  readonly elementsUri: string;
  /** dist/sideView.js, built from webview/sideView/. */
  readonly scriptUri: string;
}

/**
 * The side view's page: static markup the host builds, vscode-elements for native-looking
 * controls, and one small nonce'd script that fills in the state and posts the user's actions.
 */
export function sideViewHtml({ cspSource, nonce, elementsUri, scriptUri }: SideViewHtmlInputs): string {
  const csp = `default-src 'none'; img-src ${cspSource} data:; style-src ${cspSource} 'nonce-${nonce}'; font-src ${cspSource}; script-src 'nonce-${nonce}';`;
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${csp}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    <style nonce="${nonce}">
      body { padding: 4px 12px; font-size: var(--vscode-font-size); }
      .facts { margin: 4px 0 10px; line-height: 1.6; }
      .facts dt { opacity: .75; float: left; clear: left; width: 6.5em; }
      .facts dd { margin-left: 6.5em; overflow-wrap: anywhere; }
      .row { display: flex; gap: 6px; align-items: center; margin: 6px 0; }
      .row > * { flex: 1; }
      .buttons { display: grid; gap: 6px; margin-top: 10px; }
      .note { opacity: .8; font-size: .9em; }
      .error { padding: 2px 6px; color: var(--vscode-inputValidation-errorForeground, inherit); background: var(--vscode-inputValidation-errorBackground); border: 1px solid var(--vscode-inputValidation-errorBorder); }
      [hidden] { display: none !important; }
    </style>
    <title>Outlier Lens</title>
  </head>
  <body>
    <p id="restricted" class="note" hidden>Restricted Mode: training and workspace detectors are off until you trust this workspace.</p>
    <dl class="facts">
      <dt>Detector</dt><dd id="detector">none yet</dd>
      <dt>Folder</dt><dd id="folder">—</dd>
      <dt>Images</dt><dd id="counts">—</dd>
      <dt class="ground-truth" hidden>Labels</dt><dd id="ground-truth" class="ground-truth" hidden></dd>
      <dt>Backend</dt><dd id="backend">—</dd>
    </dl>
    <vscode-label for="threshold-method">Threshold</vscode-label>
    <div class="row">
      <vscode-single-select id="threshold-method" aria-label="Threshold method">
        <vscode-option value="percentile">Percentile</vscode-option>
        <vscode-option value="absolute">Score</vscode-option>
        <vscode-option value="fpr">False-positive rate %</vscode-option>
      </vscode-single-select>
      <vscode-textfield id="threshold-value" type="text" spellcheck="false" aria-label="Threshold value"></vscode-textfield>
    </div>
    <div class="note" id="threshold-note"></div>
    <div class="error" id="threshold-error" role="alert" hidden></div>
    <div class="row"><vscode-button id="threshold-reset" secondary>Reset to the detector's threshold</vscode-button></div>
    <div class="buttons">
      <vscode-button data-command="outlierLens.scanFolder">Scan Folder…</vscode-button>
      <vscode-button data-command="outlierLens.openResults" secondary>Open Results</vscode-button>
      <vscode-button data-command="outlierLens.exportJson" secondary>Export JSON</vscode-button>
      <vscode-button data-command="outlierLens.exportCsv" secondary>Export CSV</vscode-button>
      <vscode-button data-command="outlierLens.cancel" secondary id="cancel" hidden>Cancel</vscode-button>
    </div>
    <script type="module" nonce="${nonce}" src="${elementsUri}"></script>
    <script nonce="${nonce}" src="${scriptUri}"></script>
  </body>
</html>
`;
}
