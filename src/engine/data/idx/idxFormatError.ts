/** Why an idx file (MNIST's format) cannot be read, e.g. "truncated idx file: expected 47040016 bytes, got 1000". */
export class IdxFormatError extends Error {
  constructor(readonly path: string, readonly reason: string) {
    super(`${path}: ${reason}`);
    this.name = 'IdxFormatError';
  }
}
