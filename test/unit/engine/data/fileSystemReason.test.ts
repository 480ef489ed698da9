import assert from 'node:assert/strict';
import { describeFileSystemError } from '../../../../src/engine/data/fileSystemReason';

describe('describeFileSystemError', () => {
  const withCode = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: raw message`), { code });

  it('words errno codes for a person', () => {
    assert.equal(describeFileSystemError(withCode('EACCES')), 'permission denied');
    assert.equal(describeFileSystemError(withCode('EPERM')), 'permission denied');
    assert.equal(describeFileSystemError(withCode('ENOENT')), 'file not found');
    assert.equal(describeFileSystemError(withCode('EISDIR')), 'is a folder, not an image file');
    assert.equal(describeFileSystemError(withCode('ELOOP')), 'symbolic link loop');
  });

  it('falls back to the message for codes it does not know', () => {
    assert.equal(describeFileSystemError(withCode('EWHATEVER')), 'EWHATEVER: raw message');
    assert.equal(describeFileSystemError('plain'), 'plain');
  });
});
