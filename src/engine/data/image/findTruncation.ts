import type { ImageFormat } from './types';

/**
 * Does the file's own structure say it ends early? libvips reports a cut PNG as "libpng read
 * error" and a cut TIFF as "unsupported image format", the same words as for damaged data, so
 * the container is checked by hand to tell "truncated" from "corrupt".
 */
export function isTruncated(bytes: Uint8Array, format: ImageFormat): boolean {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (format) {
    case 'png':
      return isPngTruncated(view);
    case 'webp':
      // RIFF size counts the bytes after the 8-byte RIFF header.
      return view.byteLength < 12 || view.getUint32(4, true) + 8 > view.byteLength;
    case 'tiff': {
      if (view.byteLength < 8) return true;
      const littleEndian = bytes[0] === 0x49;
      return view.getUint32(4, littleEndian) + 2 > view.byteLength;
    }
    case 'jpeg':
      return !hasJpegEnd(bytes);
    case 'gif':
      return bytes[bytes.length - 1] !== 0x3b;
    default:
      return false;
  }
}

/** Walks the chunk list; a chunk running past the end, or no IEND, means the file was cut. */
function isPngTruncated(view: DataView): boolean {
  let offset = 8;
  while (offset + 8 <= view.byteLength) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(
      view.getUint8(offset + 4), view.getUint8(offset + 5), view.getUint8(offset + 6), view.getUint8(offset + 7),
    );
    const end = offset + 12 + length;
    if (end > view.byteLength) return true;
    if (type === 'IEND') return false;
    offset = end;
  }
  return true;
}

/** An end-of-image marker near the end (some cameras pad after it). */
function hasJpegEnd(bytes: Uint8Array): boolean {
  const searchFrom = Math.max(0, bytes.length - 1024);
  for (let i = bytes.length - 2; i >= searchFrom; i--) {
    if (bytes[i] === 0xff && bytes[i + 1] === 0xd9) return true;
  }
  return false;
}
