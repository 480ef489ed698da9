// The side view's script: renders the host's state and posts the user's actions. The host builds
// the markup (src/extension/sideView/sideViewHtml.ts) and checks every message again.
import { parseThresholdInput } from '../../src/common/threshold/thresholdInput';
import type { ThresholdMethod } from '../../src/protocol/scanResults';
import type { FromSideViewMessage, SideViewCommand, SideViewState, ToSideViewMessage } from '../../src/protocol/sideView';
import { SIDE_VIEW_COMMANDS } from '../../src/protocol/sideView';
import type { VsCodeApi } from '../messaging/vscodeApi';
import { countsText, describeThreshold, groundTruthText, inputKindOf, isDetectorThreshold, thresholdFieldText, thresholdNote } from './sideViewText';

/** vscode-elements' single select and text field: custom elements with a string `value`. */
type ValueElement = HTMLElement & { value: string };

const vscode: VsCodeApi<unknown> = acquireVsCodeApi();
const post = (message: FromSideViewMessage): void => vscode.postMessage(message);

function byId<Element extends HTMLElement = HTMLElement>(id: string): Element {
  const element = document.getElementById(id);
  if (!element) throw new Error(`side view: the page has no #${id}`);
  return element as Element;
}

const method = byId<ValueElement>('threshold-method');
const field = byId<ValueElement>('threshold-value');
const reset = byId('threshold-reset');
const error = byId('threshold-error');
let editing = false;
let lastState: SideViewState | null = null;
/** Why the text typed last cannot be a threshold, found here before it reaches the host. */
let typedError: string | null = null;

function isMethod(value: string): value is ThresholdMethod {
  return value === 'absolute' || value === 'percentile' || value === 'fpr';
}

function showError(): void {
  const message = typedError ?? lastState?.thresholdError ?? null;
  error.hidden = message === null;
  error.textContent = message ?? '';
}

function render(state: SideViewState): void {
  lastState = state;
  byId('restricted').hidden = state.trusted;
  byId('detector').textContent = state.detector ?? 'none yet';
  byId('folder').textContent = state.folder ?? '—';
  byId('counts').textContent = countsText(state);
  byId('backend').textContent = state.backend;
  for (const node of document.querySelectorAll<HTMLElement>('.ground-truth')) node.hidden = !state.groundTruth;
  byId('ground-truth').textContent = groundTruthText(state);
  byId('cancel').hidden = !state.running;
  showError();
  const own = state.detectorThreshold;
  reset.toggleAttribute('disabled', !own || isDetectorThreshold(state));
  reset.title = own ? `The detector's threshold: ${describeThreshold(own)}` : '';
  if (state.threshold && !editing && !state.thresholdError && !typedError) {
    method.value = state.threshold.method;
    field.value = thresholdFieldText(state, state.threshold.method);
  }
  byId('threshold-note').textContent = thresholdNote(state);
}

/** A typed threshold goes to the host only when the shared rules accept it; otherwise the view says why at once. */
function submitThreshold(): void {
  if (!isMethod(method.value)) return;
  const parsed = parseThresholdInput(inputKindOf(method.value), field.value);
  typedError = parsed.ok ? null : parsed.message;
  showError();
  if (parsed.ok) post({ type: 'setThreshold', method: method.value, text: field.value });
}

function isSideViewCommand(command: string | null): command is SideViewCommand {
  return (SIDE_VIEW_COMMANDS as readonly (string | null)[]).includes(command);
}

field.addEventListener('focus', () => (editing = true));
field.addEventListener('blur', () => (editing = false));
field.addEventListener('change', submitThreshold);
// Another method shows the same threshold in its units; nothing moves until a value is typed.
method.addEventListener('change', () => {
  typedError = null;
  showError();
  if (lastState?.threshold && isMethod(method.value)) field.value = thresholdFieldText(lastState, method.value);
});
reset.addEventListener('click', () => {
  typedError = null;
  post({ type: 'resetThreshold' });
});
for (const button of document.querySelectorAll<HTMLElement>('[data-command]')) {
  const command = button.getAttribute('data-command');
  if (isSideViewCommand(command)) button.addEventListener('click', () => post({ type: 'run', command }));
}
window.addEventListener('message', (event: MessageEvent<ToSideViewMessage | null>) => {
  if (event.data?.type === 'state') render(event.data);
});
post({ type: 'ready' });
