// Activation stays light: no TensorFlow.js, no sharp, no process until the first job.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { EXTENSION_ROOT } from './support/hostFixture';

describe('activation', () => {
  it('loads neither TensorFlow.js nor sharp into the extension host, and starts no worker', () => {
    // A fresh process: the test runner itself has loaded the engine for other suites.
    const output = execFileSync(process.execPath, ['--require', require.resolve('tsx/cjs'), '--require', path.join(__dirname, 'fakeVscode', 'install.ts'), path.join(__dirname, 'fixtures', 'activateAndListModules.ts')], { encoding: 'utf8' });
    const loaded = JSON.parse(output) as { heavy: string[]; engineModules: string[]; workerPid: number | null };
    assert.deepStrictEqual(loaded.heavy, []);
    assert.strictEqual(loaded.workerPid, null);
    // Only the pure engine modules the host may use: the export format and its streamed writer, atomic writes, manifest
    // validation (and the learning-rate schedules' names it checks, in a module that imports types only), and the
    // tail rule and reference merge that labelled inliers re-calibrate with (arithmetic on sorted numbers). The
    // folder rules run on the judging thread, which starts with the first judgement.
    const calibration = ['signalTails', 'calibrationWithInliers'].map((name) => `src/engine/signals/${name}.ts`);
    const allowed = ['src/engine/export/outlierExport.ts', 'src/engine/export/streamedExport.ts', 'src/engine/store/atomicWrite.ts', 'src/engine/store/detectorManifest.ts', 'src/engine/llr/learningRate.ts', ...calibration];
    assert.deepStrictEqual(loaded.engineModules.filter((file) => !allowed.includes(file)), []);
  });

  it('bundles no engine runtime into dist/extension.js (it requires only Node built-ins and vscode)', () => {
    const bundle = fs.readFileSync(path.join(EXTENSION_ROOT, 'dist', 'extension.js'), 'utf8');
    const required = [...new Set([...bundle.matchAll(/require\("([^"]+)"\)/g)].map((match) => match[1]))].sort();
    assert.deepStrictEqual(required, ['child_process', 'crypto', 'fs', 'path', 'vscode', 'worker_threads']);
    assert.doesNotMatch(bundle, /tfjs-core|registerKernel|sharp\(/);
  });
});
