import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { selectBackend } from '../../src/engine/backend/selectBackend';
import { writePatternPngFolder } from '../unit/support/patternPngFolder';
import { writeTinyDetector } from '../unit/support/tinyDetector';
import type { SlurmCluster } from './slurmCluster';
import { installSlurmIfMissing, run, slurmUnavailableReason, startSlurmCluster, waitFor } from './slurmCluster';

const REPO = path.join(__dirname, '../..');
const SBATCH = path.join(REPO, 'deploy/slurm/scan-array.sbatch');
// The CLI from source; absolute paths, since Slurm runs the tasks in the results folder.
const CLI = `${process.execPath} --require ${require.resolve('tsx/cjs')} ${path.join(REPO, 'src/cli/main.ts')}`;
const SHARDS = 3;
const unavailable = slurmUnavailableReason();
const withoutTimestamp = (json: string): string => json.replace(/"createdAt": "[^"]*"/, '"createdAt": "…"');

(unavailable ? describe.skip : describe)(`deploy/slurm/scan-array.sbatch on a one-node Slurm cluster${unavailable ? ` (skipped: ${unavailable})` : ''}`, function () {
  let cluster: SlurmCluster;
  let root: string;
  const at = (name: string): string => path.join(root, name);

  before(async function () {
    installSlurmIfMissing();
    await selectBackend('wasm');
    root = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'outlier-lens-slurm-data-'));
    await writePatternPngFolder(at('images/a'), 40);
    await writePatternPngFolder(at('images/b'), 40);
    fs.writeFileSync(at('images/b/broken.png'), 'not a png');
    await writeTinyDetector(at('detector'));
    cluster = await startSlurmCluster();
  });
  after(async () => {
    await cluster?.stop();
    await fs.promises.rm(root, { recursive: true, force: true });
  });

  it(`runs a ${SHARDS}-shard array and a dependent merge whose export equals the single-machine scan's`, async () => {
    const single = spawnSync(process.execPath, ['--require', 'tsx/cjs', path.join(REPO, 'src/cli/main.ts'), 'scan', at('images'), '-d', at('detector'), '--backend', 'wasm', '--perc', '90', '--out', at('single.jsonl'), '--json', at('single.json'), '--csv', at('single.csv')], { encoding: 'utf8' });
    assert.equal(single.status, 0, single.stderr);

    const env = { ...cluster.env, OUTLIER_LENS_CLI: CLI, OUTLIER_LENS_SCAN_FLAGS: '--backend wasm' };
    const submitted = execFileSync('bash', [SBATCH, at('images'), at('detector'), at('results'), String(SHARDS), '--perc', '90'], { env, encoding: 'utf8' });
    const [arrayJob, mergeJob] = fs.readFileSync(at('results/slurm-jobs'), 'utf8').trim().split(' ');
    assert.match(submitted, new RegExp(`submitted scan array ${arrayJob} \\(${SHARDS} shards\\) and merge job ${mergeJob}`));
    await waitFor(() => run('squeue', ['-h'], env).trim() === '', 480_000, 'the array and the merge to leave the queue');

    const states = run('scontrol', ['show', 'job', arrayJob], env) + run('scontrol', ['show', 'job', mergeJob], env);
    const finished = [...states.matchAll(/JobState=(\w+)/g)].map((match) => match[1]);
    const outputs = fs.readdirSync(at('results')).filter((name) => name.endsWith('.out')).map((name) => `${name}:\n${fs.readFileSync(at(`results/${name}`), 'utf8')}`).join('\n');
    assert.deepEqual(finished, Array(SHARDS + 1).fill('COMPLETED'), `${states}\n${outputs}`);
    for (let index = 0; index < SHARDS; index++) assert.ok(fs.existsSync(at(`results/shard-${index}.jsonl`)), `shard ${index}'s log`);
    assert.equal(withoutTimestamp(fs.readFileSync(at('results/outliers.json'), 'utf8')), withoutTimestamp(fs.readFileSync(at('single.json'), 'utf8')));
    assert.equal(fs.readFileSync(at('results/outliers.csv'), 'utf8'), fs.readFileSync(at('single.csv'), 'utf8'));
  });
});
