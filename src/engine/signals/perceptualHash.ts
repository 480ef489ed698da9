/** Side of the square the image is resampled to before its DCT (the classic pHash's 32). */
const HASH_INPUT_SIZE = 32;
/** Side of the block of lowest frequencies whose signs make the hash: 8 × 8 = 64 bits. */
const HASH_BLOCK = 8;

/** cos(π (2x + 1) u / 2N) for u < HASH_BLOCK, x < HASH_INPUT_SIZE: the DCT-II rows the hash needs. */
const COSINES = Float64Array.from({ length: HASH_BLOCK * HASH_INPUT_SIZE }, (_, index) => {
  const u = Math.floor(index / HASH_INPUT_SIZE);
  const x = index % HASH_INPUT_SIZE;
  return Math.cos((Math.PI * (2 * x + 1) * u) / (2 * HASH_INPUT_SIZE));
});

/** Side of the grey thumbnail kept beside the hash to confirm near duplicates. */
export const THUMBNAIL_SIZE = 8;

/** A perceptual hash and the small thumbnail that confirms a match. */
export interface PerceptualSignature {
  /** 64-bit DCT hash, 16 hex digits. */
  readonly perceptualHash: string;
  /** 8 × 8 grey levels (block means of the 32 × 32 resample), 128 hex digits. */
  readonly thumbnail: string;
}

/**
 * The 64-bit DCT perceptual hash (pHash) of a grey image and an 8 × 8 thumbnail: resample to
 * 32 × 32 (bilinear), take the 8 × 8 lowest DCT frequencies, and set a bit where a coefficient is
 * above their median (the constant term left out of the median). Resizing and re-encoding move few bits.
 */
export function perceptualSignature(grey: Uint8Array, height: number, width: number): PerceptualSignature {
  const size = HASH_INPUT_SIZE;
  const resampled = new Float64Array(size * size);
  for (let y = 0; y < size; y++) {
    const sourceY = Math.min(height - 1, Math.max(0, ((y + 0.5) * height) / size - 0.5));
    const y0 = Math.floor(sourceY);
    const y1 = Math.min(height - 1, y0 + 1);
    const fy = sourceY - y0;
    for (let x = 0; x < size; x++) {
      const sourceX = Math.min(width - 1, Math.max(0, ((x + 0.5) * width) / size - 0.5));
      const x0 = Math.floor(sourceX);
      const x1 = Math.min(width - 1, x0 + 1);
      const fx = sourceX - x0;
      const top = grey[y0 * width + x0] * (1 - fx) + grey[y0 * width + x1] * fx;
      const bottom = grey[y1 * width + x0] * (1 - fx) + grey[y1 * width + x1] * fx;
      resampled[y * size + x] = top * (1 - fy) + bottom * fy;
    }
  }
  const thumbnail = thumbnailOf(resampled);
  // Separable DCT, keeping only the low frequencies: rows first, then columns.
  const rows = new Float64Array(size * HASH_BLOCK);
  for (let y = 0; y < size; y++) {
    for (let u = 0; u < HASH_BLOCK; u++) {
      let sum = 0;
      for (let x = 0; x < size; x++) sum += resampled[y * size + x] * COSINES[u * size + x];
      rows[y * HASH_BLOCK + u] = sum;
    }
  }
  const block = new Float64Array(HASH_BLOCK * HASH_BLOCK);
  for (let v = 0; v < HASH_BLOCK; v++) {
    for (let u = 0; u < HASH_BLOCK; u++) {
      let sum = 0;
      for (let y = 0; y < size; y++) sum += rows[y * HASH_BLOCK + u] * COSINES[v * size + y];
      block[v * HASH_BLOCK + u] = sum;
    }
  }
  // A flat image has only rounding noise beyond the constant term: give it the all-zero hash, not a random one.
  const largest = block.subarray(1).reduce((most, value) => Math.max(most, Math.abs(value)), 0);
  if (largest <= 1e-9 * (Math.abs(block[0]) + 1)) {
    return { perceptualHash: '0'.repeat(16), thumbnail };
  }
  const median = [...block.subarray(1)].sort((a, b) => a - b)[(block.length - 1) >> 1];
  let hex = '';
  for (let nibble = 0; nibble < 16; nibble++) {
    let value = 0;
    for (let bit = 0; bit < 4; bit++) {
      value = (value << 1) | (block[nibble * 4 + bit] > median ? 1 : 0);
    }
    hex += value.toString(16);
  }
  return { perceptualHash: hex, thumbnail };
}

/** The DCT perceptual hash alone (see perceptualSignature). */
export function perceptualHash(grey: Uint8Array, height: number, width: number): string {
  return perceptualSignature(grey, height, width).perceptualHash;
}

function thumbnailOf(resampled: Float64Array): string {
  const block = HASH_INPUT_SIZE / THUMBNAIL_SIZE;
  let hex = '';
  for (let ty = 0; ty < THUMBNAIL_SIZE; ty++) {
    for (let tx = 0; tx < THUMBNAIL_SIZE; tx++) {
      let sum = 0;
      for (let y = ty * block; y < (ty + 1) * block; y++) {
        for (let x = tx * block; x < (tx + 1) * block; x++) sum += resampled[y * HASH_INPUT_SIZE + x];
      }
      hex += Math.round(sum / (block * block)).toString(16).padStart(2, '0');
    }
  }
  return hex;
}

/** Root-mean-square difference of two thumbnails' grey levels (0–255). */
export function thumbnailDistance(a: string, b: string): number {
  let sum = 0;
  for (let i = 0; i < a.length; i += 2) {
    const difference = parseInt(a.slice(i, i + 2), 16) - parseInt(b.slice(i, i + 2), 16);
    sum += difference * difference;
  }
  return Math.sqrt(sum / (a.length / 2));
}

/** Bits that differ between two hashes of {@link perceptualHash}. */
export function hammingDistance(a: string, b: string): number {
  return popCount(parseInt(a.slice(0, 8), 16) ^ parseInt(b.slice(0, 8), 16)) + popCount(parseInt(a.slice(8), 16) ^ parseInt(b.slice(8), 16));
}

/** Set bits of a 32-bit integer. */
export function popCount(value: number): number {
  let v = value >>> 0;
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
