import * as assert from 'node:assert/strict';
import { runCli } from '../../../src/cli/main';
import { version } from '../../../package.json';

const COMMANDS = ['train', 'threshold', 'scan', 'sample', 'data', 'bench'];

/** Runs the CLI in this process and keeps what it wrote. */
async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: { write: (text: string) => (stdout += text) }, stderr: { write: (text: string) => (stderr += text) } });
  return { code, stdout, stderr };
}

/** The commands whose usage lines appear in `text`. */
function commandsShown(text: string): string[] {
  return COMMANDS.filter((name) => new RegExp(`^\\s+outlier-lens ${name}\\b`, 'm').test(text));
}

describe('CLI help, version and usage errors', () => {
  for (const argv of [['--help'], ['-h'], ['help']]) {
    it(`\`outlier-lens ${argv.join(' ')}\` prints every command's usage on stdout and exits 0`, async () => {
      const { code, stdout, stderr } = await cli(...argv);
      assert.equal(code, 0);
      assert.equal(stderr, '');
      assert.deepEqual(commandsShown(stdout), COMMANDS);
    });
  }

  for (const name of COMMANDS) {
    for (const argv of [['help', name], [name, '--help'], [name, '-h'], [name, 'some-folder', '--help']]) {
      it(`\`outlier-lens ${argv.join(' ')}\` prints ${name}'s usage alone and exits 0 without running it`, async () => {
        const { code, stdout, stderr } = await cli(...argv);
        assert.equal(code, 0, stderr);
        assert.equal(stderr, '');
        assert.deepEqual(commandsShown(stdout), [name]);
        assert.match(stdout, /^usage:\n/);
      });
    }
  }

  it('`outlier-lens --version` prints the package version and exits 0', async () => {
    const { code, stdout } = await cli('--version');
    assert.equal(code, 0);
    assert.equal(stdout, `outlier-lens ${version}\n`);
  });

  it('an unknown flag names the flag and shows the command\'s usage on stderr, exit 2', async () => {
    const { code, stdout, stderr } = await cli('scan', 'images', '--frobnicate', '3');
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.match(stderr, /^outlier-lens scan: unknown flag '--frobnicate'\n/);
    assert.deepEqual(commandsShown(stderr), ['scan']);
  });

  it('an unknown command, or none, shows the whole usage on stderr, exit 2', async () => {
    for (const argv of [['scna'], ['help', 'scna'], []]) {
      const { code, stdout, stderr } = await cli(...argv);
      assert.equal(code, 2, argv.join(' '));
      assert.equal(stdout, '');
      assert.deepEqual(commandsShown(stderr), COMMANDS);
    }
    assert.match((await cli('scna')).stderr, /^outlier-lens: unknown command 'scna'\n/);
  });

  it('takes --help after a `--` terminator as an argument, not a request for help', async () => {
    const { code, stderr } = await cli('scan', 'images', '--', '--help');
    assert.equal(code, 2);
    assert.match(stderr, /missing --detector/);
  });

  for (const name of COMMANDS) {
    it(`knows every flag that \`${name}\`'s usage lists`, async () => {
      const { stdout } = await cli('help', name);
      const flags = [...new Set([...stdout.matchAll(/--([a-z0-9-]+)/g)].map((match) => `--${match[1]}`))].filter((flag) => flag !== '--help');
      assert.ok(flags.length > 0);
      // A flag given without its value, or before a missing <folder>, stops at a usage error before any work.
      const prefix = name === 'bench' ? ['fmnist-mnist'] : [];
      for (const flag of flags) {
        const { code, stderr } = await cli(name, ...prefix, flag);
        assert.equal(code, 2, `${name} ${flag}: ${stderr}`);
        assert.doesNotMatch(stderr, /unknown flag/, `${name} ${flag}`);
      }
    });
  }
});
