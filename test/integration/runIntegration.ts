// npm run test:integration — the same flow as test/e2e, in VS Code desktop through @vscode/test-electron.
// It downloads VS Code from the internet on first use, so it runs only where that download is possible
// (a developer's machine, a CI with network). It is NOT part of `npm test`; offline, run `npm run test:e2e`
// (code-server) instead, which covers the same flow.
import { runTests } from '@vscode/test-electron';
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadDataset, writeDatasetAsPngFolder } from '../../src/engine/data';

const ROOT = path.resolve(__dirname, '../..');

async function main(): Promise<void> {
  const run = fs.mkdtempSync(path.join(os.tmpdir(), 'outlier-lens-integration-'));
  const workspace = path.join(run, 'workspace');
  const images = path.join(workspace, 'images');
  await writeDatasetAsPngFolder(await loadDataset('fashion-mnist', 'test', { limit: 200 }), images);
  fs.writeFileSync(path.join(images, 'notes.jpg'), 'not a JPEG\n');
  fs.mkdirSync(path.join(workspace, '.vscode'));
  fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'outlierLens.preset': 'fast', 'outlierLens.epochs': 1, 'outlierLens.imageSize': '12x12', 'outlierLens.channels': '1' }));
  // The suite runs inside VS Code's extension host: bundle it (mocha included) to plain JavaScript.
  const suite = path.join(ROOT, 'out', 'integration', 'index.js');
  await esbuild.build({ entryPoints: [path.join(__dirname, 'suite', 'index.ts')], outfile: suite, bundle: true, platform: 'node', target: 'node20', format: 'cjs', external: ['vscode', 'mocha', 'sharp', 'webgpu', '@tensorflow/*'], logLevel: 'warning' });
  await runTests({
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: suite,
    extensionTestsEnv: { OUTLIER_LENS_IT_WORKSPACE: workspace },
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
  });
}

main().catch((error: unknown) => {
  console.error(`integration tests failed: ${String(error)}`);
  console.error('(@vscode/test-electron needs to download VS Code; offline, use `npm run test:e2e`.)');
  process.exit(1);
});
