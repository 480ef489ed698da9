import * as assert from 'node:assert/strict';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { writePatternPngFolder } from '../support/patternPngFolder';

const CLI = path.join(__dirname, '../../../src/cli/main.ts');

/** Runs the CLI from source; `onStderr` sees stderr as it comes and may stop the process. */
function runCli(args: string[], onStderr: (text: string, stop: () => void) => void = () => undefined): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      onStderr(stderr, () => child.kill('SIGINT'));
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stderr, stdout }));
  });
}

describe('CLI train --checkpoint', function () {
  this.timeout(300_000);
  let folder: string;
  before(async () => {
    folder = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'outlier-lens-cli-checkpoint-'));
    await writePatternPngFolder(path.join(folder, 'images'), 24);
  });
  after(async () => {
    await fs.promises.rm(folder, { recursive: true, force: true });
  });

  it('stopped by Ctrl-C after both models saved an epoch, goes on from there when run again, writes the detector and removes the checkpoints', async () => {
    const checkpoints = path.join(folder, 'checkpoints');
    const detector = path.join(folder, 'detector');
    const args = ['train', path.join(folder, 'images'), '-o', detector, '--preset', 'fast', '--epochs', '12', '--batch-size', '8', '--backend', 'wasm', '--checkpoint', checkpoints];
    let stopped = false;
    const interrupted = await runCli(args, (stderr, stop) => {
      if (!stopped && /semantic epoch 1:/.test(stderr) && /background epoch 1:/.test(stderr)) {
        stopped = true;
        stop();
      }
    });
    assert.equal(interrupted.code, 1, interrupted.stderr);
    assert.match(interrupted.stderr, /outlier-lens: .*(stopped|cancel|abort)/i);
    assert.ok(!fs.existsSync(detector), 'no detector from a stopped training');
    assert.deepEqual(fs.readdirSync(checkpoints).sort(), ['background.checkpoint', 'semantic.checkpoint']);

    const resumed = await runCli(args);
    assert.equal(resumed.code, 0, resumed.stderr);
    const epochsDone = [...resumed.stderr.matchAll(/(semantic|background) model: going on from its checkpoint in .* after epoch (\d+)/g)];
    assert.deepEqual(epochsDone.map((match) => match[1]).sort(), ['background', 'semantic'], resumed.stderr);
    epochsDone.forEach((match) => assert.ok(Number(match[2]) >= 1 && Number(match[2]) < 12, match[0]));
    assert.match(resumed.stdout, /detector written to /);
    assert.ok(fs.existsSync(path.join(detector, 'manifest.json')));
    assert.ok(!fs.existsSync(checkpoints), 'the checkpoints (and their folder, left empty) are gone once the detector is written');
  });
});
