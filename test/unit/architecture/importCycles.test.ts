import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { importCycles, readImportGraph } from '../support/importGraph';

describe('Import graph', () => {
  for (const root of ['src', 'webview']) {
    it(`has no import circle in ${root}/ (type-only imports count too)`, () => {
      const cycles = importCycles(readImportGraph(root));
      assert.deepEqual(cycles.map((cycle) => cycle.join(' → ')), []);
    });
  }

  it('finds a circle of three files through an index and an `export … from`', () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'import-graph-'));
    try {
      fs.mkdirSync(path.join(folder, 'b'));
      fs.writeFileSync(path.join(folder, 'a.ts'), "import type { B } from './b';\nexport type A = B;\n");
      fs.writeFileSync(path.join(folder, 'b', 'index.ts'), "export { C } from '../c';\nexport type B = number;\n");
      fs.writeFileSync(path.join(folder, 'c.ts'), "import { A } from './a';\nexport const C: A | null = null;\n");
      fs.writeFileSync(path.join(folder, 'd.ts'), "import { C } from './c';\nexport const D = C;\n");
      const cycles = importCycles(readImportGraph(folder));
      assert.deepEqual(cycles, [[path.join(folder, 'a.ts'), path.join(folder, 'b', 'index.ts'), path.join(folder, 'c.ts')]]);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});
