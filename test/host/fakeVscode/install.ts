// Makes `require('vscode')` resolve to the fake module for the host tests (and the host benchmark).
import Module from 'module';
import * as path from 'path';

const fakePath = path.join(__dirname, 'fakeVscode.ts');
type Resolve = (request: string, ...rest: unknown[]) => string;
const moduleWithResolve = Module as unknown as { _resolveFilename: Resolve };
const original = moduleWithResolve._resolveFilename;
moduleWithResolve._resolveFilename = function resolveFilename(this: unknown, request: string, ...rest: unknown[]): string {
  return request === 'vscode' ? fakePath : original.call(this, request, ...rest);
};
