// @ts-check
// The Outlier Lens side view's only script: renders the host's state and posts the user's actions.
/* global acquireVsCodeApi, document, window */
// The host builds the markup (src/extension/sideView/sideViewHtml.ts), checks every message and
// every typed threshold (the same checks as the panel's fields), and says why one is refused.
(function () {
  const vscode = acquireVsCodeApi();
  const byId = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
  const method = /** @type {HTMLInputElement} */ (/** @type {unknown} */ (byId('threshold-method')));
  const value = /** @type {HTMLInputElement} */ (/** @type {unknown} */ (byId('threshold-value')));
  const reset = byId('threshold-reset');
  let editing = false;
  let lastState = null;

  const round = (number) => String(Number(number.toFixed(4)));

  /** The threshold in the units of the method shown, from the host's readings. */
  function shownValue(state, shownMethod) {
    const readings = state.thresholdReadings;
    if (!readings) return '';
    if (shownMethod === 'percentile') return state.threshold.method === 'percentile' ? String(state.threshold.percentile) : round(readings.percentile);
    if (shownMethod === 'fpr') return state.threshold.method === 'fpr' ? round(100 * state.threshold.fpr) : readings.fprPercent === null ? '' : round(readings.fprPercent);
    return round(readings.score);
  }

  function describe(setting) {
    if (!setting) return '';
    if (setting.method === 'percentile') return `${setting.percentile}th percentile`;
    if (setting.method === 'fpr') return `false-positive rate ${round(100 * setting.fpr)} % on known inliers`;
    return `score ${round(setting.value)}`;
  }

  function render(state) {
    lastState = state;
    byId('restricted').hidden = state.trusted;
    byId('detector').textContent = state.detector ?? 'none yet';
    byId('folder').textContent = state.folder ?? '—';
    byId('counts').textContent = state.folder ? `${state.scored} scored · ${state.outliers} outliers · ${state.failed} unreadable${state.selected ? ` · ${state.selected} selected` : ''}` : '—';
    byId('backend').textContent = state.backend;
    const truth = state.groundTruth;
    for (const node of document.querySelectorAll('.ground-truth')) /** @type {HTMLElement} */ (node).hidden = !truth;
    byId('ground-truth').textContent = truth ? `${truth.inliers} inliers · ${truth.outliers} outliers${truth.auroc === null ? '' : ` · AUROC ${truth.auroc.toFixed(3)}`}` : '';
    byId('cancel').hidden = !state.running;
    const error = byId('threshold-error');
    error.hidden = !state.thresholdError;
    error.textContent = state.thresholdError ?? '';
    const own = state.detectorThreshold;
    const isOwn = !!own && !!state.threshold && own.method === state.threshold.method && own.value === state.threshold.value;
    reset.toggleAttribute('disabled', !own || isOwn);
    reset.title = own ? `The detector's threshold: ${describe(own)}` : '';
    if (state.threshold && !editing && !state.thresholdError) {
      method.value = state.threshold.method;
      value.value = shownValue(state, state.threshold.method);
    }
    const fpr = state.thresholdReadings && state.thresholdReadings.fprPercent !== null ? ` · FPR ${state.thresholdReadings.fprPercent.toFixed(1)} % on known inliers` : '';
    byId('threshold-note').textContent = state.threshold ? `Outlier ⇔ score > ${state.threshold.value.toFixed(3)}${fpr}` : '';
  }

  function postThreshold() {
    vscode.postMessage({ type: 'setThreshold', method: method.value, text: value.value });
  }

  value.addEventListener('focus', () => (editing = true));
  value.addEventListener('blur', () => (editing = false));
  value.addEventListener('change', postThreshold);
  // Another method shows the same threshold in its units; nothing moves until a value is typed.
  method.addEventListener('change', () => {
    if (lastState && lastState.threshold) value.value = shownValue(lastState, method.value);
  });
  reset.addEventListener('click', () => vscode.postMessage({ type: 'resetThreshold' }));
  for (const button of document.querySelectorAll('[data-command]')) {
    button.addEventListener('click', () => vscode.postMessage({ type: 'run', command: button.getAttribute('data-command') }));
  }
  window.addEventListener('message', (event) => {
    if (event.data && event.data.type === 'state') render(event.data);
  });
  vscode.postMessage({ type: 'ready' });
})();
