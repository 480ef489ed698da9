import { BUFFER_SOURCE, ImageDecodeError } from '../imageDecodeError';

/** BMP compression codes this decoder reads. */
export const BI_RGB = 0;
/** Channels packed by masks given in the header (16- and 32-bit). */
export const BI_BITFIELDS = 3;
/** Windows CE variant of BI_BITFIELDS with an alpha mask after the colour masks. */
export const BI_ALPHABITFIELDS = 6;

const COMPRESSION_NAMES: Record<number, string> = {
  1: 'RLE8', 2: 'RLE4', 4: 'JPEG', 5: 'PNG', 11: 'CMYK', 12: 'CMYKRLE8', 13: 'CMYKRLE4',
};

const FILE_HEADER_SIZE = 14;
const CORE_HEADER_SIZE = 12;
const INFO_HEADER_SIZE = 40;
const OS2_HEADER_SIZE = 64;
const SUPPORTED_HEADER_SIZES = new Set([CORE_HEADER_SIZE, INFO_HEADER_SIZE, 52, 56, OS2_HEADER_SIZE, 108, 124]);

/** Bit masks of one 16- or 32-bit pixel; 0 means the channel is absent. */
export interface BmpMasks {
  readonly red: number;
  readonly green: number;
  readonly blue: number;
  readonly alpha: number;
}

/** What the pixel reader needs from a BMP's headers. */
export interface BmpHeader {
  readonly width: number;
  readonly height: number;
  /** Rows stored top to bottom (negative height) rather than the usual bottom to top. */
  readonly topDown: boolean;
  readonly bitsPerPixel: number;
  readonly compression: number;
  /** Offset of the first pixel row in the file. */
  readonly pixelOffset: number;
  /** RGB triplets for 1-, 4- and 8-bit images; empty otherwise. */
  readonly palette: Uint8Array;
  readonly masks: BmpMasks;
}

/**
 * Parses the file header and a BITMAPCOREHEADER, BITMAPINFOHEADER (with V2/V3 masks) or
 * BITMAPV4/V5HEADER, rejecting what the pixel reader cannot do with a reason such as
 * "unsupported BMP compression RLE8".
 */
export function readBmpHeader(bytes: Uint8Array): BmpHeader {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 2 || bytes[0] !== 0x42 || bytes[1] !== 0x4d) fail('not a BMP file');
  if (bytes.length < FILE_HEADER_SIZE + 4) fail('truncated BMP');
  const pixelOffset = view.getUint32(10, true);
  const headerSize = view.getUint32(14, true);
  if (!SUPPORTED_HEADER_SIZES.has(headerSize)) fail(`unsupported BMP header size ${headerSize}`);
  if (bytes.length < FILE_HEADER_SIZE + headerSize) fail('truncated BMP');

  const isCore = headerSize === CORE_HEADER_SIZE;
  const width = isCore ? view.getUint16(18, true) : view.getInt32(18, true);
  const signedHeight = isCore ? view.getUint16(20, true) : view.getInt32(22, true);
  const bitsPerPixel = view.getUint16(isCore ? 24 : 28, true);
  const compression = isCore ? BI_RGB : view.getUint32(30, true);
  const colorsUsed = isCore ? 0 : view.getUint32(46, true);

  if (width <= 0 || signedHeight === 0) fail(`corrupt BMP (size ${width}×${signedHeight})`);
  checkCompression(compression, headerSize);
  if (![1, 4, 8, 16, 24, 32].includes(bitsPerPixel)) fail(`unsupported BMP bit depth ${bitsPerPixel}`);
  const usesMasks = compression === BI_BITFIELDS || compression === BI_ALPHABITFIELDS;
  if (usesMasks && bitsPerPixel !== 16 && bitsPerPixel !== 32) {
    fail(`corrupt BMP (bit fields with ${bitsPerPixel} bits per pixel)`);
  }

  // A plain BITMAPINFOHEADER keeps its masks just after itself; later headers hold them inside.
  let masksAfterHeader = 0;
  if (headerSize === INFO_HEADER_SIZE && compression === BI_BITFIELDS) masksAfterHeader = 12;
  if (headerSize === INFO_HEADER_SIZE && compression === BI_ALPHABITFIELDS) masksAfterHeader = 16;
  const paletteStart = FILE_HEADER_SIZE + headerSize + masksAfterHeader;
  if (bytes.length < paletteStart) fail('truncated BMP');
  const hasAlphaMask = headerSize >= 56 || compression === BI_ALPHABITFIELDS;
  return {
    width,
    height: Math.abs(signedHeight),
    topDown: signedHeight < 0,
    bitsPerPixel,
    compression,
    pixelOffset,
    palette: bitsPerPixel <= 8
      ? readPalette(bytes, paletteStart, pixelOffset, bitsPerPixel, colorsUsed, isCore ? 3 : 4)
      : new Uint8Array(0),
    masks: readMasks(view, bitsPerPixel, usesMasks, hasAlphaMask),
  };
}

function checkCompression(compression: number, headerSize: number): void {
  // OS/2 2.x reuses codes 3 and 4 for its own schemes.
  if (headerSize === OS2_HEADER_SIZE && compression !== BI_RGB) {
    fail(`unsupported BMP compression ${compression === 3 ? 'Huffman 1D' : compression === 4 ? 'RLE24' : compression}`);
  }
  if (COMPRESSION_NAMES[compression] !== undefined) fail(`unsupported BMP compression ${COMPRESSION_NAMES[compression]}`);
  if (compression !== BI_RGB && compression !== BI_BITFIELDS && compression !== BI_ALPHABITFIELDS) {
    fail(`unsupported BMP compression ${compression}`);
  }
}

function readMasks(view: DataView, bitsPerPixel: number, usesMasks: boolean, hasAlphaMask: boolean): BmpMasks {
  if (!usesMasks) {
    // BI_RGB: 16-bit is 5-5-5 with the top bit unused; in 32-bit the fourth byte is not alpha.
    return bitsPerPixel === 16
      ? { red: 0x7c00, green: 0x03e0, blue: 0x001f, alpha: 0 }
      : { red: 0xff0000, green: 0x00ff00, blue: 0x0000ff, alpha: 0 };
  }
  return {
    red: view.getUint32(54, true),
    green: view.getUint32(58, true),
    blue: view.getUint32(62, true),
    alpha: hasAlphaMask ? view.getUint32(66, true) : 0,
  };
}

function readPalette(
  bytes: Uint8Array, start: number, pixelOffset: number, bitsPerPixel: number, colorsUsed: number, entrySize: number,
): Uint8Array {
  const maxColors = 1 << bitsPerPixel;
  let count = colorsUsed > 0 && colorsUsed <= maxColors ? colorsUsed : maxColors;
  // Some writers leave colorsUsed at 0 with a short palette; the pixel offset tells how many fit.
  if (pixelOffset > start) count = Math.min(count, Math.floor((pixelOffset - start) / entrySize));
  if (start + count * entrySize > bytes.length) fail('truncated BMP');
  const palette = new Uint8Array(count * 3);
  for (let i = 0; i < count; i++) {
    const entry = start + i * entrySize;
    palette[i * 3] = bytes[entry + 2];
    palette[i * 3 + 1] = bytes[entry + 1];
    palette[i * 3 + 2] = bytes[entry];
  }
  return palette;
}

function fail(reason: string): never {
  throw new ImageDecodeError(BUFFER_SOURCE, reason);
}
