// Checks the VSIX files `npm run package` wrote (it runs this file after packaging): each holds its
// own platform's native parts and nothing else native, no sources, tests or maps, production
// bundles, and the licences of what it carries; the linux-x64 one loads its native parts here.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PACKAGE_TARGETS } from '../../scripts/package/targets';
import type { PackageTarget } from '../../scripts/package/targets';
import { entryBytes, extractZip, zipEntries } from '../../scripts/package/zipEntries';
import type { ZipEntry } from '../../scripts/package/zipEntries';

const ROOT = path.resolve(__dirname, '../..');
const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
const vsixFile = (target: string): string => path.join(ROOT, '.artifacts', 'vsix', `outlier-lens-${target}-${version}.vsix`);
const NATIVE = /\.(node|so(\.\d+)*|dylib|dll|exe)$/;
const LIMIT_BYTES = 90e6;

/** The folders a target's native files may live in. */
function nativeFolders(target: PackageTarget): string[] {
  return [
    ...target.sharpPackages.map((name) => `extension/node_modules/${name}/`),
    ...(typeof target.onnxRuntime === 'string' ? [`extension/node_modules/onnxruntime-node/bin/napi-v6/${target.onnxRuntime}/`] : []),
    ...(typeof target.dawn === 'string' ? [`extension/node_modules/webgpu/dist/${target.dawn}/`] : []),
  ];
}

/** `extension/node_modules/<name>/package.json` → name, for every package the VSIX carries. */
function shippedPackages(entries: readonly ZipEntry[]): string[] {
  return entries.map((entry) => /^extension\/node_modules\/((?:@[^/]+\/)?[^/]+)\/package\.json$/.exec(entry.name)?.[1]).filter((name): name is string => name !== undefined);
}

for (const target of PACKAGE_TARGETS) {
  describe(`VSIX for ${target.target}`, () => {
    let entries: ZipEntry[];
    let text: (name: string) => string;
    before(function () {
      const file = vsixFile(target.target);
      if (!fs.existsSync(file)) throw new Error(`${path.relative(ROOT, file)} is missing: run npm run package`);
      entries = zipEntries(file);
      const data = fs.readFileSync(file);
      text = (name) => {
        const entry = entries.find((candidate) => candidate.name === name);
        assert.ok(entry, `${name} is not in the VSIX`);
        return entryBytes(data, entry).toString('utf8');
      };
    });

    it('is marked for its target, in the manifest and in dist/target.json', () => {
      assert.match(text('extension.vsixmanifest'), new RegExp(`TargetPlatform="${target.target}"`));
      assert.equal((JSON.parse(text('extension/dist/target.json')) as { target: string }).target, target.target);
    });

    it('holds native files of its own platform only, and each of them', () => {
      const allowed = nativeFolders(target);
      const native = entries.filter((entry) => NATIVE.test(entry.name)).map((entry) => entry.name);
      const strays = native.filter((name) => !allowed.some((folder) => name.startsWith(folder)));
      assert.deepEqual(strays, [], 'native files of another platform');
      for (const folder of allowed) assert.ok(native.some((name) => name.startsWith(folder)), `nothing native under ${folder}`);
      assert.ok(native.some((name) => /\/sharp-[^/]+\.node$/.test(name)), 'sharp binding');
      if (typeof target.onnxRuntime === 'string') assert.ok(native.includes(`extension/node_modules/onnxruntime-node/bin/napi-v6/${target.onnxRuntime}/onnxruntime_binding.node`));
      if (typeof target.dawn === 'string') assert.ok(native.includes(`extension/node_modules/webgpu/dist/${target.dawn}/dawn.node`));
    });

    it('carries no CUDA or TensorRT provider', () => {
      assert.deepEqual(entries.filter((entry) => /cuda|tensorrt/i.test(entry.name)).map((entry) => entry.name), []);
    });

    it('carries no sources, tests, benchmarks, maps or build files', () => {
      const forbidden = /^extension\/(src|test|bench|webview|scripts|\.ci|\.cache|\.artifacts|\.demo)\/|\.(ts|map|tsbuildinfo|cc|gyp)$|(^|\/)(package-lock\.json|tsconfig[^/]*\.json|esbuild\.js|eslint\.config\.mjs|\.mocharc\.json)$/;
      assert.deepEqual(entries.filter((entry) => forbidden.test(entry.name) && !/\.d\.ts$/.test(entry.name)).map((entry) => entry.name), []);
      assert.deepEqual(entries.filter((entry) => /\.d\.[cm]?ts$/.test(entry.name)).map((entry) => entry.name), []);
    });

    it('has production-minified bundles', () => {
      for (const bundle of ['extension.js', 'engine.js', 'modelWorker.js', 'folderJudgeThread.js', 'webview.js']) {
        const source = text(`extension/dist/${bundle}`);
        assert.doesNotMatch(source, /sourceMappingURL/, bundle);
        // esbuild marks each module's start with a `// path/to/module` comment unless it minifies.
        assert.doesNotMatch(source, /^\s*\/\/ (src|node_modules|webview)\//m, `${bundle} is not minified`);
      }
    });

    it('has its licence and a notice, with licence text, for every package it carries', () => {
      assert.match(text('extension/LICENSE.txt'), /MIT License/);
      const notices = text('extension/THIRD_PARTY_NOTICES.md');
      for (const name of shippedPackages(entries)) assert.match(notices, new RegExp(`^## ${name.replace(/[/.]/g, '\\$&')} \\S+ \\(`, 'm'), name);
      for (const bundled of ['@tensorflow/tfjs-core', 'uplot', 'picomatch', 'lit']) assert.match(notices, new RegExp(`^## ${bundled.replace(/[/.]/g, '\\$&')} `, 'm'), bundled);
      assert.doesNotMatch(notices, /\| UNKNOWN \|/);
    });

    it(`stays within ${LIMIT_BYTES / 1e6} MB`, () => {
      assert.ok(fs.statSync(vsixFile(target.target)).size <= LIMIT_BYTES);
    });
  });
}

const here = `${process.platform}-${process.arch}`;
(here === 'linux-x64' ? describe : describe.skip)(`VSIX for linux-x64 unpacked${here === 'linux-x64' ? '' : ` (skipped: this machine is ${here})`}`, () => {
  it('loads sharp (and decodes a PNG), ONNX Runtime and dawn.node from its own node_modules', function () {
    this.timeout(60_000);
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'outlier-lens-vsix-'));
    try {
      extractZip(vsixFile('linux-x64'), folder, 'extension/');
      const probe = `
        const sharp = require('sharp');
        const ort = require('onnxruntime-node');
        const dawn = require('./node_modules/webgpu/dist/linux-x64/dawn.node');
        sharp({ create: { width: 3, height: 2, channels: 3, background: '#ff0000' } }).png().toBuffer()
          .then((png) => sharp(png).raw().toBuffer({ resolveWithObject: true }))
          .then(({ info, data }) => console.log(JSON.stringify({ width: info.width, red: data[0], ort: typeof ort.InferenceSession.create, dawn: typeof dawn.create, sharpFrom: require.resolve('sharp') })));`;
      const output = execFileSync(process.execPath, ['-e', probe], { cwd: folder, encoding: 'utf8', env: { ...process.env, NODE_PATH: '' } });
      const result = JSON.parse(output.trim().split('\n').pop() ?? '{}') as { width: number; red: number; ort: string; dawn: string; sharpFrom: string };
      assert.deepEqual({ width: result.width, red: result.red, ort: result.ort, dawn: result.dawn }, { width: 3, red: 255, ort: 'function', dawn: 'function' });
      assert.ok(result.sharpFrom.startsWith(folder), `sharp came from ${result.sharpFrom}`);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});
