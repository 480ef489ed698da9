// code-server 4.100.3 (VS Code 1.100.3) as shared/guide/VSCODE.md launches it: offline, no auth, a fresh profile.
import type { ChildProcess } from 'child_process';
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';

/** The repository root (where the VSIX is built). */
export const EXTENSION_ROOT = path.resolve(__dirname, '../../..');
/** Where test/e2e/installCodeServer.sh installs it. */
export const CODE_SERVER = path.join(EXTENSION_ROOT, '.ci', 'cache', 'code-server', 'node_modules', '.bin', 'code-server');

/** A running code-server. */
export interface CodeServer {
  readonly url: string;
  readonly port: number;
  /** Its own log (stdout and stderr). */
  readonly logFile: string;
  /** Where the VSIX was installed: the extension that runs. */
  readonly extensionFolder: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** User settings of a clean, quiet, offline profile. */
const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'workbench.enableExperiments': false,
  'chat.disableAIFeatures': true,
  'workbench.tips.enabled': false,
  'files.simpleDialog.enable': true,
};

const MANIFEST = JSON.parse(fs.readFileSync(path.join(EXTENSION_ROOT, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string };
/** The package the suite installs: `npm run test:e2e` builds it first (scripts/package). */
export const VSIX = process.env.OUTLIER_LENS_E2E_VSIX ?? path.join(EXTENSION_ROOT, '.artifacts', 'vsix', `${MANIFEST.name}-linux-x64-${MANIFEST.version}.vsix`);

/** Installs the VSIX into a fresh extensions folder as a user would (`--install-extension`); returns the folder it landed in. */
function installVsix(run: string, extensions: string, env: NodeJS.ProcessEnv): string {
  if (!fs.existsSync(VSIX)) throw new Error(`${VSIX} is missing: run npx tsx scripts/package/packageAll.ts linux-x64`);
  const result = spawnSync(CODE_SERVER, ['--user-data-dir', path.join(run, 'ud'), '--extensions-dir', extensions, '--install-extension', VSIX], { env, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`code-server --install-extension ${VSIX} failed (${result.status}): ${result.stderr || result.stdout}`);
  const prefix = `${MANIFEST.publisher}.${MANIFEST.name}-${MANIFEST.version}`;
  const installed = fs.readdirSync(extensions).find((name) => name.startsWith(prefix));
  if (!installed) throw new Error(`--install-extension left no ${prefix}* in ${extensions}: ${result.stdout}`);
  return path.join(extensions, installed);
}

/** Starts code-server on a free port with the linux-x64 VSIX installed into a fresh extensions folder, opened on `workspace`. */
export async function startCodeServer(run: string, workspace: string): Promise<CodeServer> {
  if (!fs.existsSync(CODE_SERVER)) {
    throw new Error(`code-server is not installed at ${CODE_SERVER}: run bash test/e2e/installCodeServer.sh`);
  }
  const extensions = path.join(run, 'extensions');
  fs.mkdirSync(extensions, { recursive: true });
  fs.mkdirSync(path.join(run, 'ud', 'User'), { recursive: true });
  fs.writeFileSync(path.join(run, 'ud', 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
  fs.mkdirSync(path.join(run, 't'), { recursive: true });
  fs.writeFileSync(path.join(run, 'cfg.yaml'), 'auth: none\ncert: false\n');
  const env = { ...process.env, TMPDIR: path.join(run, 't'), EXTENSIONS_GALLERY: '{}', XDG_CONFIG_HOME: path.join(run, 'xdg'), XDG_DATA_HOME: path.join(run, 'xdg') };
  const extensionFolder = installVsix(run, extensions, env);
  const port = await freePort();
  const logFile = path.join(run, 'code-server.log');
  const log = fs.openSync(logFile, 'w');
  const child: ChildProcess = spawn(CODE_SERVER, [
    '--config', path.join(run, 'cfg.yaml'), '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
    '--user-data-dir', path.join(run, 'ud'), '--extensions-dir', extensions, workspace,
  ], { env, stdio: ['ignore', log, log], detached: true });
  const url = `http://127.0.0.1:${port}`;
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}; see ${logFile}`);
    if (Date.now() - started > 60_000) throw new Error(`code-server did not answer within 60 s; see ${logFile}`);
    const healthy = await fetch(`${url}/healthz`).then((response) => response.ok, () => false);
    if (healthy) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    port,
    logFile,
    extensionFolder,
    stop: async () => {
      // code-server's extension host and the engine it forks outlive their parent for a while and keep
      // writing under `run`: stop the whole process group (spawned detached), so the folder can go.
      const signalGroup = (signal: NodeJS.Signals): void => {
        try {
          process.kill(-(child.pid as number), signal);
        } catch {
          // The group has ended.
        }
      };
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        signalGroup('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
      }
      signalGroup('SIGKILL');
      fs.closeSync(log);
    },
  };
}
