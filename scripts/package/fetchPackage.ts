import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The folder of npm package `name` at exactly `version`: the installed one when it matches
 * (node_modules holds only this machine's platform), else `npm pack` from the registry into
 * `cacheFolder` (other platforms' prebuilt binaries), unpacked once and reused.
 */
export function fetchPackage(root: string, cacheFolder: string, name: string, version: string): string {
  const installed = path.join(root, 'node_modules', name);
  if (readVersion(installed) === version) return installed;
  const unpacked = path.join(cacheFolder, `${name.replace('/', '+')}@${version}`);
  const folder = path.join(unpacked, 'package');
  if (readVersion(folder) === version) return folder;
  fs.rmSync(unpacked, { recursive: true, force: true });
  fs.mkdirSync(unpacked, { recursive: true });
  process.stdout.write(`  npm pack ${name}@${version}\n`);
  const tarball = execFileSync('npm', ['pack', `${name}@${version}`, '--silent', '--pack-destination', unpacked], { cwd: unpacked, encoding: 'utf8' }).trim().split('\n').pop() ?? '';
  execFileSync('tar', ['xzf', path.join(unpacked, tarball), '-C', unpacked]);
  fs.rmSync(path.join(unpacked, tarball));
  if (readVersion(folder) !== version) throw new Error(`npm pack ${name}@${version} did not give that package in ${unpacked}`);
  return folder;
}

function readVersion(folder: string): string | undefined {
  try {
    return (JSON.parse(fs.readFileSync(path.join(folder, 'package.json'), 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}
