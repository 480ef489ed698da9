import { decodeImage } from './decodeImage';
import type { ImageDecodeError } from './imageDecodeError';
import { toImageDecodeError } from './toImageDecodeError';
import { validateImageTarget } from './toTargetPixels';
import type { DecodedImage, DecodeOptions, ImageTarget } from './types';

/** One file's outcome in a batch: its image, or why it has none. */
export type ImageDecodeResult<Entry> =
  | { readonly entry: Entry; readonly image: DecodedImage }
  | { readonly entry: Entry; readonly error: ImageDecodeError };

/** How a batch decodes. */
export interface DecodeImagesOptions<Entry = unknown> extends DecodeOptions {
  /** Files decoded at once. Default 4, libuv's thread-pool size, which sharp's work runs on. */
  readonly concurrency?: number;
  /** Which files' bytes to hash as well (DecodeOptions.contentDigest, per file). */
  readonly contentDigestFor?: (entry: Entry) => boolean;
}

/**
 * Decodes `entries` with up to `concurrency` in flight and yields their results in input order.
 * A file that fails yields `{ entry, error }` and the batch goes on; nothing here throws for one
 * bad file. Stopping the loop early leaves at most `concurrency` decodes to finish unobserved.
 */
export async function* decodeImages<Entry extends { readonly path: string }>(
  entries: Iterable<Entry>,
  target: ImageTarget,
  options: DecodeImagesOptions<Entry> = {},
): AsyncGenerator<ImageDecodeResult<Entry>, void, undefined> {
  validateImageTarget(target);
  const concurrency = options.concurrency ?? 4;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  }
  const decodeOne = (entry: Entry): Promise<ImageDecodeResult<Entry>> =>
    decodeImage(entry.path, target, { ...options, contentDigest: options.contentDigestFor?.(entry) ?? options.contentDigest }).then(
      (image) => ({ entry, image }),
      (error: unknown) => ({ entry, error: toImageDecodeError(error, entry.path) }),
    );
  const inFlight: Promise<ImageDecodeResult<Entry>>[] = [];
  for (const entry of entries) {
    inFlight.push(decodeOne(entry));
    const oldest = inFlight.length >= concurrency ? inFlight.shift() : undefined;
    if (oldest !== undefined) yield await oldest;
  }
  for (let oldest = inFlight.shift(); oldest !== undefined; oldest = inFlight.shift()) {
    yield await oldest;
  }
}
