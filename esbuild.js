// One build script, one entry per runtime (see ARCHITECTURE.md). Flags: --watch, --production.
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Native or optional modules stay outside the bundles and load from node_modules at run time. */
const NODE_EXTERNALS = [
  'vscode',
  'sharp',
  'webgpu',
  '@tensorflow/tfjs-node',
  '@tensorflow/tfjs-node-gpu',
];

const nodeDefaults = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  external: NODE_EXTERNALS,
  logLevel: 'info',
};

/** Every runtime's bundle. Runtimes are added here as they land. */
const ENTRIES = [
  { ...nodeDefaults, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  // The extension host (no TensorFlow.js in it) and the engine worker it forks.
  { ...nodeDefaults, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js' },
  { ...nodeDefaults, entryPoints: ['src/engine/worker/main.ts'], outfile: 'dist/engine.js' },
  // Worker threads that train and score on the other CPU cores; found beside cli.js and engine.js.
  { ...nodeDefaults, entryPoints: ['src/engine/parallel/modelWorker.ts'], outfile: 'dist/modelWorker.js' },
  // The panel webview: browser code and its stylesheet (uPlot's and the codicons' CSS bundled in, the font beside it).
  { bundle: true, platform: 'browser', format: 'iife', target: 'chrome120', sourcemap: !production, minify: production, logLevel: 'info', entryPoints: ['webview/main.ts'], outfile: 'dist/webview.js' },
  { bundle: true, minify: production, logLevel: 'info', entryPoints: ['media/webview.css'], outfile: 'dist/webview.css', loader: { '.ttf': 'file' }, assetNames: '[name]' },
].filter((entry) => entry.entryPoints.every((file) => fs.existsSync(file)));

/** The wasm backend looks for its .wasm files beside the bundle that loads it. */
function copyWasmBinaries() {
  const source = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
  fs.mkdirSync('dist', { recursive: true });
  for (const file of fs.readdirSync(path.join(source, 'dist')).filter((name) => name.endsWith('.wasm'))) {
    fs.copyFileSync(path.join(source, 'dist', file), path.join('dist', file));
  }
}

async function main() {
  copyWasmBinaries();
  if (watch) {
    const contexts = await Promise.all(ENTRIES.map((entry) => esbuild.context(entry)));
    await Promise.all(contexts.map((context) => context.watch()));
    return;
  }
  await Promise.all(ENTRIES.map((entry) => esbuild.build(entry)));
  if (fs.existsSync('dist/cli.js')) {
    fs.chmodSync('dist/cli.js', 0o755);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
