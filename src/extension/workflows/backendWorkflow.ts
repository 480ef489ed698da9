import * as vscode from 'vscode';
import type { BackendChoice } from '../../protocol/detector';
import { readSettings } from '../settings/settings';

/** What each backend choice means, for the quick pick. */
const BACKEND_ITEMS: ReadonlyArray<vscode.QuickPickItem & { choice: BackendChoice }> = [
  { label: 'auto', description: 'the first that works: webgpu → tensorflow → wasm → cpu', choice: 'auto' },
  { label: 'webgpu', description: 'GPU through Dawn (Vulkan, Metal or D3D12)', choice: 'webgpu' },
  { label: 'tensorflow', description: 'libtensorflow (needs @tensorflow/tfjs-node or -node-gpu installed)', choice: 'tensorflow' },
  { label: 'wasm', description: 'CPU, WebAssembly with XNNPACK and SIMD', choice: 'wasm' },
  { label: 'cpu', description: 'CPU, plain JavaScript (slowest, always works)', choice: 'cpu' },
];

/** Select Compute Backend: writes `outlierLens.backend` where it is set (workspace or user); the engine restarts on it for the next job. */
export async function selectComputeBackend(): Promise<BackendChoice | undefined> {
  const current = readSettings().backend;
  const picked = await vscode.window.showQuickPick(
    BACKEND_ITEMS.map((item) => ({ ...item, label: item.choice === current ? `$(check) ${item.label}` : item.label })),
    { title: 'Outlier Lens: compute backend', placeHolder: `Now: ${current}` },
  );
  if (!picked) {
    return undefined;
  }
  const inspected = vscode.workspace.getConfiguration('outlierLens').inspect<string>('backend');
  const target = inspected?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await vscode.workspace.getConfiguration('outlierLens').update('backend', picked.choice, target);
  return picked.choice;
}
