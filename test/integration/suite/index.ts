// Entry of the integration suite inside VS Code's extension host: runs the mocha tests, resolves when they pass.
import Mocha from 'mocha';

/** Called by @vscode/test-electron. */
export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 300_000, color: true });
  mocha.suite.emit('pre-require', globalThis, 'scanFolder.test', mocha);
  // Loaded after pre-require so that describe/it are the globals mocha just installed.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('./scanFolder.test');
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} integration tests failed`)) : resolve()));
  });
}
