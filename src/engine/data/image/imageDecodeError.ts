/** Label used as `path` when the image came from memory rather than a file. */
export const BUFFER_SOURCE = '<buffer>';

/** Why one image could not be decoded; `reason` is written for a person, e.g. "truncated PNG". */
export class ImageDecodeError extends Error {
  constructor(readonly path: string, readonly reason: string) {
    super(`${path}: ${reason}`);
    this.name = 'ImageDecodeError';
  }

  /** The same failure, attributed to `path` (decoders that see only bytes report {@link BUFFER_SOURCE}). */
  withPath(path: string): ImageDecodeError {
    return path === this.path ? this : new ImageDecodeError(path, this.reason);
  }
}
