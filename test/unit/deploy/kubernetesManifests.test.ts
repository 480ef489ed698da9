import * as assert from 'node:assert/strict';
import { execFile, execFileSync } from 'child_process';
import { promisify } from 'util';
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { selectBackend } from '../../../src/engine/backend/selectBackend';
import { writePatternPngFolder } from '../support/patternPngFolder';
import { runCliInProcess } from '../support/runCliInProcess';
import { writeTinyDetector } from '../support/tinyDetector';

const MANIFESTS = ['scan-indexed-job.yaml', 'merge-job.yaml'].map((name) => path.join(__dirname, '../../../deploy/kubernetes', name));
const KUBECTL = ['/usr/bin/kubectl', '/usr/local/bin/kubectl'].find((file) => fs.existsSync(file));
const unavailable = KUBECTL || process.getuid?.() === 0 ? null : 'kubectl not installed, and not root to apt-get install it';

/** Just enough of an API server's discovery for kubectl to map Jobs and PersistentVolumeClaims (Debian ships kubectl, no API server). */
const DISCOVERY: Record<string, object> = {
  '/api': { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] },
  '/apis': { kind: 'APIGroupList', apiVersion: 'v1', groups: [{ name: 'batch', versions: [{ groupVersion: 'batch/v1', version: 'v1' }], preferredVersion: { groupVersion: 'batch/v1', version: 'v1' } }] },
  '/api/v1': { kind: 'APIResourceList', groupVersion: 'v1', resources: [{ name: 'persistentvolumeclaims', singularName: '', namespaced: true, kind: 'PersistentVolumeClaim', verbs: ['create', 'get', 'patch'] }] },
  '/apis/batch/v1': { kind: 'APIResourceList', groupVersion: 'batch/v1', resources: [{ name: 'jobs', singularName: '', namespaced: true, kind: 'Job', verbs: ['create', 'get', 'patch'] }] },
};

interface Container {
  image: string;
  args: string[];
  env?: Array<{ name: string; valueFrom?: { fieldRef?: { fieldPath: string } } }>;
  volumeMounts: Array<{ name: string; mountPath: string }>;
}
interface Manifest {
  kind: string;
  metadata: { name: string };
  spec: {
    completionMode?: string;
    completions?: number;
    parallelism?: number;
    backoffLimitPerIndex?: number;
    podReplacementPolicy?: string;
    template?: { spec: { containers: Container[]; volumes: Array<{ name: string; persistentVolumeClaim: { claimName: string } }> } };
  };
}

(unavailable ? describe.skip : describe)(`deploy/kubernetes manifests${unavailable ? ` (skipped: ${unavailable})` : ''}`, function () {
  this.timeout(300_000);
  let server: http.Server;
  let root: string;
  let objects: Manifest[];
  before(async () => {
    if (!KUBECTL) execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'kubectl'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, stdio: 'ignore' });
    server = http.createServer((request, response) => {
      const body = DISCOVERY[(request.url ?? '').split('?')[0]];
      response.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body ?? { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    root = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'outlier-lens-k8s-'));
    fs.writeFileSync(path.join(root, 'kubeconfig'), '');
    const port = (server.address() as AddressInfo).port;
    // Asynchronous: the discovery server answers from this process's event loop.
    const { stdout: output } = await promisify(execFile)(KUBECTL ?? 'kubectl', ['--server', `http://127.0.0.1:${port}`, 'apply', '--dry-run=client', '--validate=false', '-o', 'json', ...MANIFESTS.flatMap((file) => ['-f', file])], {
      env: { ...process.env, KUBECONFIG: path.join(root, 'kubeconfig') },
      encoding: 'utf8',
    });
    const parsed = JSON.parse(output) as { kind: string; items?: Manifest[] };
    objects = parsed.items ?? [parsed as unknown as Manifest];
  });
  after(async () => {
    server?.close();
    await fs.promises.rm(root, { recursive: true, force: true });
  });

  it('kubectl apply --dry-run=client takes them: a volume claim, an Indexed Job whose index is the shard, and a merge Job', () => {
    assert.deepEqual(objects.map((object) => `${object.kind}/${object.metadata.name}`), ['PersistentVolumeClaim/outlier-lens-data', 'Job/outlier-lens-scan', 'Job/outlier-lens-merge']);
    const [, scan, merge] = objects;
    assert.equal(scan.spec.completionMode, 'Indexed');
    assert.ok((scan.spec.backoffLimitPerIndex ?? 0) > 0, 'a failed index is retried alone');
    assert.equal(scan.spec.podReplacementPolicy, 'Failed', 'a retry starts only once the failed pod is gone (one writer per shard log)');
    const container = scan.spec.template?.spec.containers[0] as Container;
    const shardFlag = container.args[container.args.indexOf('--shard') + 1];
    assert.equal(shardFlag, `$(SHARD)/${scan.spec.completions}`, 'the shard count in --shard is the Job\'s completions');
    assert.equal(scan.spec.parallelism, scan.spec.completions);
    assert.equal(container.env?.find((variable) => variable.name === 'SHARD')?.valueFrom?.fieldRef?.fieldPath, "metadata.annotations['batch.kubernetes.io/job-completion-index']");
    const mergeContainer = merge.spec.template?.spec.containers[0] as Container;
    assert.equal(mergeContainer.image, container.image);
    assert.equal(mergeContainer.args.filter((arg) => /shard-\d+\.jsonl$/.test(arg)).length, scan.spec.completions, 'the merge lists every shard');
    for (const job of [scan, merge]) {
      assert.equal(job.spec.template?.spec.volumes[0].persistentVolumeClaim.claimName, 'outlier-lens-data');
      assert.equal(job.spec.template?.spec.containers[0].volumeMounts[0].mountPath, '/data');
    }
  });

  it('their containers\' commands, run here with /data on a temporary folder, give the single-machine export', async () => {
    await selectBackend('wasm');
    await writePatternPngFolder(path.join(root, 'data/images'), 24);
    await writeTinyDetector(path.join(root, 'data/detector'));
    const onHost = (args: string[], shard?: number): string[] => args.map((arg) => arg.replace(/^\/data/, path.join(root, 'data')).replace('$(SHARD)', String(shard)));
    const [, scan, merge] = objects;
    const scanArgs = (scan.spec.template?.spec.containers[0] as Container).args;
    for (let shard = 0; shard < (scan.spec.completions ?? 0); shard++) {
      const result = await runCliInProcess([...onHost(scanArgs, shard), '--backend', 'wasm']);
      assert.equal(result.code, 0, result.stderr);
    }
    const merged = await runCliInProcess(onHost((merge.spec.template?.spec.containers[0] as Container).args));
    assert.equal(merged.code, 0, merged.stderr);
    const single = await runCliInProcess(['scan', path.join(root, 'data/images'), '-d', path.join(root, 'data/detector'), '--backend', 'wasm', '--out', path.join(root, 'single.jsonl'), '--json', path.join(root, 'single.json')]);
    assert.equal(single.code, 0, single.stderr);
    const withoutTimestamp = (file: string): string => fs.readFileSync(file, 'utf8').replace(/"createdAt": "[^"]*"/, '');
    assert.equal(withoutTimestamp(path.join(root, 'data/results/outliers.json')), withoutTimestamp(path.join(root, 'single.json')));
  });
});
