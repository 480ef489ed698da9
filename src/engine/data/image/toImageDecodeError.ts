import { isTruncated } from './findTruncation';
import { ImageDecodeError } from './imageDecodeError';
import { sniffImageFormat } from './sniffImageFormat';
import type { ImageFormat } from './types';

const FORMAT_NAMES: Record<ImageFormat, string> = {
  png: 'PNG', jpeg: 'JPEG', gif: 'GIF', webp: 'WebP', tiff: 'TIFF', avif: 'AVIF', heif: 'HEIF', bmp: 'BMP',
};

// Which library spoke is noise to a person; the words after it are the detail.
const LIBRARY_PREFIX = /^(vipspng|VipsJpeg|gifload_buffer|heif|webp|tiff2vips):\s*/i;

// libjpeg, giflib, libheif and libtiff each word "the data stopped early" differently.
const TRUNCATION_WORDS = /premature end|unexpected end|end of file|truncat|file size too small|out of data|short read/i;

/**
 * Turns whatever decoding threw into an {@link ImageDecodeError} for `path`, rewording libvips'
 * messages ("vipspng: libpng read error") into reasons a person can act on ("truncated PNG").
 * `bytes` are the file's contents, when they were read, so the reason can name the real format.
 */
export function toImageDecodeError(error: unknown, path: string, bytes?: Uint8Array): ImageDecodeError {
  if (error instanceof ImageDecodeError) return error.withPath(path);
  const message = error instanceof Error ? error.message : String(error);
  return new ImageDecodeError(path, describeSharpFailure(message, bytes));
}

function describeSharpFailure(message: string, bytes: Uint8Array | undefined): string {
  if (/is empty/i.test(message) || bytes?.length === 0) return 'empty file';
  if (/exceeds pixel limit/i.test(message)) return 'image too large (over the pixel limit)';
  const format = bytes === undefined ? undefined : sniffImageFormat(bytes);
  const detail = firstDetail(message);
  if (format === undefined) {
    if (/unsupported image format/i.test(message)) return 'not an image (unrecognised format)';
    return `cannot decode image (${detail})`;
  }
  const name = FORMAT_NAMES[format];
  if (TRUNCATION_WORDS.test(message) || (bytes !== undefined && isTruncated(bytes, format))) return `truncated ${name}`;
  if (/unsupported image format/i.test(message)) return `corrupt ${name} (unreadable header)`;
  if (/unsupported|not supported/i.test(message)) return `unsupported ${name} (${detail})`;
  return `corrupt ${name} (${detail})`;
}

/** The first informative line of a libvips message, without its "corrupt header" preamble. */
function firstDetail(message: string): string {
  const lines = message
    .replace(/^Input (buffer|file) has corrupt header:\s*/i, '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !/^source: bad seek/.test(line));
  // libpng says no more than this for a CRC or zlib failure inside a complete file.
  if (/libpng read error/.test(lines[0] ?? '')) return 'damaged data or checksum mismatch';
  const detail = (lines[0] ?? 'no details from the decoder').replace(LIBRARY_PREFIX, '');
  return detail.length > 120 ? `${detail.slice(0, 117)}...` : detail;
}
