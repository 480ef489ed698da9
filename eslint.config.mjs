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
          regex: `^(\\.\\./){${depth + 1}}engine/(?!export/outlierExport$|store/atomicWrite$|metrics/percentile$|store/detectorManifest$)`,
          allowTypeImports: true,
          message: 'the extension host reaches the engine through the worker process (src/protocol/engine.ts)',
        }],
      }],
    },
  })),
  {
    // Backends are optional and heavy: each is loaded with require() only when it is chosen.
    files: ['src/engine/backend/**/*.ts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['webview/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['node:*', 'fs', 'path', 'child_process', 'os', 'worker_threads', '../src/engine/*', '../src/extension/*'] }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '.ci/**'],
    languageOptions: { globals: { require: 'readonly', module: 'writable', process: 'readonly', console: 'readonly', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
