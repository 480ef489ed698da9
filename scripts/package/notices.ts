import * as fs from 'node:fs';
import * as path from 'node:path';

/** A third-party package whose code or binaries a VSIX carries. */
export interface ShippedPackage {
  readonly name: string;
  readonly version: string;
  readonly license: string;
  /** Where its files are read from (installed, or unpacked from the registry). */
  readonly folder: string;
  /** "bundled" into dist/, or "alongside" in node_modules. */
  readonly how: 'bundled' | 'alongside';
}

const LICENCE_FILE = /^(licen[cs]e|copying|notice)(\.(md|txt))?$/i;

/** The packages whose sources the production bundles hold, read from esbuild's metafiles. */
export function bundledPackages(root: string, metafileFolder: string): ShippedPackage[] {
  const names = new Set<string>();
  for (const file of fs.readdirSync(metafileFolder)) {
    const meta = JSON.parse(fs.readFileSync(path.join(metafileFolder, file), 'utf8')) as { inputs: Record<string, unknown> };
    for (const input of Object.keys(meta.inputs)) {
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
      if (match) names.add(match[1]);
    }
  }
  return [...names].sort().map((name) => {
    const folder = path.join(root, 'node_modules', name);
    const manifest = JSON.parse(fs.readFileSync(path.join(folder, 'package.json'), 'utf8')) as { version: string; license?: string };
    return { name, version: manifest.version, license: manifest.license ?? 'UNKNOWN', folder, how: 'bundled' as const };
  });
}

/** Copyright holders the package manifests do not name (their author field names a maintainer). */
const KNOWN_HOLDERS: Record<string, string> = { 'onnxruntime-node': 'Microsoft Corporation', 'onnxruntime-common': 'Microsoft Corporation' };

function authorOf(folder: string): string {
  const author = (JSON.parse(fs.readFileSync(path.join(folder, 'package.json'), 'utf8')) as { author?: string | { name?: string } }).author;
  return (typeof author === 'string' ? author : author?.name) ?? 'its authors';
}

function mitText(holder: string): string {
  return `MIT License

Copyright (c) ${holder}

Permission is hereby granted, free of charge, to any person obtaining a copy of this software and associated documentation files (the "Software"), to deal in the Software without restriction, including without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.`;
}

/** The licence texts a package ships, or the standard text of its licence where it ships none. */
function licenceText(root: string, shipped: ShippedPackage): string {
  const files = fs.readdirSync(shipped.folder).filter((file) => LICENCE_FILE.test(file)).sort();
  if (files.length > 0) return files.map((file) => fs.readFileSync(path.join(shipped.folder, file), 'utf8').trim()).join('\n\n');
  if (shipped.license === 'Apache-2.0') return fs.readFileSync(path.join(root, 'node_modules', 'sharp', 'LICENSE'), 'utf8').trim();
  if (shipped.license.startsWith('LGPL')) {
    return `${shipped.license}. Source: https://github.com/libvips/libvips and https://github.com/lovell/sharp-libvips; the README.md beside the library lists the licences of the libraries it links.`;
  }
  if (shipped.license === 'MIT') return mitText(KNOWN_HOLDERS[shipped.name] ?? authorOf(shipped.folder));
  return `${shipped.license} licence; the package ships no licence file: see https://www.npmjs.com/package/${shipped.name}/v/${shipped.version}.`;
}

/** The demo data in dist/data (the first images of two test sets, for the walkthrough). */
const DATA_NOTICES = [
  '# Data',
  '',
  '## Fashion-MNIST (MIT)',
  '',
  'The first 1,000 images and labels of the Fashion-MNIST test set, Copyright (c) 2017 Zalando SE, https://github.com/zalandoresearch/fashion-mnist, under the MIT licence (text as above).',
  '',
  '## MNIST (CC BY-SA 3.0)',
  '',
  'The first 30 images and labels of the MNIST test set by Yann LeCun, Corinna Cortes and Christopher J. C. Burges, http://yann.lecun.com/exdb/mnist/, under the Creative Commons Attribution-Share Alike 3.0 licence, https://creativecommons.org/licenses/by-sa/3.0/.',
  '',
];

/** THIRD_PARTY_NOTICES.md: every package a VSIX carries, its licence and the licence's text. */
export function writeNotices(root: string, file: string, packages: readonly ShippedPackage[]): void {
  const sorted = [...packages].sort((a, b) => a.name.localeCompare(b.name));
  const lines = [
    '# Third-party notices',
    '',
    'Outlier Lens carries the following packages, bundled into `dist/` or alongside in `node_modules/`.',
    '',
    '| package | version | licence | how |',
    '| --- | --- | --- | --- |',
    ...sorted.map((item) => `| ${item.name} | ${item.version} | ${item.license} | ${item.how} |`),
    '',
  ];
  for (const item of sorted) lines.push(`## ${item.name} ${item.version} (${item.license})`, '', '```', licenceText(root, item), '```', '');
  lines.push(...DATA_NOTICES);
  fs.writeFileSync(file, lines.join('\n'));
}
