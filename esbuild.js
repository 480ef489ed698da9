// One build script, one entry per runtime (see ARCHITECTURE.md). Flags: --watch, --production.
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
/** `--metafile DIR`: each bundle's inputs as DIR/<bundle>.json (npm run package lists the packages bundled in). */
const metafileDir = process.argv.includes('--metafile') ? process.argv[process.argv.indexOf('--metafile') + 1] : undefined;

/** Native or optional modules stay outside the bundles and load from node_modules at run time. */
const NODE_EXTERNALS = [
  'vscode',
  'sharp',
  'webgpu',
  '@tensorflow/tfjs-node',
  '@tensorflow/tfjs-node-gpu',
  'onnxruntime-node',
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
  // The extension host's thread that judges folder reasons (duplicates, odd sizes) off the editor's thread.
  { ...nodeDefaults, entryPoints: ['src/extension/results/folderJudgeThread.ts'], outfile: 'dist/folderJudgeThread.js' },
  // The panel webview: browser code and its stylesheet (uPlot's and the codicons' CSS bundled in, the font beside it).
  { bundle: true, platform: 'browser', format: 'iife', target: 'chrome120', sourcemap: !production, minify: production, logLevel: 'info', entryPoints: ['webview/main.ts'], outfile: 'dist/webview.js' },
  // The side view's script (its markup and controls come from the host and vscode-elements).
  { bundle: true, platform: 'browser', format: 'iife', target: 'chrome120', sourcemap: !production, minify: production, logLevel: 'info', entryPoints: ['webview/sideView/main.ts'], outfile: 'dist/sideView.js' },
  { bundle: true, minify: production, logLevel: 'info', entryPoints: ['media/webview.css'], outfile: 'dist/webview.css', loader: { '.ttf': 'file' }, assetNames: '[name]' },
].filter((entry) => entry.entryPoints.every((file) => fs.existsSync(file)));

/**
 * `--gpu-kit`: the CLI and the model benchmarks as self-contained bundles in .gpu/, for a GPU
 * machine that has no node_modules (see scripts/gpu/prepare.sh). dawn.node is loaded from beside
 * them, and sharp (native, 18 MB with libvips) stays behind: the idx data sets and the benchmarks
 * decode no image files, and any use of it says so.
 */
const GPU_KIT_DIR = '.gpu';
const sharpLeftBehind = {
  name: 'sharp-left-behind',
  setup(build) {
    build.onResolve({ filter: /^sharp$/ }, () => ({ path: 'sharp', namespace: 'sharp-left-behind' }));
    build.onLoad({ filter: /.*/, namespace: 'sharp-left-behind' }, () => ({
      contents: "module.exports = function sharp() { throw new Error('sharp is not in the GPU kit: image files cannot be decoded here'); };",
      loader: 'js',
    }));
  },
};
const GPU_KIT_ENTRIES = [
  { entryPoints: ['src/cli/main.ts'], outfile: `${GPU_KIT_DIR}/cli.js` },
  { entryPoints: ['bench/model.bench.ts'], outfile: `${GPU_KIT_DIR}/modelBench.js` },
  { entryPoints: ['bench/stepProfile.bench.ts'], outfile: `${GPU_KIT_DIR}/stepProfile.js` },
  { entryPoints: ['bench/speed.bench.ts'], outfile: `${GPU_KIT_DIR}/speedBench.js` },
  { entryPoints: ['bench/trainingGraph.bench.ts'], outfile: `${GPU_KIT_DIR}/trainingGraph.js` },
  // onnxruntime-node (native, 45 MB a platform) is not bundled: prepare.sh packs its Linux build for the `graph` stage alone, and elsewhere its absence is a normal "not loaded".
].map((entry) => ({ ...nodeDefaults, ...entry, sourcemap: false, minify: true, external: ['vscode', 'onnxruntime-node', 'onnxruntime-node/*'], plugins: [sharpLeftBehind] }));

/** The wasm backend looks for its .wasm files beside the bundle that loads it. */
function copyWasmBinaries() {
  const source = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
  fs.mkdirSync('dist', { recursive: true });
  for (const file of fs.readdirSync(path.join(source, 'dist')).filter((name) => name.endsWith('.wasm'))) {
    fs.copyFileSync(path.join(source, 'dist', file), path.join('dist', file));
  }
}

async function main() {
  if (process.argv.includes('--gpu-kit')) {
    await Promise.all(GPU_KIT_ENTRIES.map((entry) => esbuild.build(entry)));
    return;
  }
  copyWasmBinaries();
  if (watch) {
    const contexts = await Promise.all(ENTRIES.map((entry) => esbuild.context(entry)));
    await Promise.all(contexts.map((context) => context.watch()));
    return;
  }
  const results = await Promise.all(ENTRIES.map((entry) => esbuild.build({ ...entry, metafile: Boolean(metafileDir) })));
  if (metafileDir) {
    fs.mkdirSync(metafileDir, { recursive: true });
    results.forEach((result, index) => fs.writeFileSync(path.join(metafileDir, `${path.basename(ENTRIES[index].outfile)}.json`), JSON.stringify(result.metafile)));
  }
  if (fs.existsSync('dist/cli.js')) {
    fs.chmodSync('dist/cli.js', 0o755);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
