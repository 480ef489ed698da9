import type { ChildProcess } from 'child_process';
import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

/** The Debian packages a one-node cluster needs, by the program each provides. */
const PROGRAMS: Record<string, string> = { slurmctld: 'slurmctld', slurmd: 'slurmd', sbatch: 'slurm-client', munged: 'munge' };
const SEARCH_PATH = ['/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/** Where `program` is installed, or null. */
function locate(program: string): string | null {
  return SEARCH_PATH.map((folder) => path.join(folder, program)).find((file) => fs.existsSync(file)) ?? null;
}

/**
 * Why Slurm cannot be had here, or null when it is installed or can be: when programs are
 * missing and this process is root, they are installed with apt-get (Debian's slurm-wlm and munge).
 */
export function slurmUnavailableReason(): string | null {
  const missing = Object.keys(PROGRAMS).filter((program) => locate(program) === null);
  if (missing.length === 0) return null;
  if (process.getuid?.() !== 0) return `${missing.join(', ')} not installed, and not root to apt-get install ${[...new Set(missing.map((p) => PROGRAMS[p]))].join(' ')}`;
  if (locate('apt-get') === null) return `${missing.join(', ')} not installed, and no apt-get`;
  return null;
}

/** Installs what is missing (as root, from Debian's packages). */
export function installSlurmIfMissing(): void {
  const packages = [...new Set(Object.keys(PROGRAMS).filter((program) => locate(program) === null).map((program) => PROGRAMS[program]))];
  if (packages.length === 0) return;
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...packages], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, stdio: 'ignore', timeout: 300_000 });
}

/** A free TCP port on this machine. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/** A running one-node Slurm cluster: its config file (for SLURM_CONF) and how to stop it. */
export interface SlurmCluster {
  readonly conf: string;
  readonly folder: string;
  /** Environment for Slurm's client commands (sbatch, squeue, scontrol). */
  readonly env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

/**
 * Starts munged, slurmctld and one slurmd (node "localnode", this machine's CPUs) in the
 * foreground as children of this process, all state in a temporary folder and all ports free
 * ones, so nothing of the machine's own Slurm or munge is touched; `stop` ends the three.
 */
export async function startSlurmCluster(): Promise<SlurmCluster> {
  const folder = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'outlier-lens-slurm-'));
  for (const sub of ['state', 'spool', 'log']) await fs.promises.mkdir(path.join(folder, sub));
  const at = (name: string): string => path.join(folder, name);
  await fs.promises.writeFile(at('munge.key'), Buffer.from(Array.from({ length: 1024 }, () => Math.floor(Math.random() * 256))), { mode: 0o600 });
  const [controllerPort, nodePort] = [await freePort(), await freePort()];
  const conf = at('slurm.conf');
  const cpus = Math.max(1, os.cpus().length);
  await fs.promises.writeFile(
    conf,
    [
      'ClusterName=outlierlens',
      `SlurmctldHost=${os.hostname()}(127.0.0.1)`,
      `SlurmctldPort=${controllerPort}`,
      `SlurmdPort=${nodePort}`,
      'AuthType=auth/munge',
      `AuthInfo=socket=${at('munge.sock')}`,
      'CredType=cred/munge',
      'SlurmUser=root',
      'SlurmdUser=root',
      `StateSaveLocation=${at('state')}`,
      `SlurmdSpoolDir=${at('spool')}`,
      `SlurmctldPidFile=${at('slurmctld.pid')}`,
      `SlurmdPidFile=${at('slurmd.pid')}`,
      `SlurmctldLogFile=${at('log/slurmctld.log')}`,
      `SlurmdLogFile=${at('log/slurmd.log')}`,
      'ProctrackType=proctrack/linuxproc',
      'TaskPlugin=task/none',
      'SchedulerType=sched/builtin',
      'SelectType=select/cons_tres',
      'SelectTypeParameters=CR_Core',
      'ReturnToService=2',
      'MpiDefault=none',
      'JobCompType=jobcomp/none',
      'AccountingStorageType=accounting_storage/none',
      'JobAcctGatherType=jobacct_gather/none',
      `NodeName=localnode NodeHostname=${os.hostname()} NodeAddr=127.0.0.1 CPUs=${cpus} State=UNKNOWN`,
      'PartitionName=local Nodes=localnode Default=YES MaxTime=INFINITE State=UP',
      '',
    ].join('\n'),
  );
  const env = { ...process.env, SLURM_CONF: conf };
  const children: ChildProcess[] = [];
  const start = (program: string, args: string[]): void => {
    const child = spawn(locate(program) ?? program, args, { env, stdio: ['ignore', fs.openSync(at(`log/${program}.out`), 'w'), fs.openSync(at(`log/${program}.err`), 'w')] });
    children.push(child);
  };
  const stop = async (): Promise<void> => {
    for (const child of children.reverse()) {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
    }
    await fs.promises.rm(folder, { recursive: true, force: true });
  };
  try {
    start('munged', ['-F', '-f', `--key-file=${at('munge.key')}`, `--socket=${at('munge.sock')}`, `--pid-file=${at('munged.pid')}`, `--log-file=${at('log/munged.log')}`, `--seed-file=${at('munge.seed')}`]);
    await waitFor(() => fs.existsSync(at('munge.sock')), 10_000, 'munged to open its socket');
    start('slurmctld', ['-D', '-f', conf]);
    start('slurmd', ['-D', '-f', conf, '-N', 'localnode']);
    await waitFor(() => /\bidle\b/.test(run('sinfo', ['-h', '-o', '%T'], env)), 30_000, 'the node to be idle in sinfo');
  } catch (error) {
    const logs = ['slurmctld.log', 'slurmd.log', 'munged.log'].map((name) => (fs.existsSync(at(`log/${name}`)) ? `${name}: ${fs.readFileSync(at(`log/${name}`), 'utf8').slice(-800)}` : '')).join('\n');
    await stop();
    throw new Error(`${(error as Error).message}\n${logs}`);
  }
  return { conf, folder, env, stop };
}

/** Runs a Slurm client command; its stdout, or '' when it fails. */
export function run(program: string, args: string[], env: NodeJS.ProcessEnv): string {
  try {
    return execFileSync(locate(program) ?? program, args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return '';
  }
}

/** Polls `done` every 250 ms until true, or throws after `timeoutMs` saying what it waited for. */
export async function waitFor(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
