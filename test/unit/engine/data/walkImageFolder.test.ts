import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { walkImageFolder } from '../../../../src/engine/data';
import { createTempFolder, runsAsRoot } from './fixtures/tempFolder';
import type { TempFolder } from './fixtures/tempFolder';

describe('walkImageFolder', () => {
  let folder: TempFolder;

  beforeEach(() => {
    folder = createTempFolder('walk');
  });

  afterEach(() => {
    folder.remove();
  });

  const relativePaths = async (options?: Parameters<typeof walkImageFolder>[1]): Promise<string[]> =>
    (await walkImageFolder(folder.path, options)).files.map((file) => file.relativePath);

  it('lists image files in nested folders sorted by relative path in code-point order', async () => {
    for (const name of ['b.png', 'a/b.png', 'a-c.png', 'A.png', 'a/z/deep.jpg', '\uFFFD.png', '😀.png', 'é.png']) {
      folder.write(name, 'x');
    }
    // UTF-16 order would put 😀 (a surrogate pair) before U+FFFD; code-point order puts it after.
    assert.deepEqual(await relativePaths(), ['A.png', 'a-c.png', 'a/b.png', 'a/z/deep.jpg', 'b.png', 'é.png', '\uFFFD.png', '😀.png']);
  });

  it('gives each file its absolute path, POSIX relative path, size and modification time', async () => {
    const file = folder.write('cats/one.png', Buffer.alloc(1234));
    const { files, errors } = await walkImageFolder(folder.path);
    assert.deepEqual(errors, []);
    assert.equal(files.length, 1);
    assert.equal(files[0].path, file);
    assert.ok(path.isAbsolute(files[0].path));
    assert.equal(files[0].relativePath, 'cats/one.png');
    assert.equal(files[0].size, 1234);
    assert.equal(files[0].mtimeMs, fs.statSync(file).mtimeMs);
  });

  it('keeps the default image extensions in any case and skips other files', async () => {
    for (const name of ['a.PNG', 'b.JpG', 'c.jpeg', 'd.webp', 'e.gif', 'f.tif', 'g.TIFF', 'h.avif', 'i.bmp', 'notes.txt', 'png', 'x.png.bak']) {
      folder.write(name, 'x');
    }
    assert.deepEqual(await relativePaths(), ['a.PNG', 'b.JpG', 'c.jpeg', 'd.webp', 'e.gif', 'f.tif', 'g.TIFF', 'h.avif', 'i.bmp']);
    assert.deepEqual(await relativePaths({ extensions: ['.TXT', 'bak'] }), ['notes.txt', 'x.png.bak']);
  });

  it('skips dotfiles and dot-folders unless asked for them', async () => {
    folder.write('.hidden.png', 'x');
    folder.write('.cache/a.png', 'x');
    folder.write('seen.png', 'x');
    assert.deepEqual(await relativePaths(), ['seen.png']);
    assert.deepEqual(await relativePaths({ dot: true }), ['.cache/a.png', '.hidden.png', 'seen.png']);
  });

  it('applies include and exclude globs to relative POSIX paths and does not enter excluded folders', async () => {
    for (const name of ['cats/a.png', 'cats/b.jpg', 'dogs/c.png', 'node_modules/pkg/d.png', 'cats/thumbs/e.png']) {
      folder.write(name, 'x');
    }
    assert.deepEqual(await relativePaths({ include: ['cats/**'] }), ['cats/a.png', 'cats/b.jpg', 'cats/thumbs/e.png']);
    assert.deepEqual(await relativePaths({ include: ['**/*.png'], exclude: ['**/thumbs', 'node_modules/**'] }), ['cats/a.png', 'dogs/c.png']);
    fs.chmodSync(folder.at('node_modules'), 0o000);
    try {
      // Pruned before reading, so even an unreadable excluded folder yields no error.
      const result = await walkImageFolder(folder.path, { exclude: ['node_modules'] });
      assert.deepEqual(result.errors, []);
    } finally {
      fs.chmodSync(folder.at('node_modules'), 0o755);
    }
  });

  it('terminates on a symbolic link to its own parent and lists each file once', async () => {
    folder.write('sub/a.png', 'x');
    folder.write('b.png', 'x');
    fs.symlinkSync('..', folder.at('sub/loop'));
    fs.symlinkSync('.', folder.at('self'));
    const result = await walkImageFolder(folder.path);
    assert.deepEqual(result.files.map((file) => file.relativePath), ['b.png', 'sub/a.png']);
    assert.deepEqual(result.errors, []);
  });

  it('lists a folder reached both directly and through a link under its real path only', async () => {
    folder.write('real/x.png', 'x');
    fs.mkdirSync(folder.at('a'));
    fs.symlinkSync(folder.at('real'), folder.at('a/link'));
    assert.deepEqual(await relativePaths(), ['real/x.png']);
  });

  it('follows links to folders and files outside the root', async () => {
    const outside = createTempFolder('walk-outside');
    try {
      outside.write('far/away.png', 'x');
      outside.write('single.jpg', 'x');
      fs.symlinkSync(outside.at('far'), folder.at('far'));
      fs.symlinkSync(outside.at('single.jpg'), folder.at('single.jpg'));
      const { files } = await walkImageFolder(folder.path);
      assert.deepEqual(files.map((file) => file.relativePath), ['far/away.png', 'single.jpg']);
      assert.equal(files[0].path, folder.at('far/away.png'));
    } finally {
      outside.remove();
    }
  });

  it('reports a broken link named like an image as an error and ignores other broken links', async () => {
    fs.symlinkSync(folder.at('missing.png'), folder.at('dangling.png'));
    fs.symlinkSync(folder.at('missing.txt'), folder.at('dangling.txt'));
    const result = await walkImageFolder(folder.path);
    assert.deepEqual(result.files, []);
    assert.deepEqual(result.errors, [{ path: folder.at('dangling.png'), reason: 'broken symbolic link' }]);
  });

  it('reports an unreadable folder as "permission denied" and lists the rest', async function () {
    if (runsAsRoot) this.skip(); // root reads any folder regardless of its mode
    folder.write('ok.png', 'x');
    folder.write('locked/secret.png', 'x');
    fs.chmodSync(folder.at('locked'), 0o000);
    try {
      const result = await walkImageFolder(folder.path);
      assert.deepEqual(result.files.map((file) => file.relativePath), ['ok.png']);
      assert.deepEqual(result.errors, [{ path: folder.at('locked'), reason: 'permission denied' }]);
    } finally {
      fs.chmodSync(folder.at('locked'), 0o755);
    }
  });

  it('throws when the root is missing or not a folder', async () => {
    await assert.rejects(walkImageFolder(folder.at('nope')), /file not found/);
    await assert.rejects(walkImageFolder(folder.write('file.png', 'x')), /not a folder/);
  });
});
