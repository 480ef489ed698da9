/** The shape a detector wants its images in. */
export interface ImageTarget {
  readonly height: number;
  readonly width: number;
  /** 1 for gray, 3 for sRGB. */
  readonly channels: 1 | 3;
}

/** An image format the decoder recognises by its first bytes. */
export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'webp' | 'tiff' | 'avif' | 'heif' | 'bmp';

/** What the file held before conversion, for the gallery's tooltip and for reports. */
export interface ImageSource {
  readonly width: number;
  readonly height: number;
  /** The format sharp (or the BMP decoder) read; a name libvips knows even if not in {@link ImageFormat}. */
  readonly format: string;
  /** Channels stored in the file, alpha included (1-2 grey, 3-4 colour). */
  readonly channels: number;
}

/** An image converted to the detector's shape: 8-bit samples, rows top to bottom, channels interleaved (HWC). */
export interface DecodedImage {
  /** `height * width * channels` samples. */
  readonly pixels: Uint8Array;
  readonly height: number;
  readonly width: number;
  readonly channels: 1 | 3;
  readonly source: ImageSource;
  /** SHA-256 (hex) of the bytes decoded, when asked for: a cache can later tell whether the file changed. */
  readonly contentDigest?: string;
}

/** Safety limits for decoding untrusted files. */
export interface DecodeOptions {
  /** Largest `width * height` accepted before any pixel is decoded. Default {@link DEFAULT_LIMIT_INPUT_PIXELS}. */
  readonly limitInputPixels?: number;
  /** Also hash the bytes decoded (DecodedImage.contentDigest). */
  readonly contentDigest?: boolean;
}

/** 100 megapixels: far above any photo a person scans, far below what exhausts memory. */
export const DEFAULT_LIMIT_INPUT_PIXELS = 100_000_000;
