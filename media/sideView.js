// @ts-check
// The Outlier Lens side view's only script: renders the host's state and posts the user's actions.
/* global acquireVsCodeApi, document, window */
// The host builds the markup (src/extension/sideView/sideViewHtml.ts) and checks every message.
(function () {
  const vscode = acquireVsCodeApi();
  const byId = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
  const method = /** @type {HTMLInputElement} */ (/** @type {unknown} */ (byId('threshold-method')));
  const value = /** @type {HTMLInputElement} */ (/** @type {unknown} */ (byId('threshold-value')));
  let editing = false;

  function render(state) {
    byId('restricted').hidden = state.trusted;
    byId('detector').textContent = state.detector ?? 'none yet';
    byId('folder').textContent = state.folder ?? '—';
    byId('counts').textContent = state.folder ? `${state.scored} scored · ${state.outliers} outliers · ${state.failed} unreadable${state.marked ? ` · ${state.marked} marked` : ''}` : '—';
    byId('backend').textContent = state.backend;
    const truth = state.groundTruth;
    for (const node of document.querySelectorAll('.ground-truth')) /** @type {HTMLElement} */ (node).hidden = !truth;
    byId('ground-truth').textContent = truth ? `${truth.inliers} inliers · ${truth.outliers} outliers${truth.auroc === null ? '' : ` · AUROC ${truth.auroc.toFixed(3)}`}` : '';
    byId('cancel').hidden = !state.running;
    if (state.threshold && !editing) {
      const percentile = state.threshold.method === 'percentile';
      method.value = percentile ? 'percentile' : 'absolute';
      value.value = String(percentile ? state.threshold.percentile : Number(state.threshold.value.toFixed(4)));
      byId('threshold-note').textContent = percentile ? `score > ${state.threshold.value.toFixed(3)}` : state.threshold.method === 'fpr' ? `set for FPR ${state.threshold.fpr}` : '';
    }
  }

  function postThreshold() {
    const number = Number(value.value);
    if (value.value !== '' && Number.isFinite(number)) {
      vscode.postMessage({ type: 'setThreshold', method: method.value === 'percentile' ? 'percentile' : 'absolute', value: number });
    }
  }

  value.addEventListener('focus', () => (editing = true));
  value.addEventListener('blur', () => (editing = false));
  value.addEventListener('change', postThreshold);
  method.addEventListener('change', postThreshold);
  for (const button of document.querySelectorAll('[data-command]')) {
    button.addEventListener('click', () => vscode.postMessage({ type: 'run', command: button.getAttribute('data-command') }));
  }
  window.addEventListener('message', (event) => {
    if (event.data && event.data.type === 'state') render(event.data);
  });
  vscode.postMessage({ type: 'ready' });
})();
