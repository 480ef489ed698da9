import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NativePart, PackagedTarget } from '../../src/extension/platform/packagedTarget';
import { fetchPackage } from './fetchPackage';
import type { PackageTarget } from './targets';

/** Files never shipped from a package folder: sources, types, maps, build inputs. */
const NEVER = /(\.map|\.d\.[cm]?ts|\.ts|\.tsbuildinfo|\.cc|\.h|\.gyp)$/;

/** What a staged package folder holds, for the notices and the size breakdown. */
export interface StagedPackage {
  readonly name: string;
  readonly version: string;
  readonly license: string;
  /** Its folder in the stage, relative to the stage root. */
  readonly folder: string;
}

/** Where things come from and go. */
export interface StageInput {
  readonly root: string;
  readonly cacheFolder: string;
  readonly stage: string;
}

function copyFiltered(from: string, to: string, keep: (relative: string) => boolean = () => true, relative = ''): void {
  for (const entry of fs.readdirSync(path.join(from, relative), { withFileTypes: true })) {
    const child = path.join(relative, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') copyFiltered(from, to, keep, child);
    } else if (!NEVER.test(entry.name) && keep(child.split(path.sep).join('/'))) {
      fs.mkdirSync(path.dirname(path.join(to, child)), { recursive: true });
      fs.copyFileSync(path.join(from, child), path.join(to, child));
    }
  }
}

function readManifest(folder: string): { name: string; version: string; license?: string; optionalDependencies?: Record<string, string> } {
  return JSON.parse(fs.readFileSync(path.join(folder, 'package.json'), 'utf8'));
}

/**
 * vsce lists node_modules with `npm list --production`, which fails on any dependency not there.
 * The staged manifests name only what was staged: the rest is bundled into dist/ (TensorFlow.js,
 * lit), used only by install scripts (onnxruntime-node's adm-zip, global-agent), or only by
 * JavaScript not shipped (webgpu's index.js).
 */
function pruneManifests(stage: string, staged: readonly StagedPackage[]): void {
  const names = new Set(staged.map((item) => item.name));
  const rootFile = path.join(stage, 'package.json');
  const root = JSON.parse(fs.readFileSync(rootFile, 'utf8')) as Record<string, unknown>;
  const topLevel = ['sharp', 'onnxruntime-node', 'webgpu', '@vscode-elements/elements'].filter((name) => names.has(name));
  root.dependencies = Object.fromEntries(topLevel.map((name) => [name, staged.find((item) => item.name === name)?.version]));
  delete root.optionalDependencies;
  fs.writeFileSync(rootFile, `${JSON.stringify(root, null, 2)}\n`);
  for (const item of staged) {
    const file = path.join(stage, item.folder, 'package.json');
    const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as { dependencies?: Record<string, string>; scripts?: unknown; peerDependencies?: unknown; peerDependenciesMeta?: unknown };
    if (manifest.dependencies) manifest.dependencies = Object.fromEntries(Object.entries(manifest.dependencies).filter(([name]) => names.has(name)));
    delete manifest.scripts;
    delete manifest.peerDependencies;
    delete manifest.peerDependenciesMeta;
    fs.writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
  }
}

/**
 * Builds the folder `vsce package --target` packs for one platform: the production bundles, the
 * manifest and docs, and node_modules holding only what loads from disk at run time, with this
 * platform's native parts alone. Returns the packages it staged.
 */
export function stageTarget(input: StageInput, target: PackageTarget): StagedPackage[] {
  const { root, stage } = input;
  fs.rmSync(stage, { recursive: true, force: true });
  fs.mkdirSync(stage, { recursive: true });
  const staged: StagedPackage[] = [];
  const stagePackage = (from: string, keep?: (relative: string) => boolean): void => {
    const manifest = readManifest(from);
    const folder = path.join('node_modules', manifest.name);
    copyFiltered(from, path.join(stage, folder), keep);
    staged.push({ name: manifest.name, version: manifest.version, license: manifest.license ?? 'UNKNOWN', folder });
  };
  const installed = (name: string): string => path.join(root, 'node_modules', name);

  // The extension itself: bundles (no source maps), wasm, the webview's css and font, media, docs.
  copyFiltered(path.join(root, 'dist'), path.join(stage, 'dist'), (file) => !file.includes('/') && /\.(js|wasm|css|ttf)$/.test(file));
  copyFiltered(path.join(root, 'media'), path.join(stage, 'media'), (file) => /^[^/]+\.(svg|png)$/.test(file) || /^walkthrough\/[^/]+\.(md|svg|png)$/.test(file));
  for (const doc of ['README.md', 'CHANGELOG.md', 'LICENSE']) fs.copyFileSync(path.join(root, doc), path.join(stage, doc));
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
  delete manifest.scripts;
  delete manifest.devDependencies;
  fs.writeFileSync(path.join(stage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  // Everything staged ships; the file tells vsce so (and that nothing was forgotten).
  fs.writeFileSync(path.join(stage, '.vscodeignore'), '# scripts/package/stage.ts staged only what ships.\n**/*.map\n');

  // sharp and this platform's prebuilt binding + libvips, at the versions sharp pins.
  const sharpVersions = readManifest(installed('sharp')).optionalDependencies ?? {};
  stagePackage(installed('sharp'), (file) => file.startsWith('dist/') || file === 'LICENSE' || file === 'package.json');
  for (const dependency of ['detect-libc', 'semver', '@img/colour']) stagePackage(installed(dependency), (file) => !file.startsWith('bin/'));
  for (const name of target.sharpPackages) {
    const version = sharpVersions[name];
    if (!version) throw new Error(`sharp ${readManifest(installed('sharp')).version} names no ${name}`);
    stagePackage(fetchPackage(root, input.cacheFolder, name, version));
  }
  const parts: NativePart[] = [{ name: 'sharp (libvips)', path: `node_modules/${target.sharpPackages[0]}`, required: true, fallback: 'no image can be read' }];
  const absent: string[] = [];

  // onnxruntime-node: its JavaScript and this platform's binding and library only.
  if (typeof target.onnxRuntime === 'string') {
    const binary = `bin/napi-v6/${target.onnxRuntime}/`;
    stagePackage(installed('onnxruntime-node'), (file) => file === 'package.json' || file.startsWith('dist/') || file.startsWith(binary));
    stagePackage(installed('onnxruntime-common'), (file) => file === 'package.json' || file.startsWith('dist/cjs/'));
    parts.push({ name: 'ONNX Runtime', path: `node_modules/onnxruntime-node/${binary}onnxruntime_binding.node`, required: false, fallback: 'scoring runs on TensorFlow.js instead' });
  } else absent.push(target.onnxRuntime.missing);

  // webgpu: only dawn.node of this platform (the engine loads it by path, not through index.js).
  if (typeof target.dawn === 'string') {
    const dawn = `dist/${target.dawn}/`;
    stagePackage(installed('webgpu'), (file) => file === 'package.json' || file === 'LICENSE.md' || file.startsWith(dawn));
    parts.push({ name: 'Dawn (WebGPU)', path: `node_modules/webgpu/${dawn}dawn.node`, required: false, fallback: 'no GPU backend; training and scoring run on the CPU' });
  } else absent.push(target.dawn.missing);

  // The side view loads the vscode-elements bundle from disk.
  stagePackage(installed('@vscode-elements/elements'), (file) => ['package.json', 'LICENSE', 'dist/bundled.js'].includes(file));

  pruneManifests(stage, staged);
  const packaged: PackagedTarget = { target: target.target, nativeParts: parts, absent };
  fs.writeFileSync(path.join(stage, 'dist', 'target.json'), `${JSON.stringify(packaged, null, 2)}\n`);
  return staged;
}
