import { DEFAULT_LIMIT_INPUT_PIXELS } from '../types';
import type { DecodeOptions } from '../types';
import { BUFFER_SOURCE, ImageDecodeError } from '../imageDecodeError';
import { checkPixelLimit } from '../pixelLimit';
import { readBmpHeader } from './readBmpHeader';
import type { BmpHeader } from './readBmpHeader';

/** Pixels of a BMP file: 8-bit samples, rows top to bottom, RGB or RGBA interleaved. */
export interface BmpPixels {
  readonly width: number;
  readonly height: number;
  readonly channels: 3 | 4;
  readonly data: Uint8Array;
}

/**
 * Decodes an uncompressed or bit-field BMP (1/4/8-bit palettes, 16, 24 and 32 bits, either row
 * order), because libvips in sharp has no BMP loader. RLE and embedded JPEG/PNG are rejected
 * with "unsupported BMP compression …". Failures are {@link ImageDecodeError}s for `<buffer>`.
 */
export function decodeBmp(bytes: Uint8Array, options: DecodeOptions = {}): BmpPixels {
  const header = readBmpHeader(bytes);
  const { width, height, bitsPerPixel } = header;
  checkPixelLimit(BUFFER_SOURCE, width, height, options.limitInputPixels ?? DEFAULT_LIMIT_INPUT_PIXELS);
  const stride = Math.floor((bitsPerPixel * width + 31) / 32) * 4;
  // The last row's padding is often missing in the wild; only its pixels are required.
  const needed = header.pixelOffset + stride * (height - 1) + Math.ceil((bitsPerPixel * width) / 8);
  if (needed > bytes.length) throw new ImageDecodeError(BUFFER_SOURCE, 'truncated BMP');

  const channels = header.masks.alpha !== 0 ? 4 : 3;
  const data = new Uint8Array(width * height * channels);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const readRow = bitsPerPixel <= 8 ? readPaletteRow : bitsPerPixel === 24 ? readBgrRow : readMaskedRow;
  for (let y = 0; y < height; y++) {
    const sourceRow = header.topDown ? y : height - 1 - y;
    readRow(header, view, header.pixelOffset + sourceRow * stride, data, y * width * channels, channels);
  }
  if (channels === 4) makeOpaqueIfAlphaUnused(data);
  return { width, height, channels, data };
}

/** Decodes one stored row starting at byte `rowStart` into `out` from sample `outStart`. */
type RowReader = (
  header: BmpHeader, view: DataView, rowStart: number, out: Uint8Array, outStart: number, channels: 3 | 4,
) => void;

const readPaletteRow: RowReader = (header, view, rowStart, out, outStart) => {
  const { bitsPerPixel, palette, width } = header;
  const indexMask = (1 << bitsPerPixel) - 1;
  const paletteSize = palette.length / 3;
  for (let x = 0; x < width; x++) {
    const bit = x * bitsPerPixel;
    const byte = view.getUint8(rowStart + (bit >> 3));
    const index = (byte >> (8 - bitsPerPixel - (bit & 7))) & indexMask;
    const out3 = outStart + x * 3;
    // An index past the palette is a broken file; browsers show black, and so do we.
    if (index < paletteSize) {
      out[out3] = palette[index * 3];
      out[out3 + 1] = palette[index * 3 + 1];
      out[out3 + 2] = palette[index * 3 + 2];
    }
  }
};

const readBgrRow: RowReader = (header, view, rowStart, out, outStart) => {
  for (let x = 0; x < header.width; x++) {
    const source = rowStart + x * 3;
    const target = outStart + x * 3;
    out[target] = view.getUint8(source + 2);
    out[target + 1] = view.getUint8(source + 1);
    out[target + 2] = view.getUint8(source);
  }
};

const readMaskedRow: RowReader = (header, view, rowStart, out, outStart, channels) => {
  const fields = [header.masks.red, header.masks.green, header.masks.blue, header.masks.alpha]
    .slice(0, channels)
    .map(toBitField);
  const bytesPerPixel = header.bitsPerPixel / 8;
  for (let x = 0; x < header.width; x++) {
    const offset = rowStart + x * bytesPerPixel;
    const pixel = bytesPerPixel === 2 ? view.getUint16(offset, true) : view.getUint32(offset, true);
    for (let c = 0; c < channels; c++) {
      out[outStart + x * channels + c] = fields[c](pixel);
    }
  }
};

/** Extracts one channel by its mask and scales it to 0–255 (5 bits: 31 → 255, 16 → 132). */
function toBitField(mask: number): (pixel: number) => number {
  if (mask === 0) return () => 0;
  let shift = 0;
  while (((mask >>> shift) & 1) === 0) shift++;
  const max = mask >>> shift;
  if (max === 0xff) return (pixel) => ((pixel & mask) >>> shift) & 0xff;
  return (pixel) => Math.round((((pixel & mask) >>> shift) * 255) / max);
}

/** Many writers leave the alpha byte 0 for opaque pixels; an image with no visible pixel means that. */
function makeOpaqueIfAlphaUnused(rgba: Uint8Array): void {
  for (let i = 3; i < rgba.length; i += 4) {
    if (rgba[i] !== 0) return;
  }
  for (let i = 3; i < rgba.length; i += 4) rgba[i] = 255;
}
