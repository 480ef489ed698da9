// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', '.artifacts/**', '.vscode-test/**', 'bench/results/**', '.ci/cache/**', '.scratch/**', '.demo/**', '.gpu/**', '.cache/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // The engine, protocol and CLI never reach for VS Code; the extension host reaches the engine only through the worker.
    files: ['src/engine/**/*.ts', 'src/protocol/**/*.ts', 'src/cli/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: ['vscode'] }] },
  },
  // The extension host never loads TensorFlow.js or sharp: it reaches the engine through the worker
  // process, and imports only the engine's pure modules (types are always fine).
  ...['src/extension/*.ts', 'src/extension/*/*.ts', 'src/extension/*/*/*.ts'].map((files, depth) => ({
    files: [files],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [{
          regex: `^(\\.\\./){${depth + 1}}engine/(?!export/outlierExport$|export/streamedExport$|store/atomicWrite$|store/detectorManifest$|signals/folderReasons$|signals/signalTails$|signals/calibrationWithInliers$)`,
          allowTypeImports: true,
          message: 'the extension host reaches the engine through the worker process (src/protocol/engine.ts)',
        }],
      }],
    },
  })),
  {
    // The detector sits below the ways of running it: worker threads, the strategies that choose them and the jobs depend on llr/, never the reverse.
    files: ['src/engine/llr/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['vscode'],
        patterns: [{ regex: '^\\.\\./(parallel|strategies|jobs|worker)(/|$)', message: 'llr/ is built with its strategies (see src/engine/strategies); it does not reach for them' }],
      }],
    },
  },
  {
    // Layers: the model (pixelcnn/) is written in ops; ops (ops/) run a backend's kernel where it registered one and tfjs's ops otherwise; kernels (backend/kernels/<backend>/) register themselves when their backend starts.
    files: ['src/engine/pixelcnn/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['vscode'],
        patterns: [{ regex: '^\\.\\./(backend|onnx)(/|$)', message: 'pixelcnn/ is written in ops (src/engine/ops): no backend, kernel or runtime module' }],
      }],
    },
  },
  {
    files: ['src/engine/ops/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['vscode'],
        patterns: [{ regex: '^\\.\\./(backend|onnx|pixelcnn)(/|$)', message: 'ops/ finds kernels by name in the registry; kernels import ops, never the reverse' }],
      }],
    },
  },
  {
    // Backends (and ONNX Runtime) are optional and heavy: each is loaded with require() only when it is chosen.
    files: ['src/engine/backend/**/*.ts', 'src/engine/onnx/onnxRuntime.ts', 'src/engine/onnx/syncSession.ts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  // src/common (pure rules) and src/protocol (message and file types) are the ground floor that every
  // runtime imports (engine, host, CLI and webview): each imports nothing outside itself, no package,
  // no Node, no vscode, no TensorFlow.js.
  ...['common', 'protocol'].flatMap((floor) => [`src/${floor}/*.ts`, `src/${floor}/*/*.ts`].map((files, depth) => ({
    files: [files],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { regex: '^[^.]', message: `src/${floor} is imported by every runtime, the webview too: no packages, Node or vscode` },
          { regex: `^(\\.\\./){${depth + 1}}`, message: `src/${floor} imports nothing outside itself` },
        ],
      }],
    },
  }))),
  {
    // The webview runs in the browser: no Node, no vscode, and of src/ only the protocol and the pure common code.
    files: ['webview/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['vscode'],
        patterns: [
          { group: ['node:*', 'fs', 'path', 'child_process', 'os', 'worker_threads'], message: 'the webview runs in the browser: no Node modules' },
          { regex: '^(\\.\\./)+src/(?!protocol/|common/)', message: 'the webview imports only src/protocol and src/common (it talks to the host through the protocol)' },
        ],
      }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '.ci/**'],
    languageOptions: { globals: { require: 'readonly', module: 'writable', process: 'readonly', console: 'readonly', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
