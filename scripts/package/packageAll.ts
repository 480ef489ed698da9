// `npm run package`: one VSIX per VS Code target, each with only its platform's native parts
// (see targets.ts), built from production bundles, with a notices file naming every package shipped.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stageDemoData } from './demoData';
import { bundledPackages, writeNotices } from './notices';
import { stageTarget } from './stage';
import { PACKAGE_TARGETS } from './targets';
import { zipEntries } from './zipEntries';
import type { ZipEntry } from './zipEntries';

const ROOT = path.resolve(__dirname, '../..');
const CACHE = path.join(ROOT, '.cache', 'package');
/** Where the VSIX files go (test/package and the e2e suite read them there). */
export const VSIX_FOLDER = path.join(ROOT, '.artifacts', 'vsix');
const SIZE_TARGET_MB = 60;
const SIZE_LIMIT_MB = 90;

/** Compressed bytes of a VSIX by what they are, for the size table. */
function breakdown(entries: readonly ZipEntry[]): Record<string, number> {
  const groups: Array<[string, RegExp]> = [
    ['sharp+libvips', /node_modules\/(@img|sharp|detect-libc|semver)\//],
    ['ONNX Runtime', /node_modules\/onnxruntime-/],
    ['Dawn', /node_modules\/webgpu\//],
    ['bundles', /\/dist\//],
  ];
  const sums: Record<string, number> = Object.fromEntries([...groups.map(([name]) => name), 'other'].map((name) => [name, 0]));
  for (const entry of entries) sums[groups.find(([, pattern]) => pattern.test(entry.name))?.[0] ?? 'other'] += entry.compressedSize;
  return sums;
}

const megabytes = (bytes: number): string => (bytes / 1e6).toFixed(1);

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const targets = only.length > 0 ? PACKAGE_TARGETS.filter((target) => only.includes(target.target)) : PACKAGE_TARGETS;
  if (targets.length === 0) throw new Error(`no such target: ${only.join(', ')}; targets are ${PACKAGE_TARGETS.map((target) => target.target).join(', ')}`);
  const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const metafiles = path.join(CACHE, 'meta');
  fs.rmSync(metafiles, { recursive: true, force: true });
  execFileSync(process.execPath, ['esbuild.js', '--production', '--metafile', metafiles], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const bundled = bundledPackages(ROOT, metafiles);
  fs.mkdirSync(VSIX_FOLDER, { recursive: true });
  const rows: string[] = [];
  for (const target of targets) {
    process.stdout.write(`${target.target}:\n`);
    const stage = path.join(CACHE, 'stage', target.target);
    const staged = stageTarget({ root: ROOT, cacheFolder: path.join(CACHE, 'npm'), stage }, target);
    await stageDemoData(stage);
    const alongside = staged.map((item) => ({ ...item, folder: path.join(stage, item.folder), how: 'alongside' as const }));
    writeNotices(ROOT, path.join(stage, 'THIRD_PARTY_NOTICES.md'), [...bundled, ...alongside]);
    const out = path.join(VSIX_FOLDER, `outlier-lens-${target.target}-${version}.vsix`);
    fs.rmSync(out, { force: true });
    execFileSync(process.execPath, [require.resolve('@vscode/vsce/vsce'), 'package', '--target', target.target, '--out', out], { cwd: stage, stdio: ['ignore', 'ignore', 'inherit'] });
    const entries = zipEntries(out);
    const size = fs.statSync(out).size;
    const parts = Object.entries(breakdown(entries)).map(([name, bytes]) => `${name} ${megabytes(bytes)}`).join(', ');
    const verdict = size <= SIZE_TARGET_MB * 1e6 ? '' : size <= SIZE_LIMIT_MB * 1e6 ? ` (over the ${SIZE_TARGET_MB} MB target)` : ` (OVER THE ${SIZE_LIMIT_MB} MB LIMIT)`;
    rows.push(`${target.target.padEnd(13)} ${megabytes(size).padStart(6)} MB  ${entries.length} files  [${parts}]${verdict}`);
    process.stdout.write(`  ${path.relative(ROOT, out)}: ${megabytes(size)} MB\n`);
    if (size > SIZE_LIMIT_MB * 1e6) process.exitCode = 1;
  }
  process.stdout.write(`\nVSIX sizes (MB, compressed bytes by part):\n${rows.join('\n')}\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`npm run package: ${error.message}\n`);
  process.exitCode = 1;
});
