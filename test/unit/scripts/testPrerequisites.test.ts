import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// scripts/test-prerequisites.sh run for real with a PATH of stand-ins (id, sudo, apt-get, chromium),
// so that "Chromium is missing" and "this user may or may not install packages" can be played
// out on a machine that has Chromium installed.
const SCRIPT = path.resolve(__dirname, '../../../scripts/test-prerequisites.sh');
const BASH = '/bin/bash';
const haveFashionMnist = fs.existsSync('/usr/share/datasets/fashion-mnist');
const dataReason = haveFashionMnist ? '' : ' (skipped: needs dataset-fashion-mnist installed, so that only Chromium is missing)';

interface Outcome {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly aptCalls: string[];
}

function standIn(bin: string, name: string, body: string): void {
  fs.writeFileSync(path.join(bin, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
}

/** Runs the script with only `bin` on PATH; `uid` is what the stand-in `id -u` answers. */
function runWith(bin: string, uid: number, env: Record<string, string> = {}): Outcome {
  standIn(bin, 'id', `echo ${uid}`);
  const log = path.join(bin, 'apt.log');
  // apt-get "installs" chromium by putting a stand-in beside itself.
  standIn(bin, 'apt-get', `echo "$*" >> ${log}\ncase "$*" in *install*chromium*) printf '#!/bin/sh\\n' > ${bin}/chromium; /bin/chmod +x ${bin}/chromium;; esac`);
  const result = spawnSync(BASH, [SCRIPT], { env: { PATH: bin, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const aptCalls = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n') : [];
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, aptCalls };
}

describe('scripts/test-prerequisites.sh (what npm test runs before its suites)', () => {
  let bin: string;
  beforeEach(() => {
    bin = fs.mkdtempSync(path.join(os.tmpdir(), 'outlier-lens-prereq-'));
  });
  afterEach(() => fs.rmSync(bin, { recursive: true, force: true }));

  (haveFashionMnist ? it : it.skip)(`does nothing when Chromium is on PATH${dataReason}`, () => {
    standIn(bin, 'chromium', 'exit 0');
    const outcome = runWith(bin, 1000);
    assert.equal(outcome.status, 0, outcome.stderr);
    assert.deepEqual(outcome.aptCalls, []);
    assert.equal(outcome.stderr, '');
  });

  (haveFashionMnist ? it : it.skip)(`installs Debian's chromium with apt-get when it is missing and we are root${dataReason}`, () => {
    const outcome = runWith(bin, 0);
    assert.equal(outcome.status, 0, outcome.stderr);
    assert.deepEqual(outcome.aptCalls, ['update -qq', 'install -y -qq --no-install-recommends chromium']);
    assert.ok(fs.existsSync(path.join(bin, 'chromium')));
  });

  (haveFashionMnist ? it : it.skip)(`installs through sudo when a user may sudo without a password${dataReason}`, () => {
    const sudoLog = path.join(bin, 'sudo.log');
    standIn(bin, 'sudo', `echo "$*" >> ${sudoLog}\n[ "$1" = -n ] && exit 0\nexec "$@"`);
    const outcome = runWith(bin, 1000);
    assert.equal(outcome.status, 0, outcome.stderr);
    assert.deepEqual(outcome.aptCalls, ['update -qq', 'install -y -qq --no-install-recommends chromium']);
    assert.match(fs.readFileSync(sudoLog, 'utf8'), /^apt-get install/m);
  });

  (haveFashionMnist ? it : it.skip)(`names the command to run, in one line and exit 1, when this user cannot install packages${dataReason}`, () => {
    const outcome = runWith(bin, 1000);
    assert.equal(outcome.status, 1);
    assert.deepEqual(outcome.aptCalls, []);
    const lines = outcome.stderr.trim().split('\n');
    assert.equal(lines.length, 1, outcome.stderr);
    assert.match(lines[0], /needs chromium .*run `sudo apt-get install chromium`/);
  });

  it('refuses a CHROMIUM_PATH that is not an executable, in one line, without installing anything', () => {
    const outcome = runWith(bin, 0, { CHROMIUM_PATH: path.join(bin, 'no-such-chromium') });
    assert.equal(outcome.status, 1);
    assert.deepEqual(outcome.aptCalls, []);
    assert.match(outcome.stderr, /^npm test: CHROMIUM_PATH=\S+no-such-chromium is not an executable; .*\n$/);
  });
});
