import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';

const ROOT = path.resolve(__dirname, '../..');
const read = <T>(file: string): T => JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8')) as T;

interface Manifest {
  version: string;
  engines: { vscode: string; node: string };
  devDependencies: Record<string, string>;
  icon: string;
  galleryBanner: { color: string; theme: string };
  categories: string[];
  keywords: string[];
  repository: { url: string };
  license: string;
}

/** Node.js in VS Code's extension host (Electron), by release; the engine worker runs on it. */
const EXTENSION_HOST_NODE: Record<string, string> = { '1.89': '18.18.2', '1.90': '20.9.0', '1.96': '20.18.1', '1.100': '20.19.0' };
/** The categories the Marketplace accepts. */
const CATEGORIES = ['AI', 'Azure', 'Chat', 'Data Science', 'Debuggers', 'Education', 'Extension Packs', 'Formatters', 'Keymaps', 'Language Packs', 'Linters', 'Machine Learning', 'Notebooks', 'Other', 'Programming Languages', 'SCM Providers', 'Snippets', 'Testing', 'Themes', 'Visualization'];

const minorOf = (range: string): string => /(\d+\.\d+)/.exec(range)?.[1] ?? '';
const atLeast = (version: string, floor: string): boolean => {
  const [a, b] = [version, floor].map((text) => text.split('.').map(Number));
  for (let index = 0; index < 3; index++) if (a[index] !== b[index]) return a[index] > b[index];
  return true;
};

describe('publishing metadata (package.json)', () => {
  const manifest = read<Manifest>('package.json');

  it('asks for the oldest VS Code whose extension host runs the native parts (Node ≥ sharp\'s floor), with @types/vscode of that release', () => {
    const floor = minorOf(manifest.engines.vscode);
    assert.match(manifest.engines.vscode, /^\^1\.\d+\.0$/);
    const sharpNode = /(\d+\.\d+\.\d+)/.exec(read<{ engines: { node: string } }>('node_modules/sharp/package.json').engines.node)?.[1] ?? '';
    assert.ok(EXTENSION_HOST_NODE[floor], `no Node version on record for VS Code ${floor}`);
    assert.ok(atLeast(EXTENSION_HOST_NODE[floor], sharpNode), `VS Code ${floor} runs Node ${EXTENSION_HOST_NODE[floor]}, sharp needs ${sharpNode}`);
    const older = Object.keys(EXTENSION_HOST_NODE).filter((release) => atLeast(floor, release) && release !== floor);
    assert.ok(older.every((release) => !atLeast(EXTENSION_HOST_NODE[release], sharpNode)), 'an older VS Code would do');
    // vsce refuses @types/vscode newer than engines.vscode; older would let API beyond it type-check.
    assert.equal(minorOf(manifest.devDependencies['@types/vscode']), floor);
    assert.equal(minorOf(read<{ version: string }>('node_modules/@types/vscode/package.json').version), floor);
  });

  it('has a PNG icon of at least 128×128, a gallery banner, valid categories, keywords and a repository', async () => {
    const icon = await sharp(path.join(ROOT, manifest.icon)).metadata();
    assert.equal(icon.format, 'png');
    assert.ok((icon.width ?? 0) >= 128 && icon.width === icon.height, `${icon.width}×${icon.height}`);
    assert.match(manifest.galleryBanner.color, /^#[0-9a-f]{6}$/i);
    assert.ok(['dark', 'light'].includes(manifest.galleryBanner.theme));
    assert.deepEqual(manifest.categories.filter((category) => !CATEGORIES.includes(category)), []);
    assert.ok(manifest.keywords.length > 0 && manifest.keywords.length <= 30);
    assert.match(manifest.repository.url, /^https:\/\/github\.com\/[\w-]+\/[\w-]+\.git$/);
  });

  it('ships a licence matching the manifest and a changelog entry for this version', () => {
    assert.equal(manifest.license, 'MIT');
    assert.match(fs.readFileSync(path.join(ROOT, 'LICENSE'), 'utf8'), /^MIT License/);
    assert.match(fs.readFileSync(path.join(ROOT, 'CHANGELOG.md'), 'utf8'), new RegExp(`^## ${manifest.version.replace(/\./g, '\\.')}\\b`, 'm'));
  });

  it('runs where the workspace is (remote: the engine reads the workspace\'s files)', () => {
    assert.deepEqual(read<{ extensionKind: string[] }>('package.json').extensionKind, ['workspace']);
  });
});
